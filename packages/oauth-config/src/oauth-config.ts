import type { ConfigSchema } from '@netra/config-schema';
import { OAuthConfigError } from './errors.ts';
import { redacting } from './redact.ts';
import {
  type Environment,
  type GoogleOAuthFragmentVariables,
  type Issue,
  loopbackContext,
  loopbackRule,
  type OAuthSchema,
  OAuthSchemaProblem,
  type OAuthVariable,
  oauthSchema,
  parseEnvironment,
} from './schema.ts';

/** The settings every OAuth client is derived from, whatever the schema: the environment and two URLs. */
export interface OAuthUrls {
  /** `ENVIRONMENT`: one of the schema's environments. */
  readonly environment: Environment;
  /** `API_BASE_URL`: the service's public base URL; the redirect URI is derived from it. */
  readonly apiBaseUrl: string;
  /** `FRONTEND_URL`: the web app's URL; its origin is the JavaScript origin to register. */
  readonly frontendUrl: string;
}

/** What `googleOAuthFragment()` makes in a loaded config. */
export interface GoogleOAuthSettings {
  readonly google: {
    /** `GOOGLE_OAUTH_CLIENT_ID` (`…_STAGING` / `…_PRODUCTION` there). */
    readonly clientId?: string | undefined;
    /** `GOOGLE_OAUTH_CLIENT_SECRET` (`…_STAGING` / `…_PRODUCTION` there). */
    readonly clientSecret?: string | undefined;
  };
  /** `OAUTH_ISSUER_URL`: the local tier only, a local OpenID provider instead of Google. */
  readonly issuerUrl?: string | undefined;
}

/**
 * The part of a validated config this package reads when the google-oauth fragment sits under `oauth` (as in
 * the backend's config), so the object `loadConfig(schema)` returns can be passed as it is. With
 * `{ schema }`, any config whose schema has a google-oauth fragment, under any key, is accepted.
 *
 * @example
 * const oauth = getOAuthConfig(loadConfig(schema), { schema });
 */
export interface OAuthInput extends OAuthUrls {
  readonly oauth: GoogleOAuthSettings;
}

/** Options of {@link getOAuthConfig} and {@link safeGetOAuthConfig}. */
export interface OAuthOptions {
  /**
   * The callback route, appended to `API_BASE_URL`'s path. A path starting with `/`, or an absolute URL when
   * a gateway on another origin serves the callback (in staging and production its host must still be
   * `API_BASE_URL`'s).
   * @default '/auth/callback'
   * @example { callbackPath: '/api/auth/google/callback' }
   */
  callbackPath?: string;
  /**
   * The scopes to request.
   * @default ['openid', 'email', 'profile']
   * @example { scopes: ['openid', 'email'] }
   */
  scopes?: string[];
  /**
   * The schema the config was loaded with: its environments and tiers, its google-oauth fragment (found by role,
   * under any key) and that fragment's variable names and rules. Without it, config-schema's
   * `googleOAuthFragment()` under `oauth` in the default environments (development, test, staging, production)
   * stands in.
   * @default undefined
   * @example { schema: workerSchema }
   */
  schema?: ConfigSchema;
  /**
   * The key of the google-oauth fragment to use, when the schema has several.
   * @default the schema's only google-oauth fragment
   * @example { schema, fragment: 'adminOAuth' }
   */
  fragment?: string;
}

/** A config loaded with any schema: the URLs, and the google-oauth fragment under whatever key the schema says. */
export type OAuthConfigOf = OAuthUrls & { readonly [key: string]: unknown };

/** {@link OAuthOptions} with the schema: the config may hold its google-oauth fragment under any key. */
export interface OAuthSchemaOptions extends OAuthOptions {
  schema: ConfigSchema;
}

/**
 * The OAuth client configuration of one environment, derived from the validated config.
 * Frozen. `clientSecret` is a plain string, but the object's JSON, `util.inspect` and `String()` forms
 * show `[redacted]` in its place.
 */
