import { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';
import {
  describeSchema,
  type Environment,
  type Issue,
  parseEnvironment,
  safeLoadConfig,
} from '@netra/config-schema';
import { type OAuthConfig, safeGetOAuthConfig } from '@netra/oauth-config';
import { type LoadSecretsOptions, type SecretSource, safeLoadSecrets } from '@netra/secrets-loader';

/** Milliseconds spent in each start-up step. */
export interface SettingsTimings {
  secretsMs: number;
  configMs: number;
  oauthMs: number;
}

/** The outcome of {@link loadSettings}: everything needed to start, or every problem at once. */
export type SettingsResult =
  | {
      ok: true;
      environment: Environment;
      config: NetraBackendConfig;
      /** `null`: OAuth is disabled (no client configured; development and test only). */
      oauth: OAuthConfig | null;
      /** Warnings from the configuration and OAuth steps (never values). */
      warnings: Issue[];
      /** Where each secret came from (env, file, sm:// reference, Secret Manager binding). */
      sources: Record<string, SecretSource>;
      timings: SettingsTimings;
    }
  | {
      ok: false;
      environment: Environment | undefined;
      /** Secret, configuration and OAuth problems together, errors and warnings. */
      issues: Issue[];
      timings: SettingsTimings;
    };

/** Options of {@link loadSettings}. */
export interface LoadSettingsOptions {
  /** The process environment. @default process.env */
  env?: Record<string, string | undefined>;
  /** Deadline of the Secret Manager calls. @default the secrets-loader default */
  secretsDeadlineMs?: number;
  /**
   * Secret Manager client to use (not closed). @default one the secrets loader creates when there is
   * something to fetch, following the `SECRET_MANAGER_EMULATOR_HOST` of `env`, else of `process.env`
   */
  secretManagerClient?: LoadSecretsOptions['client'];
}

/**
 * The start-up configuration steps, in order: environment → secrets → configuration → OAuth, returning every
 * problem of the first three together: a secret that cannot be fetched does not hide a loopback database
 * host. Secrets come from `safeLoadSecrets` (env, `sm://` references, `NAME_FILE`, the schema's Secret Manager
 * bindings when `GCP_PROJECT_ID` is set), which also resolves an `sm://` reference in a non-secret setting.
 * When that step fails (all or nothing), the configuration step still runs: secrets that were fetched count
 * as `providedElsewhere`, the failed ones as absent, and each problem is reported once.
 *
 * @example
 * const settings = await loadSettings({ env: process.env });
 * if (!settings.ok) console.error(formatIssues(settings.issues));
 */
export async function loadSettings(options: LoadSettingsOptions = {}): Promise<SettingsResult> {
  const env = options.env ?? process.env;
  const timings: SettingsTimings = { secretsMs: 0, configMs: 0, oauthMs: 0 };

  const parsed = parseEnvironment(env.ENVIRONMENT, netraBackendSchema);
  if (!parsed.ok) return { ok: false, environment: undefined, issues: [parsed.issue], timings };
  const { environment } = parsed;

  let started = performance.now();
  // One all-or-nothing step: the schema's secrets from their sources, and an sm:// reference in any other
  // setting of the schema (a client ID in development, say). A client the loader creates follows the
  // SECRET_MANAGER_EMULATOR_HOST of `env` first, so no Secret Manager call can fall through to Google.
  const secrets = await safeLoadSecrets(netraBackendSchema, {
    environment,
    env,
    ...(env.GCP_PROJECT_ID ? { projectId: env.GCP_PROJECT_ID } : {}),
    ...(options.secretsDeadlineMs ? { deadlineMs: options.secretsDeadlineMs } : {}),
    ...(options.secretManagerClient ? { client: options.secretManagerClient } : {}),
  });
  timings.secretsMs = performance.now() - started;
  const secretIssues = secrets.ok ? [] : secrets.issues;

  started = performance.now();
  const { configEnv, providedElsewhere } = secrets.ok
    ? { configEnv: { ...env, ...secrets.values }, providedElsewhere: [] }
    : withoutUnloadedSecrets(env, environment, env.GCP_PROJECT_ID, secretIssues);
  // NAME_FILE is the secrets step's to read; the configuration schema would call it unknown and "ignored".
  for (const description of describeSchema(netraBackendSchema, environment)) {
    if (isSecret(description)) delete configEnv[`${description.variable}_FILE`];
  }
  const loaded = safeLoadConfig(netraBackendSchema, { env: configEnv, environment, providedElsewhere });
  timings.configMs = performance.now() - started;

  if (!secrets.ok || !loaded.ok) {
    const configIssues = loaded.ok ? loaded.warnings : loaded.issues;
    return { ok: false, environment, issues: mergeIssues(secretIssues, configIssues), timings };
  }
  const { sources } = secrets;
  const secretWarnings = secrets.warnings;

  started = performance.now();
  const oauth = safeGetOAuthConfig(loaded.config);
  timings.oauthMs = performance.now() - started;
  if (!oauth.ok) {
    return {
      ok: false,
      environment,
      issues: [...oauth.issues, ...secretWarnings, ...loaded.warnings],
      timings,
    };
  }

  return {
    ok: true,
    environment,
    config: loaded.config,
    oauth: oauth.oauth,
    warnings: [...secretWarnings, ...loaded.warnings, ...oauth.warnings],
    sources,
    timings,
  };
}

/**
 * When the secrets step fails it returns no values at all (all or nothing), so the configuration step must
 * not judge the secret variables it was fetching: their `sm://` references are removed, and those that were
 * fetched without a problem count as provided elsewhere. The ones that failed stay absent, so the
 * configuration step still says what else is wrong with them (`wrong-name` when the value is set under
 * another environment's name, as in the incident); its plain `missing` for them is dropped when merging.
 */
function withoutUnloadedSecrets(
  env: Record<string, string | undefined>,
  environment: Environment,
  projectId: string | undefined,
  secretIssues: readonly Issue[],
): { configEnv: Record<string, string | undefined>; providedElsewhere: string[] } {
  const failed = new Set(
    secretIssues.filter((issue) => issue.severity === 'error').map((issue) => issue.variable),
  );
  const configEnv = { ...env };
  const providedElsewhere: string[] = [];
  for (const description of describeSchema(netraBackendSchema, environment)) {
    const { variable } = description;
    const value = env[variable] || undefined;
    const fetched =
      value !== undefined
        ? value.startsWith('sm://')
        : isSecret(description) &&
          (Boolean(env[`${variable}_FILE`]) || (description.secret !== undefined && Boolean(projectId)));
    if (!fetched) continue;
    delete configEnv[variable];
    if (!failed.has(variable)) providedElsewhere.push(variable);
  }
  return { configEnv, providedElsewhere };
}

/** A variable the secrets step loads (bound to a secret, or sensitive), reading its `NAME_FILE` too. */
function isSecret(description: { secret?: unknown; sensitive: boolean }): boolean {
  return description.secret !== undefined || description.sensitive;
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
