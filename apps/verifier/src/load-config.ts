/**
 * Loading a command's configuration the way `check` does: env files (one reader), `sm://` references, and with
 * `--project` the Secret Manager bindings of the keys a command needs. Shared by `oauth redirects`, `probe` and
 * `manifest generate`; every function takes the {@link CommandContext}, so none names a schema.
 */
import {
  type ConfigSchema,
  describeSchema,
  type Environment,
  type InferConfig,
  type Issue,
  parseSecretReference,
  safeLoadConfig,
} from '@netra/config-schema';
import type { CommandContext } from './context';
import { readEnvFilesReporting } from './env-files';
import { UsageError } from './errors';
import type { Io } from './io';

/**
 * Reads and merges `--env-file`s (later files win) with the reader `check` uses: `issues` has an `invalid` error
 * for every value dotenv cut at an unquoted `#` (keyed by `environment`'s schema), never the value.
 */
export async function readEnvFileValues(
  context: CommandContext,
  files: readonly string[],
  io: Io,
  environment: Environment,
): Promise<{ values: Record<string, string>; issues: Issue[] }> {
  const keyOf = new Map(
    describeSchema(context.schema, environment).map((description) => [description.variable, description.key]),
  );
  const { values, issues } = readEnvFilesReporting(files, io.cwd, (variable) => keyOf.get(variable) ?? '');
  return { values, issues };
}

/** The result of {@link loadCommandConfig}. */
export type CommandConfig =
  | {
      ok: true;
      environment: Environment;
      config: InferConfig<ConfigSchema>;
      warnings: Issue[];
      /** Secret-bound variables whose values were not read (no `--project`): counted as provided. */
      notRead: Map<string, { secret: string; version: string }>;
    }
  | { ok: false; environment: Environment | undefined; issues: Issue[] };

/**
 * Loads the configuration of `environment` as `check` does: the env files merged, `sm://` references resolved,
 * then — for the variables the schema binds to Secret Manager and the files leave out — the secrets of `readKeys`
 * read from `project` when given; the rest count as provided elsewhere (their config fields are then `undefined`).
 */
export async function loadCommandConfig(
  context: CommandContext,
  options: {
    environment: string;
    envFiles: readonly string[];
    project?: string | undefined;
    /** Logical keys whose bound secrets are read from `project`; the others count as provided. @default all */
    readKeys?: readonly string[];
  },
  io: Io,
): Promise<CommandConfig> {
  const environment = context.environment(options.environment);
  const read = await readEnvFileValues(context, options.envFiles, io, environment);
  // A value cut at '#' is an error, as in check; it is reported with whatever else loading finds.
  const cut = read.issues;
  const values: Record<string, string> = { ...read.values };
  values.ENVIRONMENT ??= environment;
  if (values.ENVIRONMENT !== environment) {
    throw new UsageError(
      `the env files set ENVIRONMENT=${values.ENVIRONMENT} but --env is ${environment}: pass the files of one environment`,
    );
  }

  const bound = new Map<string, { secret: string; version: string }>();
  const toRead: string[] = [];
  const descriptions = describeSchema(context.schema, environment);
  const wanted = (key: string | undefined) =>
    options.readKeys === undefined || (key !== undefined && options.readKeys.includes(key));
  for (const variable of descriptions) {
    if (variable.secret !== undefined && values[variable.variable] === undefined) {
      bound.set(variable.variable, variable.secret);
      if (wanted(variable.key)) toRead.push(variable.variable);
    }
  }
  // sm:// references are read only for the keys the command needs; the others count as provided, unread, as
  // bindings do (oauth redirects need no database password, probe no JWT secret).
  const keyOf = new Map(descriptions.map((description) => [description.variable, description.key]));
  for (const [variable, value] of Object.entries(values)) {
    const reference = /^sm:\/\/[^/#?]+\/([^/#?]+)(?:#([^?]+))?/.exec(value);
    if (reference === null || wanted(keyOf.get(variable))) continue;
    delete values[variable];
    if (keyOf.has(variable))
      bound.set(variable, { secret: reference[1]!, version: reference[2] ?? 'latest' });
  }
  const hasReferences = Object.values(values).some((value) => value.startsWith('sm://'));
  const fetchBound = options.project !== undefined && toRead.length > 0;
  if (hasReferences || fetchBound) {
    const loader = await import('@netra/secrets-loader');
    const emulatorHost = io.env.SECRET_MANAGER_EMULATOR_HOST?.trim();
    const client = await loader.createSecretManagerClient(emulatorHost ? { emulatorHost } : {});
    try {
      const requests: {
        variable: string;
        project: string;
        location?: string;
        secret: string;
        version: string;
        field?: string;
      }[] = [];
      for (const [variable, value] of Object.entries(values)) {
        const reference = parseSecretReference(value);
        if (reference !== null) requests.push({ variable, ...reference });
      }
      if (fetchBound) {
        for (const variable of toRead)
          requests.push({ variable, project: options.project!, ...bound.get(variable)! });
      }
      // Regional secrets are served by their location's endpoint: accessSecrets then makes a client per location.
      const fetched = await loader.accessSecrets(
        requests,
        requests.some((request) => request.location !== undefined) ? { env: io.env } : { client },
      );
      if (!fetched.ok) return { ok: false, environment, issues: [...cut, ...fetched.issues] };
      Object.assign(values, fetched.values);
      if (fetchBound) for (const variable of toRead) bound.delete(variable);
    } finally {
      await client.close().catch(() => {});
    }
  }

  const loaded = safeLoadConfig(context.schema, {
    env: values,
    environment,
    providedElsewhere: bound.keys(),
  });
  if (!loaded.ok) return { ok: false, environment, issues: [...cut, ...loaded.issues] };
  if (cut.length > 0) return { ok: false, environment, issues: [...cut, ...loaded.warnings] };
  return { ok: true, environment, config: loaded.config, warnings: loaded.warnings, notRead: bound };
}
