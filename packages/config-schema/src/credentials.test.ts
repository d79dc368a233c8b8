// Messages never quote a credential: the cases of issue 18, table-tested through safeLoadConfig and formatIssues,
// and properties with random secrets.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { credentialShape, displayValue, maskCredentials, redactText } from './credentials.ts';
import { defineSchema, variable } from './dsl.ts';
import { formatIssues } from './format.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment, redisFragment } from './fragments.ts';
import { safeLoadConfig } from './load.ts';
import { oneOf, port, text } from './values.ts';

const schema = defineSchema({
  environment: environmentVariable(),
  database: databaseFragment(),
  redis: redisFragment(),
  oauth: googleOAuthFragment(),
  apiToken: variable({ name: 'API_TOKEN', schema: text(), description: 'Token.', sensitive: true }),
  logLevel: variable({
    name: 'LOG_LEVEL',
    schema: oneOf(['info', 'debug']),
    description: 'Level.',
    default: 'info',
  }),
  workers: variable({ name: 'WORKERS', schema: port(), description: 'A number.', default: '4' }),
});

const PASSWORD = 'Xk9pQ2vLm7RtZ4wN';
const GOCSPX = 'GOCSPX-4fQm9ZrTq2LpX7vN1sKd8wYb';

/** Everything a user sees of a load: the issues as JSON and the human report. */
function printed(env: Record<string, string>): string {
  const result = safeLoadConfig(schema, { env });
  const issues = result.ok ? result.warnings : result.issues;
  return `${JSON.stringify(issues)}\n${formatIssues(issues)}`;
}

describe('the ten cases of issue 18: no credential quoted', () => {
  test.each([
    [
      'DATABASE_HOST=user:PASSWORD@host',
      { DATABASE_HOST: `netra:${PASSWORD}@10.0.0.5` },
      'netra:****@10.0.0.5',
    ],
    ['REDIS_HOST=:PASSWORD@host', { REDIS_HOST: `:${PASSWORD}@10.0.0.6` }, ':****@10.0.0.6'],
    [
      'a URL with userinfo behind backslashes',
      { DATABASE_HOST: `https:\\\\netra:${PASSWORD}@db.example` },
      ':****@',
    ],
    ['a URL with userinfo, one backslash', { REDIS_HOST: `redis:\\netra:${PASSWORD}@cache` }, ':****@'],
    [
      'a GOCSPX- secret in the client ID',
      { GOOGLE_OAUTH_CLIENT_ID: GOCSPX, GOOGLE_OAUTH_CLIENT_SECRET: 'x' },
      'fingerprint',
    ],
    ["a secret's value in LOG_LEVEL", { API_TOKEN: PASSWORD, LOG_LEVEL: PASSWORD }, '[redacted]'],
    [
      "a secret's value in DATABASE_PORT",
      { DATABASE_PASSWORD: PASSWORD, DATABASE_PORT: PASSWORD },
      '[redacted]',
    ],
    ["a secret's value in ENVIRONMENT", { API_TOKEN: PASSWORD, ENVIRONMENT: PASSWORD }, 'ENVIRONMENT'],
    ['localhost?password=…', { DATABASE_HOST: `localhost?password=${PASSWORD}` }, 'password=****'],
    ['a short secret in WORKERS', { API_TOKEN: 'hunter2', WORKERS: 'hunter2' }, '[redacted]'],
  ])('%s', (_, values, shown) => {
    const env: Record<string, string> = { ENVIRONMENT: 'development', ...values };
    const output = printed(env);
    for (const secret of [PASSWORD, GOCSPX, 'hunter2']) expect(output).not.toContain(secret);
    expect(output).toContain(shown);
  });

  test('the verdict is unchanged: the values are still invalid', () => {
    expect(
      safeLoadConfig(schema, {
        env: { ENVIRONMENT: 'development', DATABASE_HOST: `netra:${PASSWORD}@10.0.0.5` },
      }).ok,
    ).toBe(false);
  });
});