export interface OAuthConfig {
  readonly environment: Environment;
  readonly provider: 'google';
  readonly clientId: string;
  readonly clientSecret: string;
  /** `API_BASE_URL` + callback path: `https://api.example.com/auth/callback`. */
  readonly redirectUri: string;
  /** The origin of `FRONTEND_URL`: `['https://app.example.com']`. */
  readonly javascriptOrigins: string[];
  readonly scopes: string[];
  /** `https://accounts.google.com`, or `OAUTH_ISSUER_URL` in development and test. */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
}

/** Result of {@link safeGetOAuthConfig}. */
export type SafeOAuthResult =
  | {
      ok: true;
      /** `null`: OAuth is disabled (no client configured), which only the local tier (development, test) allows. */
      oauth: OAuthConfig | null;
      warnings: Issue[];
    }
  | { ok: false; issues: Issue[] };

/** Google's OpenID issuer identifier. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';
/** Google's authorization endpoint (as in its discovery document and google-auth-library). */
export const GOOGLE_AUTHORIZATION_ENDPOINT = 'https://accounts.google.com/o/oauth2/v2/auth';
/** Google's token endpoint (as in its discovery document and google-auth-library). */
export const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
/** The suffix of every Google OAuth client ID. */
export const GOOGLE_CLIENT_ID_SUFFIX = '.apps.googleusercontent.com';
/** @default callback path */
export const DEFAULT_CALLBACK_PATH = '/auth/callback';
/** @default scopes */
export const DEFAULT_SCOPES: readonly string[] = Object.freeze(['openid', 'email', 'profile']);

/**
 * Whether a URL's host is this machine, by config-schema's own loopback rule (the one API_BASE_URL and
 * FRONTEND_URL are checked with), so both packages agree on what loopback is.
 */
export function isLoopbackUrl(url: URL): boolean {
  // Scheme and host only: `https://user@localhost` must not hide its host behind the userinfo.
  return loopbackRule.check(`${url.protocol}//${url.host}`, loopbackContext) !== undefined;
}

const DOTTED_QUAD = /^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$/;

/**
 * Whether the `hostname` of a WHATWG `URL` is an IP address. The URL parser has already normalised it: an
 * IPv6 address is always in brackets (`[::1]`), and any IPv4 form (`0x7f.1`, `3232235777`, `127.1`) is
 * rewritten to dotted-quad decimal or rejected, so no IP parser is needed (`net.isIP` costs milliseconds on
 * its first call). Not for raw strings: `999.1.1.1` is no URL host, but this says true for it.
 */
