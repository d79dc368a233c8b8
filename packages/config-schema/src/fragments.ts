import { ENVIRONMENT_MARK } from './compile.ts';
import { type CrossRule, type DynamicDefault, group, type Variable, variable } from './dsl.ts';
import { minStrength, noPlaceholder, notJsonDocument, notLoopbackHost } from './policies.ts';
import { markPortable } from './portable-marks.ts';
import type { Environment } from './types.ts';
import { boolean as booleanValue, googleClientId, host, httpUrl, oneOf, port, text } from './values.ts';

const DEPLOYED = ['deployed'] as const;
const LOCAL = ['local'] as const;

/**
 * The `ENVIRONMENT` variable: one of the schema's environments, required. Its config field is the environment
 * being loaded; an `ENVIRONMENT` that names another environment is an error.
 *
 * @example
 * defineSchema({ environment: environmentVariable(), … });
 */
export function environmentVariable(): Variable<Environment, false> {
  const declared = variable({
    name: 'ENVIRONMENT',
    // Replaced, per schema, by one of the schema's environments (see compile).
    schema: text(),
    description:
      'Which environment this process runs in. Read from ENVIRONMENT, never from NODE_ENV; an unknown value is an error, not a fallback.',
    example: 'staging',
    required: true,
  });
  return { ...declared, options: Object.freeze({ ...declared.options, [ENVIRONMENT_MARK]: true }) };
}

/** Options of {@link databaseFragment}. */
export interface DatabaseFragmentOptions {
  /** Variable name prefix. @default 'DATABASE_' */
  prefix?: string;
  /**
   * Secret Manager secret of the password, `{env}` replaced. @default from the prefix: 'database-password-{env}'
   * for `DATABASE_`, 'queue-database-password-{env}' for `QUEUE_DATABASE_` (so two fragments never share a secret)
   */
  passwordSecret?: string;
}

/** `DATABASE_` → `database-password-{env}`, `ANALYTICS_DB_` → `analytics-db-password-{env}`. */
const passwordSecretOf = (prefix: string): string =>
  `${prefix.replace(/_+$/, '').toLowerCase().replaceAll('_', '-')}-password-{env}`;

const sslModeDefault = (hostVariable: string): DynamicDefault => ({
  value: 'require',
  description: 'require (disable for /cloudsql/ sockets)',
  resolve: markPortable(
    (lookup: (variable: string) => string | undefined) =>
      lookup(hostVariable)?.startsWith('/cloudsql/') ? 'disable' : 'require',
    { variable: hostVariable, startsWith: '/cloudsql/', matched: 'disable', otherwise: 'require' },
  ),
});

const passwordNotUser: CrossRule = {
  id: 'password-not-user',
  description: 'the password differs from the user name',
  environments: DEPLOYED,
  keys: ['user', 'password'],
  check: (values, context) =>
    typeof values['password'] === 'string' &&
    typeof values['user'] === 'string' &&
    values['password'].toLowerCase().includes(values['user'].toLowerCase())
      ? {
          key: 'password',
          code: 'weak-secret',
          message: `${context.variable('password')} contains the user name (${context.variable('user')})`,
          hint: `Generate a random password: openssl rand -base64 24, and store it in ${context.variable('password')}'s secret.`,
        }
      : undefined,
};
markPortable(passwordNotUser.check, { builtin: 'password-not-user' });

const sslOverNetwork: CrossRule = {
  id: 'ssl-over-network',
  description: 'warns when SSL is disabled for a network (not /cloudsql/) host',
  severity: 'warning',
  environments: DEPLOYED,
  keys: ['host', 'sslMode'],
  check: (values, context) =>
    values['sslMode'] === 'disable' &&
    typeof values['host'] === 'string' &&
    !values['host'].startsWith('/cloudsql/')
      ? {
          key: 'sslMode',
          code: 'invalid',
          message: `${context.variable('sslMode')} is disable while ${context.variable('host')} is a network host: the connection is not encrypted`,
          hint: `Set ${context.variable('sslMode')}=require (or connect through a /cloudsql/ socket).`,
        }
      : undefined,
};
markPortable(sslOverNetwork.check, { builtin: 'ssl-over-network', socketPrefix: '/cloudsql/' });