describe('displayValue, maskCredentials, credentialShape', () => {
  test.each([
    ['10.0.0.5', "'10.0.0.5'"],
    ['netra:pw@10.0.0.5', "'netra:****@10.0.0.5'"],
    ['https://u:ab/cd@host', "'https://u:****@host'"],
    ['https://TOKEN123@host', "'https://****@host'"],
    ['password=abc', "'password=****'"],
    ['db?sslmode=require&password=abc', "'db?sslmode=require&password=****'"],
    ['DEBUG', "'DEBUG'"],
    ['api.staging.netra.example', "'api.staging.netra.example'"],
    [
      '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
      "'123456789012-abcdefghijklmnop.apps.googleusercontent.com'",
    ],
  ])('%s → %s', (value, shown) => {
    expect(displayValue(value)).toBe(shown);
  });

  test.each([
    ['GOCSPX-abcdefghijklmnop', 'Google OAuth client secret'],
    ['AIzaSyD-test-only-0123456789abcdefghijk', 'Google API key'],
    ['sk_live_9f8e7d6c5b4a39281706', 'API key'],
    ['-----BEGIN PRIVATE KEY-----\nMIIE…', 'PEM'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'JWT'],
    ['q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5aR1eU9iO3', 'random'],
    ['3f1c2a9e7b644d0c9a552e8f6b7c1d40', 'random'],
  ])('%s is %s', (value, kind) => {
    expect(credentialShape(value)).toContain(kind);
    // A multi-line PEM block is not printable: not shown at all.
    if (!value.includes('\n')) expect(displayValue(value)).toMatch(/fingerprint [0-9a-f]{8}/);
    else expect(displayValue(value)).toBeUndefined();
    expect(displayValue(value) ?? '').not.toContain(value.slice(8, 16));
  });

  test('an e-mail address (a service account) is not a credential', () => {
    expect(maskCredentials('runtime@netra-staging.iam.gserviceaccount.com')).toBe(
      'runtime@netra-staging.iam.gserviceaccount.com',
    );
  });

  test('hints naming variables are untouched', () => {
    const hint =
      'Set JWT_SECRET_STAGING=sm://PROJECT/jwt-secret-staging or GOOGLE_OAUTH_CLIENT_SECRET_STAGING.';
    expect(redactText(hint)).toBe(hint);
  });
});

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secretArb = fc
  .array(fc.constantFrom(...alphabet), { minLength: 16, maxLength: 40 })
  .map((chars) => `Q${chars.join('')}9z`);

describe('properties: random secrets pasted anywhere are never quoted', () => {
  test('a sensitive value in any other setting, as userinfo, in a query or alone', () => {
    const places = [
      'DATABASE_HOST',
      'REDIS_HOST',
      'LOG_LEVEL',
      'WORKERS',
      'DATABASE_PORT',
      'GOOGLE_OAUTH_CLIENT_ID',
      'ENVIRONMENT',
    ];
    const forms = [
      (s: string) => s,
      (s: string) => `netra:${s}@10.0.0.5`,
      (s: string) => `:${s}@host`,
      (s: string) => `postgres:\\\\u:${s}@db`,
      (s: string) => `localhost?password=${s}`,
      (s: string) => `db?user=a&token=${s}`,
      (s: string) => `GOCSPX-${s}`,
      (s: string) => `AIza${s}`,
      (s: string) => `sk_live_${s}`,
    ];
    fc.assert(
      fc.property(
        secretArb,
        fc.constantFrom(...places),
        fc.nat(forms.length - 1),
        fc.boolean(),
        fc.constantFrom('development', 'staging'),
        (secret, place, form, alsoSensitive, environment) => {
          // A bare value that is neither a sensitive setting's nor credential-shaped may be quoted (`QAAAAAAA…`).
          fc.pre(alsoSensitive || form !== 0 || credentialShape(secret) !== undefined);
          const env: Record<string, string> = { ENVIRONMENT: environment, [place]: forms[form]!(secret) };
          if (alsoSensitive) env.API_TOKEN = secret;
          const output = printed(env);
          expect(output).not.toContain(secret.slice(0, 12));
          expect(output).not.toContain(secret.slice(-12));
        },
      ),
      { numRuns: 300 },
    );
  });
});
