import {
  defineSchema,
  describeSchema,
  type Environment,
  environmentVariable,
  type Issue,
  minStrength,
  noPlaceholder,
  safeLoadConfig,
  text,
  validateValue,
  variable,
} from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { HEALTHY_PRODUCTION, HEALTHY_STAGING } from '../test/fixtures/envs.ts';
import { DEVELOPMENT_FERNET_KEY, DEVELOPMENT_JWT_SECRET, netraBackendSchema } from './schema.ts';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;

const BASE: Record<Environment, Record<string, string>> = {
  development: { ENVIRONMENT: 'development' },
  test: { ENVIRONMENT: 'test' },
  staging: HEALTHY_STAGING,
  production: HEALTHY_PRODUCTION,
};

/** Loads the healthy env of `environment` with `changes` (`undefined` removes a variable). */
function load(environment: string, changes: Record<string, string | undefined>) {
  const env: Record<string, string> = { ...BASE[environment as Environment] };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const result = safeLoadConfig(netraBackendSchema, { env });
  return { result, issues: result.ok ? result.warnings : result.issues };
}

function codes(issues: Issue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.code} ${issue.variable}`);
}

const DEPLOYED = ['staging', 'production'] as const;
const LOCAL = ['development', 'test'] as const;
const suffix = (env: Environment) =>
  env === 'staging' || env === 'production' ? `_${env.toUpperCase()}` : '';

describe('not-loopback hosts', () => {
  const loopbacks = [
    'localhost',
    'LocalHost',
    'db.localhost',
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    // '[::1]' was here: a bracketed address is now invalid (no driver connects to it), see 'host variables'.
    '0.0.0.0',
  ];
  test.each(
    DEPLOYED.flatMap((env) =>
      ['DATABASE_HOST', 'REDIS_HOST'].flatMap((name) => loopbacks.map((v) => [env, name, v])),
    ),
  )('%s %s=%s is loopback-host', (env, name, value) => {
    expect(codes(load(env, { [name]: value }).issues)).toEqual([`error loopback-host ${name}`]);
  });
  test.each(LOCAL.flatMap((env) => loopbacks.map((value) => [env, value])))(
    '%s DATABASE_HOST=%s is fine',
    (env, value) => {
      expect(load(env, { DATABASE_HOST: value }).issues).toEqual([]);
    },
  );
  test.each([
    '/cloudsql/netra-staging:europe-west1:netra-db',
    '10.20.0.5',
    'db.internal.example',
    '127-0-0-1.example',
  ])('staging DATABASE_HOST=%s is allowed', (value) => {
    expect(codes(load('staging', { DATABASE_HOST: value, DATABASE_SSL_MODE: 'require' }).issues)).toEqual([]);
  });
  test('the message names the loopback value and the hint the fix', () => {
    const [issue] = load('staging', { DATABASE_HOST: 'localhost' }).issues;
    expect(issue?.message).toBe(
      'DATABASE_HOST is a loopback address (localhost); in staging nothing listens there',
    );
    expect(issue?.hint).toContain('/cloudsql/PROJECT:REGION:INSTANCE');
  });
});

describe('host variables: a host name or an unbracketed IP address, never a port, scheme or brackets', () => {
  const ENVIRONMENTS_ALL = [...LOCAL, ...DEPLOYED];
  test.each(
    ENVIRONMENTS_ALL.flatMap((env) =>
      [
        [
          'DATABASE_HOST',
          '127.0.0.1:5432',
          'Set DATABASE_HOST=127.0.0.1 and put the port in DATABASE_PORT (DATABASE_PORT=5432), not in DATABASE_HOST.',
        ],
        [
          'DATABASE_HOST',
          '10.0.0.5:5432',
          'Set DATABASE_HOST=10.0.0.5 and put the port in DATABASE_PORT (DATABASE_PORT=5432), not in DATABASE_HOST.',
        ],
        [
          'DATABASE_HOST',
          '[::1',
          'Set DATABASE_HOST=::1: an IPv6 address goes without brackets; put the port in DATABASE_PORT, not in DATABASE_HOST.',
        ],
        [
          'DATABASE_HOST',
          '[fd00::5]:5432',
          'Set DATABASE_HOST=fd00::5 and put the port in DATABASE_PORT (DATABASE_PORT=5432), not in DATABASE_HOST.',
        ],
        ['DATABASE_HOST', 'http://db', 'Set DATABASE_HOST=db: no scheme (http://).'],
        [
          'DATABASE_HOST',
          'postgres://db.internal:6432/netra',
          'Set DATABASE_HOST=db.internal: no scheme (postgres://); put the port in DATABASE_PORT (DATABASE_PORT=6432), not in DATABASE_HOST.',
        ],
        [
          'REDIS_HOST',
          'host:6379',
          'Set REDIS_HOST=host and put the port in REDIS_PORT (REDIS_PORT=6379), not in REDIS_HOST.',
        ],
        [
          'REDIS_HOST',
          'redis://10.0.0.7:6380',
          'Set REDIS_HOST=10.0.0.7: no scheme (redis://); put the port in REDIS_PORT (REDIS_PORT=6380), not in REDIS_HOST.',
        ],
        [
          'DATABASE_HOST',
          '[::1]',
          'Set DATABASE_HOST=::1: an IPv6 address goes without brackets; put the port in DATABASE_PORT, not in DATABASE_HOST.',
        ],
        [
          'REDIS_HOST',
          '/cloudsql/p-1:europe-west1:db',
          'Set REDIS_HOST to a host name or an IP address (no port, scheme or brackets), e.g. REDIS_HOST=10.20.0.3',
        ],
        [
          'DATABASE_HOST',
          '999.1.1.1',
          'Set DATABASE_HOST to a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets), e.g. DATABASE_HOST=/cloudsql/netra-staging:europe-west1:netra-db',
        ],
        [
          'DATABASE_HOST',
          '1:2:3',
          'Set DATABASE_HOST to a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets), e.g. DATABASE_HOST=/cloudsql/netra-staging:europe-west1:netra-db',
        ],
      ].map(([name, value, hint]) => [env, name, value, hint]),
    ),
  )('%s %s=%s is invalid; the hint says where the port goes', (env, name, value, hint) => {
    const { result, issues } = load(env!, { [name!]: value });
    expect(result.ok).toBe(false);
    const issue = issues.find((found) => found.variable === name);
    expect(issue?.code).toBe('invalid');
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain(`${name} is '${value}'; expected a host name`);
    expect(issue?.hint).toBe(hint);
  });
  test.each([
    ['DATABASE_HOST', 'db.internal.example'],
    ['DATABASE_HOST', 'db.internal.'],
    ['DATABASE_HOST', '10.20.0.5'],
    ['DATABASE_HOST', 'fd00::5'],
    ['DATABASE_HOST', '2001:db8::1'],
    ['DATABASE_HOST', '::ffff:10.0.0.5'],
    ['DATABASE_HOST', '/cloudsql/netra-staging:europe-west1:netra-db'],
    ['REDIS_HOST', '10.20.0.3'],
    ['REDIS_HOST', 'redis_1'],
  ])('development %s=%s is accepted', (name, value) => {
    expect(load('development', { [name]: value }).issues).toEqual([]);
  });
});

describe('URLs: https and not loopback in staging/production', () => {
  test.each(DEPLOYED.flatMap((env) => ['API_BASE_URL', 'FRONTEND_URL'].map((name) => [env, name])))(
    '%s %s',
    (env, name) => {
      expect(codes(load(env, { [name]: 'http://api.netra.example' }).issues)).toEqual([
        `error invalid ${name}`,
      ]);
      expect(codes(load(env, { [name]: 'https://localhost:8443/x' }).issues)).toEqual([
        `error loopback-host ${name}`,
      ]);
      expect(codes(load(env, { [name]: 'http://127.0.0.1' }).issues)).toEqual([
        `error invalid ${name}`,
        `error loopback-host ${name}`,
      ]);
      expect(codes(load(env, { [name]: 'not a url' }).issues)).toEqual([`error invalid ${name}`]);
    },
  );
  test.each(LOCAL)('%s accepts http://localhost', (env) => {
    expect(
      load(env, { API_BASE_URL: 'http://localhost:9000', FRONTEND_URL: 'http://127.0.0.1:3000' }).issues,
    ).toEqual([]);
  });
});

describe('secret strength and placeholders bite in staging/production only', () => {
  const cases: [string, string, string[]][] = [
    ['short', 'x7Gk2pQ9', ['weak-secret']],
    ['repeated', 'ab'.repeat(20), ['weak-secret']],
    ['digits only', '1234567890'.repeat(4), ['weak-secret']],
    ['common word + digits', 'Password1234567890123456789012345', ['weak-secret']],
    ['changeme', 'changeme', ['weak-secret', 'placeholder']],
    ['template', '<secure-staging-jwt-secret-goes-right-here>', ['placeholder']],
    ['your-…', 'your-jwt-secret-here-0123456789abcdefghij', ['placeholder']],
    ['development default', DEVELOPMENT_JWT_SECRET, ['placeholder']],
  ];
  test.each(
    DEPLOYED.flatMap((env) =>
      cases.map(([label, value, expected]) => [env, label, value, expected] as const),
    ),
  )('%s JWT_SECRET: %s', (env, _label, value, expected) => {
    const name = `JWT_SECRET${suffix(env)}`;
    expect(codes(load(env, { [name]: value }).issues)).toEqual(
      expected.map((code) => `error ${code} ${name}`),
    );
  });
  test.each(LOCAL.flatMap((env) => cases.map(([label, value]) => [env, label, value] as const)))(
    '%s JWT_SECRET: %s is accepted',
    (env, _label, value) => {
      expect(load(env, { JWT_SECRET: value }).issues).toEqual([]);
    },
  );
  test.each(DEPLOYED)('%s: the development Fernet key is a placeholder', (env) => {
    expect(codes(load(env, { FERNET_KEY: DEVELOPMENT_FERNET_KEY }).issues)).toEqual([
      'error placeholder FERNET_KEY',
    ]);
  });
  test.each(DEPLOYED)('%s: DATABASE_PASSWORD: 16 characters, not the user name, not common', (env) => {
    expect(codes(load(env, { DATABASE_PASSWORD: 'Zp4uK8wQ2rN6tY1' }).issues)).toEqual([
      'error weak-secret DATABASE_PASSWORD',
    ]);
    expect(codes(load(env, { DATABASE_PASSWORD: 'netra_app-Zp4uK8wQ2rN6tY1x' }).issues)).toEqual([
      'error weak-secret DATABASE_PASSWORD',
    ]);
    expect(load(env, { DATABASE_PASSWORD: 'netra_app-Zp4uK8wQ2rN6tY1x' }).issues[0]?.message).toBe(
      'DATABASE_PASSWORD contains the user name (DATABASE_USER)',
    );
    expect(codes(load(env, { DATABASE_PASSWORD: 'postgrespostgres' }).issues)).toEqual([
      'error weak-secret DATABASE_PASSWORD',
    ]);
  });
  test.each(DEPLOYED)('%s: placeholders in other secrets', (env) => {
    expect(codes(load(env, { REDIS_PASSWORD: 'changeme', GEMINI_API_KEY: 'TODO' }).issues)).toEqual([
      'error placeholder REDIS_PASSWORD',
      'error placeholder GEMINI_API_KEY',
    ]);
  });
});

describe('Fernet key: url-safe base64 of exactly 32 bytes, in every environment', () => {
  const good = 'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE=';
  const cases: [string, string, RegExp][] = [
    ['standard alphabet', 'af6UlIQlh1rYCI2/Z5uVblNV39EKn8aR+ZQFeLOUQgE=', /standard base64 alphabet/],
    ['no padding', good.slice(0, 43), /missing its '=' padding \(43 characters, expected 44\)/],
    ['too short', 'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQ=', /decodes to 26 bytes; expected exactly 32/],
    ['too long', `${good.slice(0, 43)}AAAA=`, /decodes to 35 bytes/],
    ['bad character', `${good.slice(0, 42)}!=`, /characters outside url-safe base64/],
  ];
  test.each(
    ENVIRONMENTS.flatMap((env) =>
      cases.map(([label, value, message]) => [env, label, value, message] as const),
    ),
  )('%s: %s', (env, _label, value, message) => {
    const { issues } = load(env, { FERNET_KEY: value });
    expect(codes(issues)).toEqual(['error invalid FERNET_KEY']);
    expect(issues[0]?.message).toMatch(message);
    expect(issues[0]?.hint).toMatch(/urlsafe_b64encode\(os\.urandom\(32\)\)|Replace \+ with - and \/ with _/);
    expect(JSON.stringify(issues)).not.toContain(value);
  });
  test.each(ENVIRONMENTS)('%s: a good key loads', (env) => {
    expect(load(env, { FERNET_KEY: good }).issues).toEqual([]);
  });
});

describe('a whole client_secret.json pasted into an OAuth variable', () => {
  const json = JSON.stringify({
    web: {
      client_id: '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
      client_secret: 'GOCSPX-pastedClientSecretValue',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    },
  });
  test.each(ENVIRONMENTS)('%s: both variables bound to the JSON → a ?field= hint each, no value', (env) => {
    const id = `GOOGLE_OAUTH_CLIENT_ID${suffix(env)}`;
    const secret = `GOOGLE_OAUTH_CLIENT_SECRET${suffix(env)}`;
    const { issues } = load(env, { [id]: json, [secret]: json });
    expect(codes(issues)).toEqual([`error invalid ${id}`, `error invalid ${secret}`]);
    expect(issues[0]?.message).toBe(
      `${id} holds a whole Google client_secret.json (a "web" client), not the client_id`,
    );
    expect(issues[0]?.hint).toContain(`${id}=sm://PROJECT/SECRET?field=web.client_id`);
    expect(issues[1]?.hint).toContain(`${secret}=sm://PROJECT/SECRET?field=web.client_secret`);
    expect(JSON.stringify(issues)).not.toContain('GOCSPX-pastedClientSecretValue');
  });
  test('an "installed" (Desktop app) client: a web backend needs a "Web application" client', () => {
    // Binding ?field=installed.client_id would load a client that cannot have redirect URIs; oauth-config's
    // parseGoogleClientSecretJson rejects installed clients for the same reason.
    const installed = JSON.stringify({
      installed: {
        client_id: '123456789012-desktop.apps.googleusercontent.com',
        client_secret: 'GOCSPX-desk',
      },
    });
    const { issues } = load('staging', {
      GOOGLE_OAUTH_CLIENT_ID_STAGING: installed,
      GOOGLE_OAUTH_CLIENT_SECRET_STAGING: installed,
    });
    expect(codes(issues)).toEqual([
      'error invalid GOOGLE_OAUTH_CLIENT_ID_STAGING',
      'error invalid GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
    ]);
    expect(issues.map((issue) => issue.hint).join('\n')).not.toContain('installed.');
    expect(JSON.stringify(issues)).not.toContain('GOCSPX-desk');
    expect(issues.map(({ message, hint }) => ({ message, hint }))).toMatchInlineSnapshot(`
      [
        {
          "hint": "Create a "Web application" OAuth client (Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Web application"), store its client_secret.json in Secret Manager and set GOOGLE_OAUTH_CLIENT_ID_STAGING=sm://PROJECT/SECRET?field=web.client_id, or store its client_id alone in its own secret.",
          "message": "GOOGLE_OAUTH_CLIENT_ID_STAGING holds a whole Google client_secret.json of an "installed" (Desktop app) OAuth client; a web backend needs a "Web application" client",
        },
        {
          "hint": "Create a "Web application" OAuth client (Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Web application"), store its client_secret.json in Secret Manager and set GOOGLE_OAUTH_CLIENT_SECRET_STAGING=sm://PROJECT/SECRET?field=web.client_secret, or store its client_secret alone in its own secret.",
          "message": "GOOGLE_OAUTH_CLIENT_SECRET_STAGING holds a whole Google client_secret.json of an "installed" (Desktop app) OAuth client; a web backend needs a "Web application" client",
        },
      ]
    `);
  });
  test('a client ID that is not a Google client ID', () => {
    expect(codes(load('staging', { GOOGLE_OAUTH_CLIENT_ID_STAGING: 'my-client' }).issues)).toEqual([
      'error invalid GOOGLE_OAUTH_CLIENT_ID_STAGING',
    ]);
  });
  test.each(LOCAL)('%s: client ID without secret (or the reverse) is missing its pair', (env) => {
    expect(
      codes(
        load(env, { GOOGLE_OAUTH_CLIENT_ID: '123456789012-abcdefghijklmnop.apps.googleusercontent.com' })
          .issues,
      ),
    ).toEqual(['error missing GOOGLE_OAUTH_CLIENT_SECRET']);
    expect(codes(load(env, { GOOGLE_OAUTH_CLIENT_SECRET: 'GOCSPX-x' }).issues)).toEqual([
      'error missing GOOGLE_OAUTH_CLIENT_ID',
    ]);
  });
});

