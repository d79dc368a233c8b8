// oauth-config over a schema that is not the backend's: the google-oauth fragment under another key, a `qa`
// environment of the deployed tier, found by role — and the package itself never names the backend's schema.
import { readdirSync, readFileSync } from 'node:fs';
import {
  defineSchema,
  environmentVariable,
  googleOAuthFragment,
  group,
  httpUrl,
  loadConfig,
  text,
  variable,
} from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { getOAuthConfig, safeGetOAuthConfig } from './oauth-config.ts';
import { redirectUrisToRegister } from './register.ts';
import { googleOAuthFragments } from './schema.ts';

const url = (name: string, description: string) =>
  variable({
    name,
    schema: httpUrl(),
    description,
    required: ['deployed'],
    default: { local: 'http://localhost:9000' },
  });

/** A support console: its own URL names, Google sign-in under `auth`, and a qa environment. */
const consoleSchema = defineSchema(
  {
    environment: environmentVariable(),
    apiBaseUrl: url('CONSOLE_PUBLIC_URL', 'Public URL of the console API.'),
    frontendUrl: url('CONSOLE_APP_URL', 'URL of the console web app.'),
    auth: googleOAuthFragment({ secrets: { clientSecret: 'console-oauth-secret-{env}' } }),
  },
  {
    title: 'Support console',
    environments: { development: 'local', test: 'local', qa: 'deployed', production: 'deployed' },
  },
);

const QA_ENV = {
  ENVIRONMENT: 'qa',
  CONSOLE_PUBLIC_URL: 'https://console-api.qa.example.com',
  CONSOLE_APP_URL: 'https://console.qa.example.com',
  GOOGLE_OAUTH_CLIENT_ID_QA: '123456789012-qaclient.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_QA: 'GOCSPX-consoleQaSecret000001',
};

describe('a schema with its fragment under `auth` and a qa environment', () => {
  test('googleOAuthFragments finds the fragment by role and names its variables per environment', () => {
    const [qa] = googleOAuthFragments(consoleSchema, 'qa');
    expect(qa).toEqual({
      key: 'auth',
      prefix: 'GOOGLE_OAUTH_',
      environment: 'qa',
      tier: 'deployed',
      clientId: {
        key: 'auth.google.clientId',
        variable: 'GOOGLE_OAUTH_CLIENT_ID_QA',
        secret: { secret: 'google-oauth-client-id-qa', version: 'latest' },
      },
      clientSecret: {
        key: 'auth.google.clientSecret',
        variable: 'GOOGLE_OAUTH_CLIENT_SECRET_QA',
        secret: { secret: 'console-oauth-secret-qa', version: 'latest' },
      },
      issuerUrl: { key: 'auth.issuerUrl', variable: 'OAUTH_ISSUER_URL', allowed: false },
    });
    expect(googleOAuthFragments(consoleSchema, 'development')[0]?.issuerUrl.allowed).toBe(true);
    const noOAuth = defineSchema({ environment: environmentVariable() });
    expect(googleOAuthFragments(noOAuth, 'staging')).toEqual([]);
  });

  test('the loaded config, passed as it is with its schema, gives the qa client', () => {
    const config = loadConfig(consoleSchema, { env: QA_ENV });
    const oauth = getOAuthConfig(config, { schema: consoleSchema });
    expect(oauth).toMatchObject({
      environment: 'qa',
      clientId: QA_ENV.GOOGLE_OAUTH_CLIENT_ID_QA,
      redirectUri: 'https://console-api.qa.example.com/auth/callback',
      javascriptOrigins: ['https://console.qa.example.com'],
    });
    expect(oauth.clientSecret).toBe(QA_ENV.GOOGLE_OAUTH_CLIENT_SECRET_QA);
    expect(redirectUrisToRegister([oauth], { schema: consoleSchema })[0]?.environment).toBe('qa');
  });

  test('qa is deployed: its rules, names, keys and secret bindings are the schema’s', () => {
    const result = safeGetOAuthConfig(
      {
        environment: 'qa',
        apiBaseUrl: 'http://localhost:9000',
        frontendUrl: 'https://console.qa.example.com',
        auth: { google: { clientId: undefined, clientSecret: 'GOCSPX-consoleQaSecret000001' } },
      },
      { schema: consoleSchema },
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => [issue.code, issue.key, issue.variable])).toEqual([
      ['missing', 'auth.google.clientId', 'GOOGLE_OAUTH_CLIENT_ID_QA'],
      ['invalid', 'apiBaseUrl', 'CONSOLE_PUBLIC_URL'],
      ['loopback-host', 'apiBaseUrl', 'CONSOLE_PUBLIC_URL'],
    ]);
    expect(issues[0]?.message).toBe(
      'GOOGLE_OAUTH_CLIENT_ID_QA is not set; qa reads the Google OAuth client ID from it, not from GOOGLE_OAUTH_CLIENT_ID (the development/test name).',
    );
    expect(issues[0]?.hint).toBe(
      'Provide GOOGLE_OAUTH_CLIENT_ID_QA (Secret Manager: --set-secrets=GOOGLE_OAUTH_CLIENT_ID_QA=google-oauth-client-id-qa:latest).',
    );
  });

  test('the issuer override is refused in qa, as in every deployed environment', () => {
    const config = loadConfig(consoleSchema, { env: QA_ENV });
    const result = safeGetOAuthConfig(
      { ...config, auth: { ...config.auth, issuerUrl: 'http://127.0.0.1:4000' } },
      { schema: consoleSchema },
    );
    expect(!result.ok && result.issues.map((issue) => [issue.key, issue.variable])).toEqual([
      ['auth.issuerUrl', 'OAUTH_ISSUER_URL'],
    ]);
  });

  test('without the schema, qa is not an environment and the fragment is looked for under `oauth`', () => {
    const config = loadConfig(consoleSchema, { env: QA_ENV });
    const result = safeGetOAuthConfig({ ...config, oauth: config.auth });
    expect(!result.ok && result.issues.map((issue) => issue.code)).toEqual(['unknown-environment']);
    const elsewhere = safeGetOAuthConfig(config as never);
    expect(!elsewhere.ok && elsewhere.issues[0]?.message).toBe(
      'The config has no oauth.google group, so there is no OAuth client to derive.',
    );
  });
});

