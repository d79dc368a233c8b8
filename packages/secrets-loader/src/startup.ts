import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import {
  type ConfigSchema,
  describeSchema,
  type Environment,
  type InferConfig,
  type Issue,
  parseEnvironment,
  safeLoadConfig,
} from '@netra/config-schema';
import { valuesReadBesideFailures } from './access.ts';
import { type SecretSource, safeLoadSecrets } from './load.ts';

/**
 * A value the deployment provides but this machine cannot read: a mounted file whose path does not exist here,
 * an `sm://` reference or a Secret Manager binding with no project to read it from, a value the deploy input
 * takes from outside (a CI expression, an unset shell variable). It counts as provided and is never validated —
 * never replaced by a made-up value.
 */
export interface NotReadSource {
  kind: 'file' | 'reference' | 'binding' | 'unknown';
  /** Why it was not read, for the one line a report gives these (`no --project`, `/secrets/x is not on this machine`). */
  reason: string;
}

/** Options of {@link safeLoadStartup}. */
export interface LoadStartupOptions {
  /**
   * The process environment: settings, `sm://` references, `NAME_FILE` paths and `ENVIRONMENT`, which names the
   * environment (unset or empty is an `unknown-environment` error, as at start-up). @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * The environment to load (a check for one environment): `ENVIRONMENT` must then name it, or it is an `invalid`
   * error. @default the environment `ENVIRONMENT` names
   */
  environment?: Environment;
  /**
   * The project whose Secret Manager holds the schema's bindings; `null`: fetch no binding (a caller that lists
   * the bindings it cannot read in `notRead`). @default env.GCP_PROJECT_ID — what start-up uses; without one,
   * bindings are not fetched (a required secret no other source gives is `missing`).
   */
  projectId?: string | null;
  /** Variables provided by a source that cannot be read here (see {@link NotReadSource}). @default none */
  notRead?: Readonly<Record<string, NotReadSource>>;
  /** One deadline for the Secret Manager calls. @default the loader's (3 s, or SECRET_MANAGER_DEADLINE_MS) */
  deadlineMs?: number;
  /** A Secret Manager client to use (not closed). @default one created when there is something to fetch */
  client?: SecretManagerServiceClient;
}

/** What {@link safeLoadStartup} concludes: a configuration, or every problem at once. */
export type StartupResult<S extends ConfigSchema> =
  | {
      ok: true;
      environment: Environment;
      config: InferConfig<S>;
      /** Warnings of the secrets and configuration steps (never values). */
      warnings: Issue[];
      /** Where each secret that was read came from. */
      sources: Record<string, SecretSource>;
      /**
       * The secrets' values by variable, for a caller that hands them on (`netra-verify run` to its command);
       * shown as [redacted] by `JSON.stringify`, `util.inspect` and `String()`.
       */
      values: Readonly<Record<string, string>>;
    }
  | {
      ok: false;
      /** `undefined` when `ENVIRONMENT` itself is the problem. */
      environment: Environment | undefined;
      /** Secret and configuration problems together, errors and warnings, each once. */
      issues: Issue[];
    };

/**
 * The one start-up verdict: `ENVIRONMENT` → secrets (env, `sm://` references, `NAME_FILE` files, the schema's
 * Secret Manager bindings) → the schema's validation, with every problem of the three steps together (a secret
 * that cannot be fetched does not hide a loopback database host). A service calls it at start-up; `netra-verify
 * check` calls it over what a deployment provides, with what cannot be read here in `notRead` — so both give the
 * same verdict and the same (variable, code) pairs.
 *
 * Rules, the same on both sides: an empty value is unset; `NAME_FILE` is read only for secrets (bound or
 * sensitive settings); a file may end in one newline, which is not part of the value (see the loader's sources);
 * `sm://` values follow config-schema's one grammar.
 *
 * @example
 * const verdict = await safeLoadStartup(schema, { env: process.env });
 * if (!verdict.ok) { console.error(formatIssues(verdict.issues)); process.exit(78); }
 */