describe('empty strings and whitespace', () => {
  test.each(DEPLOYED)('%s: an empty required variable is missing, and said so', (env) => {
    const { issues } = load(env, { REDIS_HOST: '' });
    expect(codes(issues)).toEqual(['error missing REDIS_HOST']);
    expect(issues[0]?.message).toBe(
      `REDIS_HOST is set to an empty string, which counts as not set; ${env} requires it`,
    );
  });
  test.each(LOCAL)('%s: an empty variable takes its default', (env) => {
    const { result } = load(env, { DATABASE_PORT: '', JWT_SECRET: '' });
    expect(result.ok && result.config.database.port).toBe(5432);
    expect(result.ok && result.config.jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
  });
  test.each(ENVIRONMENTS)(
    '%s: a trailing newline (echo > file; gcloud secrets create --data-file)',
    (env) => {
      const good = 'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE=';
      const { issues } = load(env, { FERNET_KEY: `${good}\n` });
      expect(codes(issues)).toEqual(['error whitespace FERNET_KEY']);
      expect(issues[0]?.message).toContain('a trailing newline');
      if (env === 'staging')
        expect(issues[0]?.hint).toContain('gcloud secrets versions add fernet-key-staging');
    },
  );
  test.each([
    [' leading', 'leading whitespace'],
    ['trailing ', 'trailing whitespace'],
    ['\tboth\r\n', 'leading whitespace and a trailing newline'],
  ])('DATABASE_USER=%j → %s', (value, what) => {
    const { issues } = load('staging', { DATABASE_USER: value });
    expect(codes(issues)).toEqual(['error whitespace DATABASE_USER']);
    expect(issues[0]?.message).toContain(`has ${what}`);
  });
  test('whitespace only', () => {
    expect(load('staging', { REDIS_HOST: '   ' }).issues[0]?.message).toBe(
      'REDIS_HOST contains only whitespace',
    );
  });
});

describe('names: wrong environment, misspelled, not allowed', () => {
  test.each(DEPLOYED)('%s: JWT_SECRET instead of the suffixed name', (env) => {
    const name = `JWT_SECRET${suffix(env)}`;
    const { issues } = load(env, {
      [name]: undefined,
      JWT_SECRET: 'q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5aR1eU9iO3',
    });
    expect(codes(issues)).toEqual([`error wrong-name ${name}`]);
    expect(issues[0]?.message).toBe(`JWT_SECRET is set, but ${env} reads ${name}`);
    expect(issues[0]?.hint).toBe(
      `Rename JWT_SECRET to ${name} (--set-secrets=${name}=jwt-secret-${env}:latest).`,
    );
  });
  test('staging name set in production', () => {
    const { issues } = load('production', {
      JWT_SECRET_PRODUCTION: undefined,
      JWT_SECRET_STAGING: 'q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5aR1eU9iO3',
    });
    expect(issues[0]?.message).toBe('JWT_SECRET_STAGING is set, but production reads JWT_SECRET_PRODUCTION');
  });
  test('both names set: a warning, and the right one is used', () => {
    const { result, issues } = load('staging', { JWT_SECRET: 'ignored-value-0123456789-0123456789-abc' });
    expect(result.ok).toBe(true);
    expect(codes(issues)).toEqual(['warning wrong-name JWT_SECRET_STAGING']);
  });
  test('a suffixed name in development is ignored with a warning', () => {
    const { result, issues } = load('development', { JWT_SECRET_STAGING: 'x'.repeat(40) });
    expect(result.ok).toBe(true);
    expect(codes(issues)).toEqual(['warning wrong-name JWT_SECRET']);
  });
  test('DATABSE_HOST: did you mean DATABASE_HOST (and the missing variable says so)', () => {
    const { issues } = load('staging', { DATABASE_HOST: undefined, DATABSE_HOST: '10.0.0.5' });
    expect(codes(issues)).toEqual(['error missing DATABASE_HOST', 'warning unknown-variable DATABSE_HOST']);
    expect(issues[0]?.hint).toBe('DATABSE_HOST is set: did you mean DATABASE_HOST? Rename it.');
    expect(issues[1]?.message).toBe(
      'DATABSE_HOST is not a setting of this schema; did you mean DATABASE_HOST?',
    );
  });
  test.each([
    ['database_host', 'Rename database_host to DATABASE_HOST (names are case-sensitive).'],
    ['REDIS_PASWORD', 'Rename REDIS_PASWORD to REDIS_PASSWORD.'],
    ['JWT_SECRET_STAGIN', 'Rename JWT_SECRET_STAGIN to JWT_SECRET_STAGING.'],
    [
      'GOOGLE_OAUTH_CLIENTID_STAGING',
      'Rename GOOGLE_OAUTH_CLIENTID_STAGING to GOOGLE_OAUTH_CLIENT_ID_STAGING.',
    ],
  ])('%s → %s', (name, hint) => {
    const { issues } = load('staging', { [name]: 'x' });
    expect(issues.map((issue) => [issue.code, issue.hint])).toEqual([['unknown-variable', hint]]);
  });
  test('a stray variable with one of our prefixes is reported; the rest of process.env is not', () => {
    const { issues } = load('staging', {
      DATABASE_URL: 'postgres://x',
      PATH: '/usr/bin',
      HOME: '/root',
      K_SERVICE: 'netra',
      NODE_ENV: 'production',
      GOOGLE_APPLICATION_CREDENTIALS: '/x.json',
    });
    expect(codes(issues)).toEqual(['warning unknown-variable DATABASE_URL']);
    expect(issues[0]?.hint).toContain('DATABASE_HOST, DATABASE_PORT');
  });
  test.each([
    ['staging', 'OAUTH_CLIENT', 'No OAUTH_… setting is read in staging; remove it.'],
    ['development', 'OAUTH_CLIENT', 'The only OAUTH_… setting is OAUTH_ISSUER_URL.'],
    [
      'staging',
      'GOOGLE_OAUTH_REDIRECT',
      'The GOOGLE_OAUTH_… settings are GOOGLE_OAUTH_CLIENT_ID_STAGING and GOOGLE_OAUTH_CLIENT_SECRET_STAGING.',
    ],
    ['test', 'REDIS_DB', 'The REDIS_… settings are REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and REDIS_TLS.'],
  ])(
    "%s: a stray %s: the hint lists its prefix's settings in words that fit the count",
    (env, name, hint) => {
      const { issues } = load(env, { [name]: 'x' });
      expect(issues.map((issue) => [issue.code, issue.variable, issue.hint])).toEqual([
        ['unknown-variable', name, hint],
      ]);
    },
  );
  test('not-allowed lists three environments as a list, not "a and b and c"', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      debugToken: variable({
        name: 'DEBUG_PANEL',
        schema: text(),
        description: 'Debug panel, never in production.',
        environments: ['development', 'test', 'staging'],
      }),
    });
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'production', DEBUG_PANEL: 'on' } });
    expect(!result.ok && result.issues.map((issue) => issue.message)).toEqual([
      'DEBUG_PANEL is set, but debugToken exists only in development, test and staging; production must not set it',
    ]);
  });
  test.each(DEPLOYED)('%s: OAUTH_ISSUER_URL is not allowed', (env) => {
    expect(codes(load(env, { OAUTH_ISSUER_URL: 'http://127.0.0.1:4000' }).issues)).toEqual([
      'error not-allowed OAUTH_ISSUER_URL',
    ]);
  });
  test.each(LOCAL)('%s: OAUTH_ISSUER_URL is read', (env) => {
    const { result } = load(env, { OAUTH_ISSUER_URL: 'http://127.0.0.1:4000' });
    expect(result.ok && result.config.oauth.issuerUrl).toBe('http://127.0.0.1:4000');
  });
});