describe('schemas without exactly one google-oauth fragment', () => {
  const two = defineSchema({
    environment: environmentVariable(),
    oauth: googleOAuthFragment(),
    // A hand-made fragment of the same role under its own prefix: its names come from its own variables.
    adminOAuth: group(
      {
        google: group({
          clientId: variable({
            name: 'ADMIN_GOOGLE_CLIENT_ID',
            schema: text(),
            description: 'Admin client ID.',
          }),
          clientSecret: variable({
            name: 'ADMIN_GOOGLE_CLIENT_SECRET',
            schema: text(),
            description: 'Admin client secret.',
            sensitive: true,
          }),
        }),
      },
      { prefixes: ['ADMIN_GOOGLE_'], role: 'google-oauth' },
    ),
  });

  test('none: an issue saying how to add one', () => {
    const none = defineSchema({ environment: environmentVariable() });
    const result = safeGetOAuthConfig(
      {
        environment: 'development',
        apiBaseUrl: 'http://localhost:8080',
        frontendUrl: 'http://localhost:3000',
      },
      { schema: none },
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        expect.objectContaining({
          code: 'invalid',
          message: 'The schema has no google-oauth fragment, so there is no OAuth client to derive.',
        }),
      ],
    });
  });

  test('several: the fragment option chooses; without it, an issue listing them', () => {
    const config = {
      environment: 'development',
      apiBaseUrl: 'http://localhost:8080',
      frontendUrl: 'http://localhost:3000',
      oauth: { google: {} },
      adminOAuth: {
        google: { clientId: '1-admin.apps.googleusercontent.com', clientSecret: 'GOCSPX-admin0000' },
      },
    };
    const unchosen = safeGetOAuthConfig(config, { schema: two });
    expect(!unchosen.ok && unchosen.issues[0]?.message).toBe(
      "The schema has 2 google-oauth fragments ('oauth', 'adminOAuth'); which one this client is is not said.",
    );
    expect(safeGetOAuthConfig(config, { schema: two, fragment: 'oauth' })).toEqual({
      ok: true,
      oauth: null,
      warnings: [],
    });
    const admin = getOAuthConfig(config, { schema: two, fragment: 'adminOAuth' });
    expect(admin.clientId).toBe('1-admin.apps.googleusercontent.com');
    const missing = safeGetOAuthConfig(
      { ...config, environment: 'staging', adminOAuth: { google: {} } },
      { schema: two, fragment: 'adminOAuth' },
    );
    expect(!missing.ok && missing.issues.slice(0, 2).map((issue) => [issue.key, issue.variable])).toEqual([
      ['adminOAuth.google.clientId', 'ADMIN_GOOGLE_CLIENT_ID'],
      ['adminOAuth.google.clientSecret', 'ADMIN_GOOGLE_CLIENT_SECRET'],
    ]);
    expect(googleOAuthFragments(two, 'staging').map((fragment) => fragment.key)).toEqual([
      'oauth',
      'adminOAuth',
    ]);
  });
});

describe('the package names no service', () => {
  test('@netra/backend-schema is at most a devDependency, and no source file imports it', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })).not.toContain(
      '@netra/backend-schema',
    );
    const sources = readdirSync(new URL('.', import.meta.url)).filter(
      (file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file) && !file.endsWith('.bench.ts'),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) {
      expect(readFileSync(new URL(file, import.meta.url), 'utf8'), file).not.toMatch(
        /backend-schema|netraBackendSchema/,
      );
    }
  });
});
