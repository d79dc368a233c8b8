/**
 * `netra-verify oauth redirects --env E [--env-file F]… [--project P] [--json]`: the redirect URIs and JavaScript
 * origins to register for the environment's OAuth client in the Google console, derived by oauth-config from the
 * configuration loaded the way `check` loads it (env files, `sm://` references, and with `--project` the
 * environment's Secret Manager bindings).
 *
 * Also home of {@link loadCommandConfig}, the configuration loading `probe` shares.
 */

import { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';
import {
  describeSchema,
  type Environment,
  formatIssues,
  type Issue,
  parseSecretReference,
  safeLoadConfig,
} from '@netra/config-schema';
import { type OAuthConfig, redirectUrisToRegister, safeGetOAuthConfig } from '@netra/oauth-config';
import { readEnvFilesReporting } from '../env-files';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import {
  booleanOption,
  environmentOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

/**
 * Reads and merges `--env-file`s (later files win) with the reader `check` uses: `issues` has an `invalid` error
 * for every value dotenv cut at an unquoted `#` (keyed by `environment`'s schema), never the value.
 */
export async function readEnvFileValues(
  files: readonly string[],
  io: Io,
  environment: Environment,
): Promise<{ values: Record<string, string>; issues: Issue[] }> {
  const keyOf = new Map(
    describeSchema(netraBackendSchema, environment).map((description) => [
      description.variable,
      description.key,
    ]),
  );
  const { values, issues } = readEnvFilesReporting(files, io.cwd, (variable) => keyOf.get(variable) ?? '');
  return { values, issues };
}

/** The result of {@link loadCommandConfig}. */
export type CommandConfig =
  | {
      ok: true;
      environment: Environment;
      config: NetraBackendConfig;
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
  options: {
    environment: string;
    envFiles: readonly string[];
    project?: string | undefined;
    /** Logical keys whose bound secrets are read from `project`; the others count as provided. @default all */
    readKeys?: readonly string[];
  },
  io: Io,
): Promise<CommandConfig> {
  const environment = environmentOption(options.environment);
  const read = await readEnvFileValues(options.envFiles, io, environment);
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
  const descriptions = describeSchema(netraBackendSchema, environment);
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

  const loaded = safeLoadConfig(netraBackendSchema, {
    env: values,
    environment,
    providedElsewhere: bound.keys(),
  });
  if (!loaded.ok) return { ok: false, environment, issues: [...cut, ...loaded.issues] };
  if (cut.length > 0) return { ok: false, environment, issues: [...cut, ...loaded.warnings] };
  return { ok: true, environment, config: loaded.config, warnings: loaded.warnings, notRead: bound };
}

/** Options of `oauth redirects`, after parsing. */
export interface OAuthRedirectsOptions {
  environment: string;
  envFiles: string[];
  project: string | undefined;
  /** The callback route the service serves. @default '/auth/callback' */
  callbackPath: string | undefined;
  json: boolean;
}

/** Parses cac's options for `oauth redirects`. */
export function parseOAuthRedirectsOptions(raw: RawOptions): OAuthRedirectsOptions {
  return {
    environment: requiredStringOption(raw, 'env', '--env', '--env staging'),
    envFiles: stringListOption(raw, 'envFile', '--env-file'),
    project: stringOption(raw, 'project', '--project'),
    callbackPath: stringOption(raw, 'callbackPath', '--callback-path'),
    json: booleanOption(raw, 'json'),
  };
}

// Stand-ins for client credentials bound to Secret Manager and not read: the redirect URIs and origins depend only
// on API_BASE_URL and FRONTEND_URL. They are never printed; the report names the binding instead.
const STAND_IN_CLIENT_ID = 'not-read-from-secret-manager.apps.googleusercontent.com';
const STAND_IN_CLIENT_SECRET = 'not-read-from-secret-manager';

/** Runs `oauth redirects`: 0 with the URIs to register, 1 when the configuration or the OAuth settings are wrong. */
export async function runOAuthRedirects(options: OAuthRedirectsOptions, io: Io): Promise<number> {
  const loaded = await loadCommandConfig(
    { ...options, readKeys: ['oauth.google.clientId', 'oauth.google.clientSecret'] },
    io,
  );
  const color = shouldUseColor(io.stdout, io.env);
  if (!loaded.ok) {
    writeFailure(io, options, loaded.environment, loaded.issues, color);
    return EXIT_ISSUES;
  }
  const { config, notRead, environment } = loaded;
  const names = describeSchema(netraBackendSchema, environment);
  const idVariable = names.find((v) => v.key === 'oauth.google.clientId');
  const secretVariable = names.find((v) => v.key === 'oauth.google.clientSecret');
  const idBinding = idVariable === undefined ? undefined : notRead.get(idVariable.variable);
  const secretBinding = secretVariable === undefined ? undefined : notRead.get(secretVariable.variable);
  const input = {
    environment: config.environment,
    apiBaseUrl: config.apiBaseUrl,
    frontendUrl: config.frontendUrl,
    oauth: {
      google: {
        clientId: idBinding === undefined ? config.oauth.google.clientId : STAND_IN_CLIENT_ID,
        clientSecret: secretBinding === undefined ? config.oauth.google.clientSecret : STAND_IN_CLIENT_SECRET,
      },
      issuerUrl: config.oauth.issuerUrl,
    },
  };
  const result = safeGetOAuthConfig(
    input,
    options.callbackPath === undefined ? {} : { callbackPath: options.callbackPath },
  );
  if (!result.ok) {
    writeFailure(io, options, environment, [...loaded.warnings, ...result.issues], color);
    return EXIT_ISSUES;
  }
  const warnings = [...loaded.warnings, ...result.warnings];
  const oauth: OAuthConfig | null = result.oauth;
  const registrations = redirectUrisToRegister([oauth]).map((registration) => ({
    ...registration,
    clientId:
      idBinding === undefined
        ? registration.clientId
        : `(${idVariable?.variable} from Secret Manager secret ${idBinding.secret}; not read)`,
  }));
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: true, environment, registrations, issues: warnings.map(jsonIssue) }, null, 2)}\n`,
    );
    return EXIT_OK;
  }
  if (registrations.length === 0) {
    io.stdout.write(
      `oauth redirects (${environment}): OAuth is disabled (no client configured); nothing to register\n`,
    );
  }
  for (const registration of registrations) {
    io.stdout.write(
      [
        `oauth redirects (${registration.environment}): register in ${registration.issuer === 'https://accounts.google.com' ? 'Google Cloud console → APIs & Services → Credentials' : registration.issuer}`,
        `  client: ${registration.clientId}`,
        '  Authorized redirect URIs:',
        ...registration.redirectUris.map((uri) => `    ${uri}`),
        '  Authorized JavaScript origins:',
        ...registration.javascriptOrigins.map((origin) => `    ${origin}`),
      ].join('\n') + '\n',
    );
  }
  if (warnings.length > 0)
    io.stdout.write(`${formatIssues(warnings, { color, title: `oauth (${environment})` })}\n`);
  return EXIT_OK;
}

function writeFailure(
  io: Io,
  options: { json: boolean },
  environment: string | undefined,
  issues: Issue[],
  color: boolean,
): void {
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: false, environment: environment ?? null, issues: issues.map(jsonIssue) }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(
      `${formatIssues(issues, { color, title: `oauth redirects (${environment ?? 'unknown'})` })}\n`,
    );
  }
}
