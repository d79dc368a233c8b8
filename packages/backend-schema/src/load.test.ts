import { ConfigError, formatIssues, loadConfig, safeLoadConfig } from '@netra/config-schema';
import { describe, expect, test, vi } from 'vitest';
import { HEALTHY_PRODUCTION, HEALTHY_STAGING, INCIDENT_STAGING } from '../test/fixtures/envs.ts';
import { netraBackendSchema } from './schema.ts';

describe('the incident (DESIGN.md "Done when")', () => {
  test("The incident's staging environment (JWT_SECRET instead of JWT_SECRET_STAGING, localhost database, weak database password, no Redis host or password, no FERNET_KEY, no GEMINI_API_KEY, OAuth under the development names) yields every one of those problems in one `safeLoadConfig` call, each with its code, variable and hint, and no value", () => {
    const result = safeLoadConfig(netraBackendSchema, { env: INCIDENT_STAGING });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.environment).toBe('staging');
    const found = result.issues.map(({ severity, code, variable }) => ({ severity, code, variable }));
    expect(found).toEqual([
      { severity: 'error', code: 'wrong-name', variable: 'JWT_SECRET_STAGING' },
      { severity: 'error', code: 'loopback-host', variable: 'DATABASE_HOST' },
      { severity: 'error', code: 'weak-secret', variable: 'DATABASE_PASSWORD' },
      { severity: 'error', code: 'missing', variable: 'REDIS_HOST' },
      { severity: 'error', code: 'missing', variable: 'REDIS_PASSWORD' },
      { severity: 'error', code: 'missing', variable: 'FERNET_KEY' },
      { severity: 'error', code: 'missing', variable: 'GEMINI_API_KEY' },
      { severity: 'error', code: 'wrong-name', variable: 'GOOGLE_OAUTH_CLIENT_ID_STAGING' },
      { severity: 'error', code: 'wrong-name', variable: 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING' },
    ]);
    const byVariable = new Map(result.issues.map((issue) => [issue.variable, issue]));
    expect(byVariable.get('JWT_SECRET_STAGING')?.hint).toMatch(/^Rename JWT_SECRET to JWT_SECRET_STAGING/);
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_ID_STAGING')?.hint).toMatch(
      /^Rename GOOGLE_OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING/,
    );
    expect(byVariable.get('GOOGLE_OAUTH_CLIENT_SECRET_STAGING')?.hint).toMatch(
      /^Rename GOOGLE_OAUTH_CLIENT_SECRET to GOOGLE_OAUTH_CLIENT_SECRET_STAGING/,
    );
    expect(byVariable.get('FERNET_KEY')?.hint).toContain('fernet-key-staging:latest');
    expect(byVariable.get('REDIS_PASSWORD')?.hint).toContain('redis-password-staging:latest');
    for (const issue of result.issues) {
      expect(issue.key).not.toBe('');
      expect(issue.message).toContain(
        issue.variable === 'JWT_SECRET_STAGING' ? 'JWT_SECRET' : issue.variable,
      );
      expect(issue.hint.length).toBeGreaterThan(10);
      const text = JSON.stringify(issue);
      for (const name of ['JWT_SECRET', 'DATABASE_PASSWORD', 'GOOGLE_OAUTH_CLIENT_SECRET']) {
        expect(text).not.toContain(INCIDENT_STAGING[name]);
      }
    }
  });

  test('a healthy staging env loads, typed and frozen, with no warnings', () => {
    const result = safeLoadConfig(netraBackendSchema, { env: HEALTHY_STAGING });
    expect(result.ok ? result.warnings : result.issues).toEqual([]);
    if (!result.ok) return;
    const { config } = result;
    expect(config.environment).toBe('staging');
    expect(config.database.host).toBe('/cloudsql/netra-staging:europe-west1:netra-db');
    expect(config.database.sslMode).toBe('disable'); // default for a /cloudsql/ socket
    expect(config.database.port).toBe(5432);
    expect(config.redis.tls).toBe(true);
    expect(config.jwtSecret).toBe(HEALTHY_STAGING['JWT_SECRET_STAGING']);
    expect(config.oauth.google.clientId).toBe(HEALTHY_STAGING['GOOGLE_OAUTH_CLIENT_ID_STAGING']);
    expect(config.oauth.issuerUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.oauth.google)).toBe(true);
  });

  test('a healthy production env loads', () => {
    const config = loadConfig(netraBackendSchema, { env: HEALTHY_PRODUCTION });
    expect(config.environment).toBe('production');
    expect(config.apiBaseUrl).toBe('https://api.netra.example');
  });

  test('ENVIRONMENT=development alone loads, with loopback defaults', () => {
    const config = loadConfig(netraBackendSchema, { env: { ENVIRONMENT: 'development' } });
    expect(config.database).toEqual({
      host: '127.0.0.1',
      port: 5432,
      name: 'postgres',
      user: 'postgres',
      password: undefined,
      sslMode: 'disable',
    });
    expect(config.redis.port).toBe(6379);
    expect(config.apiBaseUrl).toBe('http://localhost:8080');
    expect(config.frontendUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
    expect(config.port).toBe(8080);
  });

  test('loadConfig throws ConfigError with every issue and no value', () => {
    let error: unknown;
    try {
      loadConfig(netraBackendSchema, { env: INCIDENT_STAGING });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    expect(configError.issues).toHaveLength(9);
    expect(configError.message).toMatch(/^Invalid configuration for staging: 9 errors/);
    expect(configError.message).not.toContain(INCIDENT_STAGING['JWT_SECRET']);
    expect(configError.message).not.toContain(INCIDENT_STAGING['DATABASE_PASSWORD']);
  });

  test('the incident as the human report (what the sample service and the verifier print)', () => {
    const result = safeLoadConfig(netraBackendSchema, { env: INCIDENT_STAGING });
    expect(
      !result.ok && formatIssues(result.issues, { title: 'Configuration for staging' }),
    ).toMatchInlineSnapshot(`
      "Configuration for staging

      JWT_SECRET_STAGING
        error    wrong-name  JWT_SECRET is set, but staging reads JWT_SECRET_STAGING
                 → Rename JWT_SECRET to JWT_SECRET_STAGING (--set-secrets=JWT_SECRET_STAGING=jwt-secret-staging:latest).

      DATABASE_HOST
        error    loopback-host  DATABASE_HOST is a loopback address (localhost); in staging nothing listens there
                 → Set DATABASE_HOST to the staging server's private IP or host name (for Cloud SQL: /cloudsql/PROJECT:REGION:INSTANCE).

      DATABASE_PASSWORD
        error    weak-secret  DATABASE_PASSWORD is 12 characters long; staging needs at least 16
                 → Generate one: openssl rand -base64 15 and store it in DATABASE_PASSWORD's secret.

      REDIS_HOST
        error    missing  REDIS_HOST is not set; staging requires it
                 → Set REDIS_HOST, e.g. REDIS_HOST=10.20.0.3

      REDIS_PASSWORD
        error    missing  REDIS_PASSWORD is not set; staging requires it
                 → Bind it to its secret: --set-secrets=REDIS_PASSWORD=redis-password-staging:latest (or set REDIS_PASSWORD=sm://PROJECT/redis-password-staging).

      FERNET_KEY
        error    missing  FERNET_KEY is not set; staging requires it
                 → Bind it to its secret: --set-secrets=FERNET_KEY=fernet-key-staging:latest (or set FERNET_KEY=sm://PROJECT/fernet-key-staging).

      GEMINI_API_KEY
        error    missing  GEMINI_API_KEY is not set; staging requires it
                 → Bind it to its secret: --set-secrets=GEMINI_API_KEY=gemini-api-key-staging:latest (or set GEMINI_API_KEY=sm://PROJECT/gemini-api-key-staging).

      GOOGLE_OAUTH_CLIENT_ID_STAGING
        error    wrong-name  GOOGLE_OAUTH_CLIENT_ID is set, but staging reads GOOGLE_OAUTH_CLIENT_ID_STAGING
                 → Rename GOOGLE_OAUTH_CLIENT_ID to GOOGLE_OAUTH_CLIENT_ID_STAGING (--set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest).

      GOOGLE_OAUTH_CLIENT_SECRET_STAGING
        error    wrong-name  GOOGLE_OAUTH_CLIENT_SECRET is set, but staging reads GOOGLE_OAUTH_CLIENT_SECRET_STAGING
                 → Rename GOOGLE_OAUTH_CLIENT_SECRET to GOOGLE_OAUTH_CLIENT_SECRET_STAGING (--set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest).

      9 errors"
    `);
  });

  test('env defaults to process.env and the environment to ENVIRONMENT', () => {
    vi.stubEnv('ENVIRONMENT', 'test');
    try {
      expect(loadConfig(netraBackendSchema).environment).toBe('test');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