export function isIpHostname(hostname: string): boolean {
  return hostname.startsWith('[') || DOTTED_QUAD.test(hostname);
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

/** The fragment's settings in the config: `config.oauth`, or `config.<key>` for a fragment elsewhere. */
function settingsAt(config: unknown, key: string): Partial<GoogleOAuthSettings> | undefined {
  let node: unknown = config;
  for (const segment of key.split('.')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node !== null && typeof node === 'object' ? (node as Partial<GoogleOAuthSettings>) : undefined;
}

/**
 * Derives the environment's OAuth client configuration and checks it, returning every problem at once
 * instead of throwing. `oauth` is `null` when no client is configured, which only the local tier allows.
 *
 * @example
 * const result = safeGetOAuthConfig(config, { schema });
 * if (!result.ok) console.error(formatIssues(result.issues));
 * else if (result.oauth) app.get('/auth/login', login(result.oauth));
 */
export function safeGetOAuthConfig(config: OAuthInput, options?: OAuthOptions): SafeOAuthResult;
export function safeGetOAuthConfig(config: OAuthConfigOf, options: OAuthSchemaOptions): SafeOAuthResult;
export function safeGetOAuthConfig(config: OAuthUrls, options: OAuthOptions = {}): SafeOAuthResult {
  let schema: OAuthSchema;
  try {
    schema = oauthSchema(options.schema, options.fragment);
  } catch (error) {
    if (error instanceof OAuthSchemaProblem) return { ok: false, issues: [inOrder(error.issue)] };
    throw error;
  }
  // From JavaScript, or a config of another schema: an issue, not a TypeError.
  const settings = settingsAt(config, schema.key);
  const google = settings?.google;
  if (typeof google !== 'object' || google === null) {
    return {
      ok: false,
      issues: [
        {
          severity: 'error',
          code: 'invalid',
          key: `${schema.key}.google`,
          variable: '',
          message: `The config has no ${schema.key}.google group, so there is no OAuth client to derive.`,
          hint: options.schema
            ? `Pass the config loaded with this schema (its google-oauth fragment is at '${schema.key}').`
            : "Compose googleOAuthFragment() under the key 'oauth' of the schema, or pass { schema } so that its google-oauth fragment is found under its own key.",
        },
      ],
    };
  }
  const parsedEnvironment = parseEnvironment((config as Partial<OAuthUrls>).environment, schema.environments);
  if (!parsedEnvironment.ok) return { ok: false, issues: [parsedEnvironment.issue] };
  const environment = parsedEnvironment.environment;
  const deployed = schema.deployed(environment);
  const names = schema.variables(environment);
  const issues: Issue[] = [];
  const { clientId, clientSecret } = google;
  const issuerUrl = settings?.issuerUrl;

  if (!deployed && !present(clientId) && !present(clientSecret)) {
    if (present(issuerUrl)) {
      issues.push({
        severity: 'warning',
        code: 'missing',
        key: names.clientId.key,
        variable: names.clientId.variable,
        message: `${names.issuerUrl.variable} is set but no OAuth client is configured, so OAuth is disabled.`,
        hint: `Set ${names.clientId.variable} and ${names.clientSecret.variable} to the client registered at ${names.issuerUrl.variable}, or unset ${names.issuerUrl.variable}.`,
      });
    }
    return { ok: true, oauth: null, warnings: issues.map(inOrder) };
  }

  checkClientCredential(issues, schema, environment, names, 'clientId', clientId);
  checkClientCredential(issues, schema, environment, names, 'clientSecret', clientSecret);
  if (present(clientId) && !issues.some((issue) => issue.key === names.clientId.key)) {
    if (!clientId.endsWith(GOOGLE_CLIENT_ID_SUFFIX)) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        key: names.clientId.key,
        variable: names.clientId.variable,
        message: `${names.clientId.variable} is not a Google OAuth client ID: it must end in ${GOOGLE_CLIENT_ID_SUFFIX}.`,
        hint: `Copy the "Client ID" of the ${environment} Web application client from Google Cloud console → APIs & Services → Credentials.`,
      });
    }
  }
  if (present(clientId) && present(clientSecret) && clientId === clientSecret) {
    issues.push({
      severity: 'error',
      code: 'invalid',
      key: names.clientSecret.key,
      variable: names.clientSecret.variable,
      message: `${names.clientSecret.variable} holds the same value as ${names.clientId.variable}: both variables are bound to one value.`,
      hint: `Bind each variable to its own value (or its own field of a client_secret.json secret: ?field=web.client_id and ?field=web.client_secret).`,
    });
  }

  const issuer = checkIssuer(issues, schema, environment, issuerUrl, names);
  const usesGoogle = issuer === GOOGLE_ISSUER;
  const redirectUri = deriveRedirectUri(
    issues,
    schema,
    environment,
    config.apiBaseUrl,
    options.callbackPath,
    usesGoogle,
  );
  const origin = deriveOrigin(issues, schema, environment, config.frontendUrl, usesGoogle);
  const scopes = checkScopes(issues, options.scopes);

  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues: issues.map(inOrder) };
  const issuerBase = issuer.replace(/\/+$/, '');
  const oauth = redacting<OAuthConfig>('OAuthConfig', ['clientSecret'], {
    environment,
    provider: 'google',
    clientId: clientId as string,
    clientSecret: clientSecret as string,
    redirectUri: redirectUri as string,
    javascriptOrigins: [origin as string],
    scopes,
    issuer,
    // A local provider's endpoints are oidc-provider's defaults; openidClientConfiguration discovers the real ones.
    authorizationEndpoint: usesGoogle ? GOOGLE_AUTHORIZATION_ENDPOINT : `${issuerBase}/auth`,
    tokenEndpoint: usesGoogle ? GOOGLE_TOKEN_ENDPOINT : `${issuerBase}/token`,
  });
  return { ok: true, oauth, warnings: issues.map(inOrder) };
}