/**
 * PostgreSQL settings: host, port, name, user, password, sslMode — loopback defaults in development/test,
 * required and not-loopback in staging/production, password from Secret Manager.
 *
 * @example
 * defineSchema({ environment: environmentVariable(), analytics: databaseFragment({ prefix: 'ANALYTICS_DB_' }) });
 */
export function databaseFragment(options: DatabaseFragmentOptions = {}) {
  const prefix = options.prefix ?? 'DATABASE_';
  return group(
    {
      host: variable({
        name: `${prefix}HOST`,
        schema: host({ portVariable: `${prefix}PORT` }),
        description:
          'PostgreSQL host: a private IP or host name, or the Cloud SQL socket directory /cloudsql/PROJECT:REGION:INSTANCE.',
        example: '/cloudsql/netra-staging:europe-west1:netra-db',
        required: DEPLOYED,
        default: { local: '127.0.0.1' },
        rules: [notLoopbackHost()],
      }),
      port: variable({
        name: `${prefix}PORT`,
        schema: port(),
        description: 'PostgreSQL port (ignored for /cloudsql/ sockets).',
        example: '5432',
        default: '5432',
      }),
      name: variable({
        name: `${prefix}NAME`,
        schema: text(),
        description: 'Database name.',
        example: 'netra',
        default: 'postgres',
      }),
      user: variable({
        name: `${prefix}USER`,
        schema: text(),
        description: 'Database user.',
        example: 'netra_app',
        required: DEPLOYED,
        default: { local: 'postgres' },
      }),
      password: variable({
        name: `${prefix}PASSWORD`,
        schema: text(),
        description: 'Database password. From Secret Manager in staging and production.',
        sensitive: true,
        required: DEPLOYED,
        secret: options.passwordSecret ?? passwordSecretOf(prefix),
        obtain: { generate: 'openssl rand -base64 24' },
        rules: [minStrength(16), noPlaceholder()],
      }),
      sslMode: variable({
        name: `${prefix}SSL_MODE`,
        schema: oneOf(['disable', 'require', 'verify-full']),
        description: 'TLS to PostgreSQL: disable, require or verify-full.',
        example: 'require',
        default: { local: 'disable', deployed: sslModeDefault(`${prefix}HOST`) },
      }),
    },
    { prefixes: [prefix], rules: [passwordNotUser, sslOverNetwork], role: 'postgres' },
  );
}

/** Options of {@link redisFragment}. */
export interface RedisFragmentOptions {
  /** Variable name prefix. @default 'REDIS_' */
  prefix?: string;
  /**
   * Secret Manager secret of the password, `{env}` replaced. @default from the prefix: 'redis-password-{env}'
   * for `REDIS_`, 'queue-redis-password-{env}' for `QUEUE_REDIS_` (so two fragments never share a secret)
   */
  passwordSecret?: string;
}

/**
 * Redis (Memorystore) settings: host, port, password, tls.
 *
 * @example
 * defineSchema({ environment: environmentVariable(), cache: redisFragment() });
 */