describe('values of non-secret settings', () => {
  test.each([
    ['PORT', 'abc', "PORT is 'abc'; expected an integer from 1 to 65535"],
    ['PORT', '0', "PORT is '0'; expected an integer from 1 to 65535"],
    ['DATABASE_PORT', '65536', "DATABASE_PORT is '65536'; expected an integer from 1 to 65535"],
    [
      'LOG_LEVEL',
      'verbose',
      "LOG_LEVEL is 'verbose'; expected one of fatal, error, warn, info, debug, trace, silent",
    ],
    ['REDIS_TLS', 'maybe', "REDIS_TLS is 'maybe'; expected true or false (also 1/0, yes/no, on/off)"],
    [
      'DATABASE_SSL_MODE',
      'prefer',
      "DATABASE_SSL_MODE is 'prefer'; expected one of disable, require, verify-full",
    ],
    [
      'GCP_PROJECT_ID',
      'Netra_Staging',
      "GCP_PROJECT_ID is 'Netra_Staging'; expected a Google Cloud project ID (6–30 characters: a-z, 0-9, -)",
    ],
  ])('%s=%s', (name, value, message) => {
    const { issues } = load('staging', { [name]: value });
    expect(issues.map((issue) => [issue.code, issue.message])).toEqual([['invalid', message]]);
  });
  test('a non-secret value is not echoed when long or unprintable', () => {
    const { issues } = load('staging', { LOG_LEVEL: 'x'.repeat(100) });
    expect(issues[0]?.message).toBe('LOG_LEVEL is not one of fatal, error, warn, info, debug, trace, silent');
  });
  test('ENVIRONMENT that names another environment', () => {
    const result = safeLoadConfig(netraBackendSchema, {
      env: { ENVIRONMENT: 'production' },
      environment: 'development',
    });
    expect(!result.ok && codes(result.issues)).toEqual(['error invalid ENVIRONMENT']);
  });
  test.each(['stage', 'prod', '', 'Production'])(
    'ENVIRONMENT=%j is unknown-environment and nothing else',
    (value) => {
      const result = safeLoadConfig(netraBackendSchema, { env: { ...HEALTHY_STAGING, ENVIRONMENT: value } });
      expect(!result.ok && result.issues.map((issue) => issue.code)).toEqual(['unknown-environment']);
      expect(result.environment).toBeUndefined();
    },
  );
  test('staging: SSL disabled to a network host is a warning', () => {
    const { result, issues } = load('staging', { DATABASE_HOST: '10.0.0.5', DATABASE_SSL_MODE: 'disable' });
    expect(result.ok).toBe(true);
    expect(codes(issues)).toEqual(['warning invalid DATABASE_SSL_MODE']);
  });
  test('staging: SSL defaults to require for a network host, disable for a socket', () => {
    const network = load('staging', { DATABASE_HOST: '10.0.0.5' }).result;
    expect(network.ok && network.config.database.sslMode).toBe('require');
    const socket = load('staging', {}).result;
    expect(socket.ok && socket.config.database.sslMode).toBe('disable');
  });
});