export async function safeLoadStartup<S extends ConfigSchema>(
  schema: S,
  options: LoadStartupOptions = {},
): Promise<StartupResult<S>> {
  const env = options.env ?? process.env;
  const parsed =
    options.environment !== undefined
      ? parseEnvironment(options.environment, schema)
      : parseEnvironment(env.ENVIRONMENT, schema);
  if (!parsed.ok) return { ok: false, environment: undefined, issues: [parsed.issue] };
  const { environment } = parsed;
  const descriptions = describeSchema(schema, environment);
  const notRead = options.notRead ?? {};

  // What cannot be read here is neither fetched nor judged: out of the secrets step's env, provided for the rest.
  const secretsEnv = { ...env };
  for (const variable of Object.keys(notRead)) {
    delete secretsEnv[variable];
    delete secretsEnv[`${variable}_FILE`];
  }
  const projectId =
    options.projectId === null ? undefined : (options.projectId ?? nonEmpty(env.GCP_PROJECT_ID));
  const secrets = await safeLoadSecrets(schema, {
    environment,
    env: secretsEnv,
    skip: Object.keys(notRead),
    ...(projectId !== undefined ? { projectId } : {}),
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.client ? { client: options.client } : {}),
  });
  const secretIssues = secrets.ok ? [] : secrets.issues;

  const { configEnv, providedElsewhere } = secrets.ok
    ? { configEnv: { ...secretsEnv, ...secrets.values }, providedElsewhere: [] as string[] }
    : withoutUnloadedSecrets(
        secretsEnv,
        descriptions,
        projectId,
        secretIssues,
        valuesReadBesideFailures(secrets),
      );
  providedElsewhere.push(...Object.keys(notRead));
  // NAME_FILE is the secrets step's to read; the configuration schema would call it unknown and "ignored".
  for (const description of descriptions) {
    if (isSecret(description)) delete configEnv[`${description.variable}_FILE`];
  }
  const loaded = safeLoadConfig(schema, { env: configEnv, environment, providedElsewhere });

  if (!secrets.ok || !loaded.ok) {
    const configIssues = loaded.ok ? loaded.warnings : loaded.issues;
    return { ok: false, environment, issues: mergeIssues(secretIssues, configIssues) };
  }
  return {
    ok: true,
    environment,
    config: loaded.config,
    warnings: [...secrets.warnings, ...loaded.warnings],
    sources: secrets.sources,
    values: secrets.values,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A variable the secrets step loads (bound to a secret, or sensitive): the only ones read from `NAME_FILE`. */
function isSecret(description: { secret?: unknown; sensitive: boolean }): boolean {
  return description.secret !== undefined || description.sensitive;
}

/**
 * When the secrets step fails, the configuration step still judges every value that was read (a weak password
 * fetched beside a missing secret is reported in the same run): those read without a problem take their value;
 * their `sm://` references are removed. The ones that failed stay absent, so the configuration step still says
 * what else is wrong with them (`wrong-name` when set under another environment's name); its plain `missing`
 * for them is dropped when merging.
 */
function withoutUnloadedSecrets(
  env: Record<string, string | undefined>,
  descriptions: ReturnType<typeof describeSchema>,
  projectId: string | undefined,
  secretIssues: readonly Issue[],
  read: Readonly<Record<string, string>>,
): { configEnv: Record<string, string | undefined>; providedElsewhere: string[] } {
  const failed = new Set(
    secretIssues.filter((issue) => issue.severity === 'error').map((issue) => issue.variable),
  );
  const configEnv = { ...env };
  const providedElsewhere: string[] = [];
  for (const description of descriptions) {
    const { variable } = description;
    const value = nonEmpty(env[variable]);
    const fetched =
      value !== undefined
        ? value.startsWith('sm://')
        : isSecret(description) &&
          (Boolean(env[`${variable}_FILE`]) || (description.secret !== undefined && Boolean(projectId)));
    if (!fetched) continue;
    delete configEnv[variable];
    if (failed.has(variable)) continue;
    const readValue = read[variable];
    if (readValue !== undefined) configEnv[variable] = readValue;
    else providedElsewhere.push(variable);
  }
  return { configEnv, providedElsewhere };
}

/**
 * Secret issues, then configuration issues, each problem once: a configuration `missing` for a secret the
 * secrets step already reported is dropped, and so is a secrets `missing` the configuration step reports; a
 * configuration issue with the code the secrets step already gave that variable (`whitespace`) is dropped.
 */
function mergeIssues(secretIssues: readonly Issue[], configIssues: readonly Issue[]): Issue[] {
  const secretErrors = new Set(
    secretIssues.filter((issue) => issue.severity === 'error').map((issue) => issue.variable),
  );
  const secretProblems = new Set(secretIssues.map((issue) => `${issue.variable}\0${issue.code}`));
  const config = configIssues.filter(
    (issue) =>
      !(issue.code === 'missing' && secretErrors.has(issue.variable)) &&
      !secretProblems.has(`${issue.variable}\0${issue.code}`),
  );
  const reported = new Set(config.map((issue) => issue.variable));
  const secrets = secretIssues.filter((issue) => !(issue.code === 'missing' && reported.has(issue.variable)));
  return [...secrets, ...config];
}