export function redisFragment(options: RedisFragmentOptions = {}) {
  const prefix = options.prefix ?? 'REDIS_';
  return group(
    {
      host: variable({
        name: `${prefix}HOST`,
        schema: host({ cloudSql: false, portVariable: `${prefix}PORT` }),
        description: 'Redis host: the Memorystore instance private IP in staging and production.',
        example: '10.20.0.3',
        required: DEPLOYED,
        default: { local: '127.0.0.1' },
        rules: [notLoopbackHost()],
      }),
      port: variable({
        name: `${prefix}PORT`,
        schema: port(),
        description: 'Redis port.',
        example: '6379',
        default: '6379',
      }),
      password: variable({
        name: `${prefix}PASSWORD`,
        schema: text(),
        description: 'Redis AUTH string. From Secret Manager in staging and production.',
        sensitive: true,
        required: DEPLOYED,
        secret: options.passwordSecret ?? passwordSecretOf(prefix),
        // Memorystore generates the AUTH string; it cannot be chosen.
        obtain: {
          copyFrom:
            'the Memorystore instance (gcloud redis instances get-auth-string INSTANCE --region=REGION)',
        },
        rules: [noPlaceholder()],
      }),
      tls: variable({
        name: `${prefix}TLS`,
        schema: booleanValue(),
        description: 'Memorystore in-transit encryption (TLS).',
        example: 'true',
        default: 'false',
      }),
    },
    { prefixes: [prefix], role: 'redis' },
  );
}

const clientPair: CrossRule = {
  id: 'oauth-client-pair',
  description: 'client ID and client secret are set together',
  keys: ['clientId', 'clientSecret'],
  check: (values, context) => {
    const id = values['clientId'] !== undefined;
    const secret = values['clientSecret'] !== undefined;
    if (id === secret) return undefined;
    const missing = id ? 'clientSecret' : 'clientId';
    const present = id ? 'clientId' : 'clientSecret';
    return {
      key: missing,
      code: 'missing',
      message: `${context.variable(present)} is set but ${context.variable(missing)} is not; OAuth needs both`,
      hint: `Set ${context.variable(missing)} too, or unset ${context.variable(present)} to disable Google sign-in.`,
    };
  },
};
markPortable(clientPair.check, { builtin: 'oauth-client-pair' });

/** Options of {@link googleOAuthFragment}. */
export interface GoogleOAuthFragmentOptions {
  /** Secret Manager secrets, `{env}` replaced. */
  secrets?: { clientId?: string; clientSecret?: string };
}

/**
 * Google OAuth settings: `google.clientId`, `google.clientSecret` (suffixed `_STAGING`/`_PRODUCTION` in those
 * environments, from Secret Manager) and `issuerUrl` (development/test only: a local OpenID provider).
 *
 * @example
 * defineSchema({ environment: environmentVariable(), oauth: googleOAuthFragment() });
 */
export function googleOAuthFragment(options: GoogleOAuthFragmentOptions = {}) {
  return group(
    {
      google: group(
        {
          clientId: variable({
            name: 'GOOGLE_OAUTH_CLIENT_ID',
            suffixed: DEPLOYED,
            schema: googleClientId(),
            description:
              'Google OAuth client ID (ends in .apps.googleusercontent.com). Optional in development/test: unset disables Google sign-in.',
            example: '1234567890-abc123def456.apps.googleusercontent.com',
            required: DEPLOYED,
            secret: options.secrets?.clientId ?? 'google-oauth-client-id-{env}',
            rules: [notJsonDocument({ field: 'client_id' })],
          }),
          clientSecret: variable({
            name: 'GOOGLE_OAUTH_CLIENT_SECRET',
            suffixed: DEPLOYED,
            schema: text(),
            description: 'Google OAuth client secret of the same client.',
            sensitive: true,
            required: DEPLOYED,
            secret: options.secrets?.clientSecret ?? 'google-oauth-client-secret-{env}',
            obtain: {
              copyFrom:
                'the Google Cloud console (APIs & Services → Credentials → the "Web application" OAuth client)',
            },
            rules: [notJsonDocument({ field: 'client_secret' }), noPlaceholder()],
          }),
        },
        { rules: [clientPair] },
      ),
      issuerUrl: variable({
        name: 'OAUTH_ISSUER_URL',
        schema: httpUrl(),
        description:
          'OpenID issuer to use instead of Google — development and test only (a local provider for tests). Not allowed in staging or production.',
        example: 'http://127.0.0.1:4000',
        environments: LOCAL,
      }),
    },
    { prefixes: ['GOOGLE_OAUTH_', 'OAUTH_'], role: 'google-oauth' },
  );
}