/** The fields of an issue in the order every report prints them. */
const inOrder = ({ severity, code, key, variable, message, hint, ...context }: Issue): Issue => ({
  severity,
  code,
  key,
  variable,
  message,
  hint,
  ...context,
});

/**
 * Derives the environment's OAuth client configuration; throws {@link OAuthConfigError} listing every
 * problem, including "no client configured" (use {@link safeGetOAuthConfig} where OAuth may be disabled).
 *
 * @example
 * const oauth = getOAuthConfig(loadConfig(schema), { schema });
 * oauth.redirectUri; // 'https://api.staging.example.com/auth/callback'
 */
export function getOAuthConfig(config: OAuthInput, options?: OAuthOptions): OAuthConfig;
export function getOAuthConfig(config: OAuthConfigOf, options: OAuthSchemaOptions): OAuthConfig;
export function getOAuthConfig(config: OAuthUrls, options: OAuthOptions = {}): OAuthConfig {
  const result = safeGetOAuthConfig(config as OAuthConfigOf, options as OAuthSchemaOptions);
  if (!result.ok) throw new OAuthConfigError(result.issues);
  if (result.oauth) return result.oauth;
  const names = oauthSchema(options.schema, options.fragment).variables(config.environment);
  throw new OAuthConfigError([
    ...result.warnings,
    {
      severity: 'error',
      code: 'missing',
      key: names.clientId.key,
      variable: names.clientId.variable,
      message: `No OAuth client is configured: ${names.clientId.variable} and ${names.clientSecret.variable} are not set.`,
      hint: `Set both, or call safeGetOAuthConfig(), which returns oauth: null when OAuth is disabled in ${config.environment}.`,
    },
  ]);
}

function checkClientCredential(
  issues: Issue[],
  schema: OAuthSchema,
  environment: Environment,
  names: GoogleOAuthFragmentVariables,
  which: 'clientId' | 'clientSecret',
  value: string | undefined,
): void {
  const variable: OAuthVariable = names[which];
  if (!present(value)) {
    const what = which === 'clientId' ? 'client ID' : 'client secret';
    const local = schema.localEnvironments;
    const localName = local[0] === undefined ? variable.variable : schema.variables(local[0])[which].variable;
    const other = which === 'clientId' ? names.clientSecret : names.clientId;
    const binding = variable.secret
      ? ` (Secret Manager: --set-secrets=${variable.variable}=${variable.secret.secret}:${variable.secret.version})`
      : '';
    issues.push({
      severity: 'error',
      code: 'missing',
      key: variable.key,
      variable: variable.variable,
      message:
        `${variable.variable} is not set; ${environment} reads the Google OAuth ${what} from it` +
        (localName === variable.variable ? '.' : `, not from ${localName} (the ${local.join('/')} name).`),
      hint: schema.deployed(environment)
        ? `Provide ${variable.variable}${binding}.`
        : `Set ${variable.variable}, or unset ${other.variable} to disable OAuth in ${environment}.`,
    });
    return;
  }
  issues.push(...schema.validate(environment, variable.variable, value));
}