describe('providedElsewhere', () => {
  test('secrets bound in Secret Manager count as set; their fields are undefined; value rules skipped', () => {
    const secrets = [
      'JWT_SECRET_STAGING',
      'DATABASE_PASSWORD',
      'REDIS_PASSWORD',
      'FERNET_KEY',
      'GEMINI_API_KEY',
      'GOOGLE_OAUTH_CLIENT_ID_STAGING',
      'GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
    ];
    const env: Record<string, string> = { ...HEALTHY_STAGING };
    for (const name of secrets) delete env[name];
    env['FERNET_KEY'] = 'sm://netra-staging/fernet-key-staging';
    const without = safeLoadConfig(netraBackendSchema, { env });
    expect(!without.ok && without.issues.length).toBe(7);
    const result = safeLoadConfig(netraBackendSchema, { env, providedElsewhere: secrets });
    expect(result.ok ? result.warnings : result.issues).toEqual([]);
    if (!result.ok) return;
    expect(result.config.jwtSecret).toBeUndefined();
    expect(result.config.fernetKey).toBeUndefined();
    expect(result.config.database.user).toBe('netra_app');
  });
  test.each(DEPLOYED)(
    '%s: a stray JWT_SECRET beside a provided suffixed name is still a wrong-name warning',
    (env) => {
      const name = `JWT_SECRET${suffix(env)}`;
      const healthy = env === 'staging' ? HEALTHY_STAGING : HEALTHY_PRODUCTION;
      const { [name]: _bound, ...rest } = healthy;
      const env_ = { ...rest, JWT_SECRET: 'q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5aR1eU9iO3' };
      const result = safeLoadConfig(netraBackendSchema, { env: env_, providedElsewhere: [name] });
      expect(result.ok).toBe(true);
      const issues = result.ok ? result.warnings : result.issues;
      expect(codes(issues)).toEqual([`warning wrong-name ${name}`]);
      expect(issues[0]?.message).toBe(
        `JWT_SECRET is set, but ${env} reads ${name} (provided elsewhere, e.g. by a Secret Manager binding); JWT_SECRET is another environment's name and is ignored`,
      );
      expect(issues[0]?.hint).toBe(`Remove JWT_SECRET from the ${env} configuration.`);
      expect(JSON.stringify(issues)).not.toContain('q7Vd1rXk9PzL3mW8');
    },
  );
  test('development: a provided JWT_SECRET with a stray JWT_SECRET_STAGING warns as well', () => {
    const result = safeLoadConfig(netraBackendSchema, {
      env: { ENVIRONMENT: 'development', JWT_SECRET_STAGING: 'x'.repeat(40) },
      providedElsewhere: ['JWT_SECRET'],
    });
    expect(result.ok && codes(result.warnings)).toEqual(['warning wrong-name JWT_SECRET']);
  });
  test('accepts any iterable', () => {
    const env: Record<string, string> = { ...HEALTHY_STAGING };
    delete env['GEMINI_API_KEY'];
    const result = safeLoadConfig(netraBackendSchema, {
      env,
      providedElsewhere: new Set(['GEMINI_API_KEY']),
    });
    expect(result.ok).toBe(true);
  });
});

