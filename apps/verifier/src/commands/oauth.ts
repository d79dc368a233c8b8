/**
 * `netra-verify oauth redirects --env E [--env-file F]… [--project P] [--json]`: the redirect URIs and JavaScript
 * origins to register for the environment's OAuth client in the Google console, derived by oauth-config from the
 * configuration loaded the way `check` loads it (env files, `sm://` references, and with `--project` the
 * environment's Secret Manager bindings).
 */

import { formatIssues, fragmentsOf, type Issue } from '@netra/config-schema';
import {
  googleOAuthFragments,
  type OAuthConfig,
  type OAuthConfigOf,
  type OAuthUrls,
  redirectUrisToRegister,
  safeGetOAuthConfig,
} from '@netra/oauth-config';
import type { CommandContext } from '../context';
import { EXIT_ISSUES, EXIT_OK } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import { loadCommandConfig } from '../load-config';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

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
export async function runOAuthRedirects(
  options: OAuthRedirectsOptions,
  io: Io,
  context: CommandContext,
): Promise<number> {
  // The schema's google-oauth fragment, found by role under whatever key it has (`oauth` in the backend's).
  const fragmentKey = fragmentsOf(context.schema, 'google-oauth')[0]?.key;
  const loaded = await loadCommandConfig(
    context,
    {
      ...options,
      readKeys:
        fragmentKey === undefined
          ? []
          : [`${fragmentKey}.google.clientId`, `${fragmentKey}.google.clientSecret`],
    },
    io,
  );
  const color = shouldUseColor(io.stdout, io.env);
  if (!loaded.ok) {
    writeFailure(io, options, loaded.environment, loaded.issues, color);
    return EXIT_ISSUES;
  }
  const { notRead, environment } = loaded;
  // oauth-config reads the URLs and the fragment's settings at the fragment's key; with no (or several)
  // google-oauth fragments it reports why, as an issue.
  const config = loaded.config as unknown as OAuthUrls & Record<string, unknown>;
  const fragment = googleOAuthFragments(context.schema, environment)[0];
  const idVariable = fragment?.clientId;
  const idBinding = idVariable === undefined ? undefined : notRead.get(idVariable.variable);
  const secretBinding = fragment === undefined ? undefined : notRead.get(fragment.clientSecret.variable);
  const settings = fragment === undefined ? undefined : (valueAt(config, fragment.key) as OAuthSettings);
  const input: OAuthConfigOf =
    fragment === undefined || settings === undefined
      ? config
      : withValueAt(config, fragment.key, {
          ...settings,
          google: {
            clientId: idBinding === undefined ? settings.google?.clientId : STAND_IN_CLIENT_ID,
            clientSecret:
              secretBinding === undefined ? settings.google?.clientSecret : STAND_IN_CLIENT_SECRET,
          },
        });
  const result = safeGetOAuthConfig(input, {
    schema: context.schema,
    ...(options.callbackPath === undefined ? {} : { callbackPath: options.callbackPath }),
  });
  if (!result.ok) {
    writeFailure(io, options, environment, [...loaded.warnings, ...result.issues], color);
    return EXIT_ISSUES;
  }
  const warnings = [...loaded.warnings, ...result.warnings];
  const oauth: OAuthConfig | null = result.oauth;
  const registrations = redirectUrisToRegister([oauth], { schema: context.schema }).map((registration) => ({
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

interface OAuthSettings {
  google?: { clientId?: string; clientSecret?: string };
  issuerUrl?: string;
}

/** The value at a dotted key path of the loaded config (`oauth`, `auth.google`). */
function valueAt(config: Record<string, unknown>, key: string): unknown {
  let node: unknown = config;
  for (const segment of key.split('.')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

/** A plain copy of the config's readable fields with `value` at the dotted `key` (the config itself is frozen). */
function withValueAt(
  config: OAuthUrls & Record<string, unknown>,
  key: string,
  value: unknown,
): OAuthConfigOf {
  const [head, ...rest] = key.split('.') as [string, ...string[]];
  const inner = config[head];
  return {
    ...config,
    environment: config.environment,
    apiBaseUrl: config.apiBaseUrl,
    frontendUrl: config.frontendUrl,
    [head]:
      rest.length === 0
        ? value
        : withValueAt({ ...(inner as Record<string, unknown>) } as never, rest.join('.'), value),
  };
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