function checkIssuer(
  issues: Issue[],
  schema: OAuthSchema,
  environment: Environment,
  issuerUrl: string | undefined,
  names: GoogleOAuthFragmentVariables,
): string {
  if (!present(issuerUrl)) return GOOGLE_ISSUER;
  const issuerName = names.issuerUrl.variable;
  const base = { key: names.issuerUrl.key, variable: issuerName } as const;
  if (schema.deployed(environment)) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${issuerName} overrides the OpenID issuer, which ${environment} never does: it signs in with Google (${GOOGLE_ISSUER}).`,
      hint: `Remove ${issuerName} from the ${environment} configuration; it exists for local test providers only.`,
    });
    return GOOGLE_ISSUER;
  }
  const url = parseHttpUrl(issuerUrl);
  if (url && (url.username !== '' || url.password !== '')) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${issuerName} contains credentials (user:password@, not shown); an OpenID issuer URL has none, and OAuthConfig.issuer is printed.`,
      hint: `Set ${issuerName} to the issuer alone, e.g. ${url.protocol}//${url.host}.`,
    });
  } else if (!url) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${issuerName} is not an http(s) URL.`,
      hint: `Set it to the issuer of the local OpenID provider, e.g. http://127.0.0.1:4000.`,
    });
  } else if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${issuerName} uses http on a host that is not this machine (${url.hostname}); only a loopback issuer may skip TLS.`,
      hint: `Use https, or a provider on 127.0.0.1 / localhost.`,
    });
  }
  return issuerUrl;
}

function checkCallbackPath(issues: Issue[], callbackPath: string): boolean {
  const problem =
    callbackPath.includes('#') || callbackPath.includes('*')
      ? 'contains a fragment or a wildcard, which Google does not accept in a redirect URI'
      : !callbackPath.startsWith('/') && !parseHttpUrl(callbackPath)
        ? 'is neither a path starting with "/" nor an absolute http(s) URL'
        : callbackPath.startsWith('//')
          ? 'starts with "//", which would change the host'
          : undefined;
  if (!problem) return true;
  issues.push({
    severity: 'error',
    code: 'invalid',
    key: 'callbackPath',
    variable: '',
    message: `The callbackPath option (${JSON.stringify(callbackPath)}) ${problem}.`,
    hint: `Pass a path such as ${JSON.stringify(DEFAULT_CALLBACK_PATH)}.`,
  });
  return false;
}

/** https and not loopback where deployed; http only on loopback for Google in development and test. */
function checkBrowserFacingUrl(
  issues: Issue[],
  schema: OAuthSchema,
  environment: Environment,
  url: URL,
  what: string,
  base: { key: string; variable: string },
  usesGoogle: boolean,
): void {
  const loopback = isLoopbackUrl(url);
  const shown = what === 'JavaScript origin' ? url.origin : url.href;
  if (schema.deployed(environment)) {
    if (url.protocol !== 'https:') {
      issues.push({
        ...base,
        severity: 'error',
        code: 'invalid',
        message: `The ${what} ${shown} is not https; ${environment} serves OAuth over https only.`,
        hint: `Set ${base.variable} to the https URL of the ${environment} deployment.`,
      });
    }
    if (loopback) {
      issues.push({
        ...base,
        severity: 'error',
        code: 'loopback-host',
        message: `The ${what} ${shown} points at this machine (${url.hostname}), not at the ${environment} deployment.`,
        hint: `Set ${base.variable} to the public URL of the ${environment} deployment.`,
      });
    } else if (isIpHostname(url.hostname)) {
      issues.push({
        ...base,
        severity: 'error',
        code: 'invalid',
        message: `The ${what} ${shown} uses an IP address; Google accepts only domain names for ${what}s (except localhost).`,
        hint: `Set ${base.variable} to a URL on the ${environment} domain.`,
      });
    }
  } else if (usesGoogle && url.protocol === 'http:' && !loopback) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `The ${what} ${shown} uses http on ${url.hostname}; Google accepts http only for localhost.`,
      hint: `Use https, or http://localhost for local development.`,
    });
  }
}