describe('hints fit where a secret comes from', () => {
  // Secrets we make are generated; secrets a provider issues are copied from it — never "openssl rand".
  const GENERATED: Record<string, RegExp> = {
    jwtSecret: /openssl rand -base64 48/,
    'database.password': /openssl rand -base64 24/,
    fernetKey: /urlsafe_b64encode\(os\.urandom\(32\)\)/,
  };
  const ISSUED: Record<string, RegExp> = {
    'redis.password':
      /copy it from the Memorystore instance|Copy the real value from the Memorystore instance/,
    geminiApiKey: /Copy the real value from the Google Cloud console .* or Google AI Studio/,
    'oauth.google.clientSecret':
      /Copy the real value from the Google Cloud console .*"Web application" OAuth client/,
  };
  const BAD_VALUES = [
    '',
    'changeme',
    'TODO',
    'short',
    'ab'.repeat(20),
    '<your-secret-here>',
    ' padded ',
    'value\n',
    DEVELOPMENT_JWT_SECRET,
    DEVELOPMENT_FERNET_KEY,
  ];
  const sensitive = (env: Environment) =>
    describeSchema(netraBackendSchema, env).filter((description) => description.sensitive);

  test.each(ENVIRONMENTS)('%s: every sensitive variable says where its value comes from', (env) => {
    expect(
      sensitive(env)
        .map((description) => description.key)
        .sort(),
    ).toEqual([...Object.keys(GENERATED), ...Object.keys(ISSUED)].sort());
  });

  test.each(
    ENVIRONMENTS.flatMap((env) =>
      sensitive(env).map((description) => [env, description.variable, description.key] as const),
    ),
  )('%s %s: every hint fits', (env, variable, key) => {
    const issues = BAD_VALUES.flatMap((value) =>
      validateValue(netraBackendSchema, { environment: env, variable, value }),
    );
    expect(issues.length).toBeGreaterThan(0);
    const placeholders = issues.filter((issue) => issue.code === 'placeholder');
    if (env === 'staging' || env === 'production') expect(placeholders.length).toBeGreaterThan(0);
    const issued = ISSUED[key];
    for (const issue of issues) {
      if (issued) expect(issue.hint).not.toMatch(/openssl|urandom|generate/i);
      else expect(issue.hint).not.toMatch(/copy/i);
    }
    for (const issue of placeholders) expect(issue.hint).toMatch(issued ?? GENERATED[key]!);
  });

  test('staging: the hints for a placeholder in each secret', () => {
    const hints = Object.fromEntries(
      sensitive('staging').map((description) => [
        description.variable,
        validateValue(netraBackendSchema, {
          environment: 'staging',
          variable: description.variable,
          value: 'changeme',
        }).map((issue) => `${issue.code}: ${issue.hint}`),
      ]),
    );
    expect(hints).toMatchInlineSnapshot(`
      {
        "DATABASE_PASSWORD": [
          "weak-secret: Generate one: openssl rand -base64 15 and store it in DATABASE_PASSWORD's secret.",
          "placeholder: Generate a new value and store it as a new version of database-password-staging: openssl rand -base64 24 | tr -d '\\n' | gcloud secrets versions add database-password-staging --data-file=-",
        ],
        "FERNET_KEY": [
          "invalid: Generate a key: python3 -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"",
          "placeholder: Generate a new value and store it as a new version of fernet-key-staging: python3 -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())" | tr -d '\\n' | gcloud secrets versions add fernet-key-staging --data-file=-",
        ],
        "GEMINI_API_KEY": [
          "placeholder: Copy the real value from the Google Cloud console (APIs & Services → Credentials → the API key) or Google AI Studio (Get API key) and store it as a new version of gemini-api-key-staging: printf '%s' "$VALUE" | gcloud secrets versions add gemini-api-key-staging --data-file=-",
        ],
        "GOOGLE_OAUTH_CLIENT_SECRET_STAGING": [
          "placeholder: Copy the real value from the Google Cloud console (APIs & Services → Credentials → the "Web application" OAuth client) and store it as a new version of google-oauth-client-secret-staging: printf '%s' "$VALUE" | gcloud secrets versions add google-oauth-client-secret-staging --data-file=-",
        ],
        "JWT_SECRET_STAGING": [
          "weak-secret: Generate one: openssl rand -base64 27 and store it in JWT_SECRET_STAGING's secret.",
          "placeholder: Generate a new value and store it as a new version of jwt-secret-staging: openssl rand -base64 48 | tr -d '\\n' | gcloud secrets versions add jwt-secret-staging --data-file=-",
        ],
        "REDIS_PASSWORD": [
          "placeholder: Copy the real value from the Memorystore instance (gcloud redis instances get-auth-string INSTANCE --region=REGION) and store it as a new version of redis-password-staging: printf '%s' "$VALUE" | gcloud secrets versions add redis-password-staging --data-file=-",
        ],
      }
    `);
  });

  test('a sensitive variable that declares nothing gets a neutral hint, never a generator', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      token: variable({
        name: 'PARTNER_TOKEN',
        schema: text(),
        description: 'A token a partner gives us.',
        sensitive: true,
        secret: 'partner-token-{env}',
        rules: [noPlaceholder()],
      }),
    });
    const [issue] = validateValue(schema, {
      environment: 'staging',
      variable: 'PARTNER_TOKEN',
      value: 'changeme',
    });
    expect(issue?.hint).toMatchInlineSnapshot(
      `"Take the real staging value of PARTNER_TOKEN and store it as a new version of partner-token-staging: printf '%s' "$VALUE" | gcloud secrets versions add partner-token-staging --data-file=-"`,
    );
  });

  test('a provider-issued value that is too short was cut off: copy it again, do not generate', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      key: variable({
        name: 'VENDOR_KEY',
        schema: text(),
        description: 'A key the vendor issues.',
        sensitive: true,
        obtain: { copyFrom: 'the vendor dashboard' },
        rules: [minStrength(32)],
      }),
    });
    const hints = ['short', 'ab'.repeat(20)].map(
      (value) => validateValue(schema, { environment: 'production', variable: 'VENDOR_KEY', value })[0]?.hint,
    );
    expect(hints).toEqual([
      'Copy the real value from the vendor dashboard and set VENDOR_KEY to it.',
      'Copy the real value from the vendor dashboard and set VENDOR_KEY to it.',
    ]);
  });
});
