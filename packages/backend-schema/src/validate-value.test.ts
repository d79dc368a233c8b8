import { validateValue } from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { netraBackendSchema } from './schema.ts';

describe('validateValue', () => {
  test('a good Fernet key passes; a trailing newline is whitespace', () => {
    const key = 'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE=';
    expect(
      validateValue(netraBackendSchema, { environment: 'staging', variable: 'FERNET_KEY', value: key }),
    ).toEqual([]);
    const issues = validateValue(netraBackendSchema, {
      environment: 'staging',
      variable: 'FERNET_KEY',
      value: `${key}\n`,
    });
    expect(issues.map((issue) => issue.code)).toEqual(['whitespace']);
    expect(issues[0]?.message).toContain('a trailing newline');
  });

  test('weak JWT secret in staging, fine in development', () => {
    const value = 'short-secret';
    expect(
      validateValue(netraBackendSchema, {
        environment: 'staging',
        variable: 'JWT_SECRET_STAGING',
        value,
      }).map((issue) => issue.code),
    ).toEqual(['weak-secret']);
    expect(
      validateValue(netraBackendSchema, { environment: 'development', variable: 'JWT_SECRET', value }),
    ).toEqual([]);
  });

  test('a pasted client_secret.json of a web client: "a" web client, the ?field= to bind, no value', () => {
    const value = JSON.stringify({
      web: { client_id: 'x.apps.googleusercontent.com', client_secret: 'GOCSPX-abc' },
    });
    const issues = validateValue(netraBackendSchema, {
      environment: 'staging',
      variable: 'GOOGLE_OAUTH_CLIENT_ID_STAGING',
      value,
    });
    expect(JSON.stringify(issues)).not.toContain('GOCSPX-abc');
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid",
          "hint": "Set GOOGLE_OAUTH_CLIENT_ID_STAGING=sm://PROJECT/SECRET?field=web.client_id to take the one field from the JSON secret, or store the client_id alone in its own secret.",
          "key": "oauth.google.clientId",
          "message": "GOOGLE_OAUTH_CLIENT_ID_STAGING holds a whole Google client_secret.json (a "web" client), not the client_id",
          "severity": "error",
          "variable": "GOOGLE_OAUTH_CLIENT_ID_STAGING",
        },
      ]
    `);
  });

  test('a name of another environment is unknown here, with a suggestion', () => {
    const [issue] = validateValue(netraBackendSchema, {
      environment: 'staging',
      variable: 'JWT_SECRET_STAGIN',
      value: 'x',
    });
    expect(issue).toMatchObject({ code: 'unknown-variable', hint: 'Did you mean JWT_SECRET_STAGING?' });
  });
});