function deriveRedirectUri(
  issues: Issue[],
  schema: OAuthSchema,
  environment: Environment,
  apiBaseUrl: string,
  callbackPath: string = DEFAULT_CALLBACK_PATH,
  usesGoogle: boolean,
): string | undefined {
  const name = schema.urlVariables.apiBaseUrl;
  const base = { key: 'apiBaseUrl', variable: name };
  const api = parseHttpUrl(apiBaseUrl);
  const pathOk = checkCallbackPath(issues, callbackPath);
  if (!api) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${name} is not an http(s) URL, so no OAuth redirect URI can be derived from it.`,
      hint: `Set ${name} to the public base URL of the API, e.g. https://api.example.com.`,
    });
    return undefined;
  }
  if (!pathOk) return undefined;
  // `api.search`/`api.hash` are '' for a bare `?`/`#`; the raw text says whether one was written at all.
  const dropped = [
    apiBaseUrl.includes('?') ? 'a query string' : '',
    apiBaseUrl.includes('#') ? 'a fragment' : '',
  ].filter(Boolean);
  if (dropped.length > 0) {
    issues.push({
      ...base,
      severity: 'warning',
      code: 'invalid',
      message: `${name} has ${dropped.join(' and ')}, which the redirect URI does not keep (it is ${name}’s origin and path plus the callback path).`,
      hint: `Set ${name} to the base URL alone, e.g. ${api.origin}${api.pathname.replace(/\/+$/, '')}.`,
    });
  }
  const absolute = parseHttpUrl(callbackPath);
  const redirect = absolute ?? new URL(`${api.origin}${api.pathname.replace(/\/+$/, '')}${callbackPath}`);
  checkBrowserFacingUrl(issues, schema, environment, redirect, 'redirect URI', base, usesGoogle);
  if (schema.deployed(environment) && redirect.hostname !== api.hostname) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `The redirect URI ${redirect.href} is not on ${name}'s host (${api.hostname}).`,
      hint: `Serve the callback under ${name} and pass callbackPath as a path, e.g. ${JSON.stringify(DEFAULT_CALLBACK_PATH)}.`,
    });
  }
  return redirect.href;
}

function deriveOrigin(
  issues: Issue[],
  schema: OAuthSchema,
  environment: Environment,
  frontendUrl: string,
  usesGoogle: boolean,
): string | undefined {
  const name = schema.urlVariables.frontendUrl;
  const base = { key: 'frontendUrl', variable: name };
  const url = parseHttpUrl(frontendUrl);
  if (!url) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message: `${name} is not an http(s) URL, so no JavaScript origin can be derived from it.`,
      hint: `Set ${name} to the URL of the web app, e.g. https://app.example.com.`,
    });
    return undefined;
  }
  checkBrowserFacingUrl(issues, schema, environment, url, 'JavaScript origin', base, usesGoogle);
  return url.origin;
}

function checkScopes(issues: Issue[], scopes: readonly string[] = DEFAULT_SCOPES): string[] {
  const base = { key: 'scopes', variable: '' };
  const bad = scopes.filter((scope) => scope === '' || /\s/.test(scope));
  if (scopes.length === 0 || bad.length > 0) {
    issues.push({
      ...base,
      severity: 'error',
      code: 'invalid',
      message:
        scopes.length === 0
          ? 'The scopes option is empty.'
          : `The scopes option has ${bad.length} empty or whitespace-containing scope(s): ${JSON.stringify(bad)}.`,
      hint: `Pass one scope per array element, e.g. ${JSON.stringify(DEFAULT_SCOPES)}.`,
    });
  } else if (!scopes.includes('openid')) {
    issues.push({
      ...base,
      severity: 'warning',
      code: 'invalid',
      message: 'The scopes do not include "openid", so the provider returns no ID token.',
      hint: 'Add "openid" to sign users in.',
    });
  }
  return [...new Set(scopes)];
}
