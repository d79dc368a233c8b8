import { portableSchema } from '@netra/config-schema';
import { describe, expect, test } from 'vitest';
import { netraBackendSchema } from './schema.ts';

describe('portableSchema of the backend', () => {
  test('the backend schema is data from end to end: nothing unportable', () => {
    const portable = portableSchema(netraBackendSchema);
    expect(portable.unportable).toEqual([]);
    expect(portable.environments).toEqual(['development', 'test', 'staging', 'production']);
    const staging = portable.byEnvironment['staging']!;
    const jwt = staging.variables.find((variable) => variable.key === 'jwtSecret')!;
    expect(jwt).toMatchObject({
      name: 'JWT_SECRET_STAGING',
      required: true,
      sensitive: true,
      value: { type: 'text' },
    });
    expect(jwt.rules.map((rule) => rule.check?.policy)).toEqual(['min-strength', 'no-placeholder']);
    expect(staging.variables.find((variable) => variable.key === 'database.sslMode')?.default).toEqual({
      value: 'require',
      dynamic: {
        variable: 'DATABASE_HOST',
        startsWith: '/cloudsql/',
        matched: 'disable',
        otherwise: 'require',
      },
    });
    expect(staging.crossRules.map((rule) => rule.check)).toEqual([
      { builtin: 'password-not-user' },
      { builtin: 'ssl-over-network', socketPrefix: '/cloudsql/' },
      { builtin: 'oauth-client-pair' },
    ]);
    expect(staging.notAllowed).toEqual([
      { name: 'OAUTH_ISSUER_URL', key: 'oauth.issuerUrl', allowedIn: ['development', 'test'] },
    ]);
    // A plain zod string with an expectation (the project ID) is translated from zod's own definition.
    expect(staging.variables.find((variable) => variable.key === 'gcpProjectId')?.value).toEqual({
      type: 'pattern',
      pattern: '^[a-z][a-z0-9-]{4,28}[a-z0-9]$',
      flags: '',
    });
    expect(JSON.parse(JSON.stringify(portable))).toEqual(portable);
  });
});
