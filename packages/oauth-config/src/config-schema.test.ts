// The package against the real @netra/config-schema: configs loaded by safeLoadConfig/loadConfig, the report's
// OAuth mistakes, and that a NetraBackendConfig is an OAuthInput as it is.
import { readFileSync } from 'node:fs';
import { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';
import { loadConfig, safeLoadConfig } from '@netra/config-schema';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { PRODUCTION_ENV, STAGING_ENV, withDevelopmentOAuthNames } from '../test/fixtures/envs.ts';
import { getOAuthConfig, type OAuthInput, safeGetOAuthConfig } from './oauth-config.ts';
import { redirectUrisToRegister } from './register.ts';

const clientSecretJson = readFileSync(
  new URL('../test/fixtures/client_secret_web.json', import.meta.url),
  'utf8',
);
const JSON_SECRET = 'GOCSPX-fixtureSecretNotReal0000';

test('a NetraBackendConfig is an OAuthInput', () => {
  expectTypeOf<NetraBackendConfig>().toExtend<OAuthInput>();
});

describe('configs loaded by config-schema', () => {
  test.each([
    [
      'staging',
      STAGING_ENV,
      'https://api.staging.netra.example/auth/callback',
      'https://app.staging.netra.example',
    ],
    ['production', PRODUCTION_ENV, 'https://api.netra.example/auth/callback', 'https://app.netra.example'],
  ])('%s', (environment, env, redirectUri, origin) => {
    const oauth = getOAuthConfig(loadConfig(netraBackendSchema, { env }), { schema: netraBackendSchema });
    expect({ ...oauth, clientSecret: oauth.clientSecret }).toMatchObject({
      environment,
      clientId: env[`GOOGLE_OAUTH_CLIENT_ID_${environment.toUpperCase()}`],
      clientSecret: env[`GOOGLE_OAUTH_CLIENT_SECRET_${environment.toUpperCase()}`],
      redirectUri,
      javascriptOrigins: [origin],
      issuer: 'https://accounts.google.com',
    });
  });

  test('development with nothing set: the config loads and OAuth is disabled', () => {
    const config = loadConfig(netraBackendSchema, { env: { ENVIRONMENT: 'development' } });
    expect(safeGetOAuthConfig(config)).toEqual({ ok: true, oauth: null, warnings: [] });
  });

  test('development with a client: the schema defaults give the loopback redirect to register', () => {
    const config = loadConfig(netraBackendSchema, {
      env: {
        ENVIRONMENT: 'development',
        GOOGLE_OAUTH_CLIENT_ID: '123456789012-devclient.apps.googleusercontent.com',
        GOOGLE_OAUTH_CLIENT_SECRET: 'GOCSPX-development-secret',
      },
    });
    expect(redirectUrisToRegister([getOAuthConfig(config)])).toEqual([
      {
        environment: 'development',
        clientId: '123456789012-devclient.apps.googleusercontent.com',
        issuer: 'https://accounts.google.com',
        redirectUris: ['http://localhost:8080/auth/callback'],
        javascriptOrigins: ['http://localhost:3000'],
      },
    ]);
  });

  test('test with OAUTH_ISSUER_URL: a local provider', () => {
    const config = loadConfig(netraBackendSchema, {
      env: {
        ENVIRONMENT: 'test',
        GOOGLE_OAUTH_CLIENT_ID: '1-test.apps.googleusercontent.com',
        GOOGLE_OAUTH_CLIENT_SECRET: 'GOCSPX-test-secret',
        OAUTH_ISSUER_URL: 'http://127.0.0.1:4000',
      },
    });
    expect(getOAuthConfig(config)).toMatchObject({
      issuer: 'http://127.0.0.1:4000',
      tokenEndpoint: 'http://127.0.0.1:4000/token',
    });
  });

  test('staging with OAUTH_ISSUER_URL is refused by the schema, and by us for a hand-built config', () => {
    const result = safeLoadConfig(netraBackendSchema, {
      env: { ...STAGING_ENV, OAUTH_ISSUER_URL: 'http://127.0.0.1:4000' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.variable)).toContain('OAUTH_ISSUER_URL');

    const config = loadConfig(netraBackendSchema, { env: STAGING_ENV });
    const forged = { ...config, oauth: { ...config.oauth, issuerUrl: 'http://127.0.0.1:4000' } };
    expect(safeGetOAuthConfig(forged)).toMatchObject({
      ok: false,
      issues: [{ variable: 'OAUTH_ISSUER_URL' }],
    });
  });
});

describe('the report’s OAuth mistakes', () => {
  test('development names in staging: config-schema says wrong-name, we say which staging variable is missing', () => {
    const env = withDevelopmentOAuthNames(STAGING_ENV);
    const loaded = safeLoadConfig(netraBackendSchema, { env });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const wrongNames = loaded.issues.filter((issue) => issue.code === 'wrong-name');
    expect(wrongNames.map((issue) => issue.variable).sort()).toEqual([
      'GOOGLE_OAUTH_CLIENT_ID_STAGING',
      'GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
    ]);
    expect(wrongNames.find((issue) => issue.variable === 'GOOGLE_OAUTH_CLIENT_ID_STAGING')?.hint).toContain(
      'Rename GOOGLE_OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING',
    );

    // What a verifier sees when it feeds us the raw values after the load failed.
    const raw: OAuthInput = {
      environment: 'staging',
      apiBaseUrl: env.API_BASE_URL!,
      frontendUrl: env.FRONTEND_URL!,
      oauth: {
        google: {
          clientId: env.GOOGLE_OAUTH_CLIENT_ID_STAGING,
          clientSecret: env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING,
        },
      },
    };
    const ours = safeGetOAuthConfig(raw, { schema: netraBackendSchema });
    // Without the schema, config-schema's own googleOAuthFragment() stands in: the backend's is that fragment.
    expect(safeGetOAuthConfig(raw)).toEqual(ours);
    expect(ours).toMatchObject({
      ok: false,
      issues: [
        { code: 'missing', variable: 'GOOGLE_OAUTH_CLIENT_ID_STAGING' },
        { code: 'missing', variable: 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING' },
      ],
    });
    if (ours.ok) return;
    expect(ours.issues[0]?.message).toContain('not from GOOGLE_OAUTH_CLIENT_ID (the development/test name)');
    expect(ours.issues[0]?.hint).toContain(
      '--set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest',
    );
    expect(() => getOAuthConfig(raw)).toThrowErrorMatchingInlineSnapshot(`
      [OAuthConfigError: Invalid OAuth client configuration

      GOOGLE_OAUTH_CLIENT_ID_STAGING
        error    missing  GOOGLE_OAUTH_CLIENT_ID_STAGING is not set; staging reads the Google OAuth client ID from it, not from GOOGLE_OAUTH_CLIENT_ID (the development/test name).
                 → Provide GOOGLE_OAUTH_CLIENT_ID_STAGING (Secret Manager: --set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest).

      GOOGLE_OAUTH_CLIENT_SECRET_STAGING
        error    missing  GOOGLE_OAUTH_CLIENT_SECRET_STAGING is not set; staging reads the Google OAuth client secret from it, not from GOOGLE_OAUTH_CLIENT_SECRET (the development/test name).
                 → Provide GOOGLE_OAUTH_CLIENT_SECRET_STAGING (Secret Manager: --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest).

      2 errors]
    `);
  });

  test('both variables bound to one client_secret.json: each is refused with its ?field= hint', () => {
    const env = {
      ...STAGING_ENV,
      GOOGLE_OAUTH_CLIENT_ID_STAGING: clientSecretJson,
      GOOGLE_OAUTH_CLIENT_SECRET_STAGING: clientSecretJson,
    };
    const loaded = safeLoadConfig(netraBackendSchema, { env });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const byVariable = new Map(loaded.issues.map((issue) => [issue.variable, issue]));
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_ID_STAGING')).toMatchObject({
      severity: 'error',
      code: 'invalid',
    });
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_ID_STAGING')?.hint).toContain(
      'sm://PROJECT/SECRET?field=web.client_id',
    );
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_SECRET_STAGING')).toMatchObject({
      severity: 'error',
      code: 'invalid',
    });
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_SECRET_STAGING')?.hint).toContain(
      'sm://PROJECT/SECRET?field=web.client_secret',
    );
    expect(JSON.stringify(loaded.issues)).not.toContain(JSON_SECRET);
  });

  test('the same value reaching us (a hand-built config) is refused through config-schema’s rule', () => {
    const config = loadConfig(netraBackendSchema, { env: STAGING_ENV });
    const pasted = {
      ...config,
      oauth: { ...config.oauth, google: { clientId: clientSecretJson, clientSecret: clientSecretJson } },
    };
    const result = safeGetOAuthConfig(pasted);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const clientIdHints = result.issues
      .filter((issue) => issue.variable === 'GOOGLE_OAUTH_CLIENT_ID_STAGING')
      .map((issue) => issue.hint);
    expect(clientIdHints.some((hint) => hint.includes('?field=web.client_id'))).toBe(true);
    expect(JSON.stringify(result.issues)).not.toContain(JSON_SECRET);
  });
});
