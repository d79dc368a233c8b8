import { describeSchema } from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { netraBackendSchema } from './schema.ts';

describe('describeSchema', () => {
  test('staging: suffixed names, secret bindings, no issuer URL, no sensitive defaults', () => {
    const staging = describeSchema(netraBackendSchema, 'staging');
    const byKey = new Map(staging.map((variable) => [variable.key, variable]));
    expect(byKey.get('jwtSecret')).toMatchObject({
      variable: 'JWT_SECRET_STAGING',
      required: true,
      sensitive: true,
      secret: { secret: 'jwt-secret-staging', version: 'latest' },
      otherNames: ['JWT_SECRET', 'JWT_SECRET_PRODUCTION'],
    });
    expect(byKey.has('oauth.issuerUrl')).toBe(false);
    expect(byKey.get('port')).toMatchObject({ variable: 'PORT', reserved: true, default: '8080' });
    expect(staging.filter((variable) => variable.sensitive && variable.default !== undefined)).toEqual([]);
    expect(
      staging
        .filter((variable) => variable.secret)
        .map((variable) => `${variable.variable}=${variable.secret?.secret}`),
    ).toEqual([
      'JWT_SECRET_STAGING=jwt-secret-staging',
      'DATABASE_PASSWORD=database-password-staging',
      'REDIS_PASSWORD=redis-password-staging',
      'FERNET_KEY=fernet-key-staging',
      'GEMINI_API_KEY=gemini-api-key-staging',
      'GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging',
      'GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging',
    ]);
  });

  test('development: plain names, no bindings, the issuer URL exists', () => {
    const development = describeSchema(netraBackendSchema, 'development');
    expect(development.some((variable) => variable.secret)).toBe(false);
    expect(development.find((variable) => variable.key === 'oauth.issuerUrl')?.variable).toBe(
      'OAUTH_ISSUER_URL',
    );
    expect(development.find((variable) => variable.key === 'jwtSecret')?.variable).toBe('JWT_SECRET');
    expect(development.filter((variable) => variable.required).map((variable) => variable.variable)).toEqual([
      'ENVIRONMENT',
    ]);
  });
});
