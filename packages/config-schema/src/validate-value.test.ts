import { describe, expect, test } from 'vitest';
import { validateValue } from './load.ts';
import { netraBackendSchema } from './netra.ts';

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

  test('a name of another environment is unknown here, with a suggestion', () => {
    const [issue] = validateValue(netraBackendSchema, {
      environment: 'staging',
      variable: 'JWT_SECRET_STAGIN',
      value: 'x',
    });
    expect(issue).toMatchObject({ code: 'unknown-variable', hint: 'Did you mean JWT_SECRET_STAGING?' });
  });
});
