import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { compile } from './compile.ts';
import { REDACTED } from './config-object.ts';
import { describeSchema } from './describe.ts';
import {
  type CrossRule,
  defineSchema,
  group,
  type Rule,
  SchemaDefinitionError,
  type Variable,
  variable,
} from './dsl.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment, redisFragment } from './fragments.ts';
import { loadConfig, safeLoadConfig, validateValue } from './load.ts';
import { minStrength } from './policies.ts';
import { expecting, port, text } from './values.ts';

describe('fragments compose into other services’ schemas', () => {
  const worker = defineSchema(
    {
      environment: environmentVariable(),
      queue: redisFragment({ prefix: 'QUEUE_REDIS_', passwordSecret: 'queue-redis-password-{env}' }),
      analytics: databaseFragment({ prefix: 'ANALYTICS_DB_', passwordSecret: 'analytics-db-password-{env}' }),
      oauth: googleOAuthFragment(),
    },
    { title: 'Worker' },
  );

  test('names and bindings follow the fragment options', () => {
    const staging = describeSchema(worker, 'staging');
    expect(staging.map((variable) => variable.variable)).toContain('QUEUE_REDIS_HOST');
    expect(staging.find((variable) => variable.key === 'analytics.password')).toMatchObject({
      variable: 'ANALYTICS_DB_PASSWORD',
      secret: { secret: 'analytics-db-password-staging', version: 'latest' },
    });
  });

  test('the fragment’s rules and defaults come along', () => {
    const config = loadConfig(worker, { env: { ENVIRONMENT: 'development' } });
    expect(config.queue.port).toBe(6379);
    expect(config.analytics.host).toBe('127.0.0.1');
    const staging = safeLoadConfig(worker, {
      env: {
        ENVIRONMENT: 'staging',
        QUEUE_REDIS_HOST: 'localhost',
        ANALYTICS_DB_HOST: '10.0.0.9',
        ANALYTICS_DB_USER: 'analytics',
        ANALYTICS_DB_PASSWORD: 'analytics-Zp4uK8wQ2rN6',
      },
    });
    const found = staging.ok ? [] : staging.issues.map((issue) => `${issue.code} ${issue.variable}`);
    expect(found).toContain('loopback-host QUEUE_REDIS_HOST');
    expect(found).toContain('weak-secret ANALYTICS_DB_PASSWORD'); // contains the user name: the cross rule
    expect(found).toContain('missing QUEUE_REDIS_PASSWORD');
  });

  test('two fragments with the same names are refused', () => {
    expect(() => defineSchema({ a: databaseFragment(), b: databaseFragment() })).toThrowError(
      /DATABASE_HOST is used by both a.host and b.host in development/,
    );
  });
});

describe('definition errors', () => {
  const inSchema = (
    declared: Variable<unknown, boolean>,
    environments?: Record<string, 'local' | 'deployed'>,
  ) =>
    defineSchema(
      { environment: environmentVariable(), token: declared },
      environments ? { environments } : {},
    );
  test('a sensitive default outside the local tier', () => {
    expect(() =>
      inSchema(
        variable({
          name: 'API_TOKEN',
          schema: text(),
          sensitive: true,
          description: 'x',
          // @ts-expect-error also a type error (see load.test-d.ts); this checks the runtime half
          default: { development: 'dev', staging: 'oops' },
        }),
      ),
    ).toThrowError(SchemaDefinitionError);
    expect(() =>
      inSchema(
        variable({
          name: 'API_TOKEN',
          schema: text(),
          sensitive: true,
          description: 'x',
          // @ts-expect-error also a type error
          default: 'everywhere',
        }),
      ),
    ).toThrowError(
      /sensitive but has a default in staging, production; a sensitive value may default only in the local tier \(development, test\)/,
    );
    // The tier decides, not the name: in a schema where qa is deployed, a default for qa is refused.
    expect(() =>
      inSchema(
        variable({
          name: 'API_TOKEN',
          schema: text(),
          sensitive: true,
          description: 'x',
          default: { qa: 'x' },
        }),
        { development: 'local', qa: 'deployed' },
      ),
    ).toThrowError(/sensitive but has a default in qa/);
  });
  test('bad names, no description, required where not allowed', () => {
    expect(() => variable({ name: 'lower_case', schema: text(), description: 'x' })).toThrowError(
      /not an upper-case environment variable name/,
    );
    expect(() => variable({ name: 'X', schema: text(), description: '' })).toThrowError(/no description/);
    expect(() =>
      inSchema(
        variable({
          name: 'X',
          schema: text(),
          description: 'x',
          required: ['staging'],
          environments: ['development'],
        }),
      ),
    ).toThrowError(/required in staging, where it is not allowed/);
  });
  test('the error has a stable code', () => {
    try {
      variable({ name: 'x', schema: text(), description: 'x' });
    } catch (error) {
      expect((error as SchemaDefinitionError).code).toBe('SCHEMA_INVALID');
    }
    expect.assertions(1);
  });
});

describe('rules with severities, cross-variable rules, custom value schemas', () => {
  const warnOnHttp: Rule = {
    id: 'prefer-tls-port',
    description: 'prefer 443',
    severity: 'warning',
    check: (value, context) =>
      value === '80'
        ? { code: 'invalid', message: `${context.variable} is 80`, hint: 'Use 443.' }
        : undefined,
  };
  const portsDiffer: CrossRule = {
    id: 'ports-differ',
    description: 'public and admin ports differ',
    keys: ['public', 'admin'],
    check: (values, context) =>
      values['public'] === values['admin']
        ? {
            key: 'admin',
            code: 'invalid',
            message: `${context.variable('admin')} equals ${context.variable('public')}`,
            hint: 'Pick another port.',
          }
        : undefined,
  };
  const schema = defineSchema({
    environment: environmentVariable(),
    ports: group(
      {
        public: variable({
          name: 'PUBLIC_PORT',
          schema: port(),
          description: 'p',
          default: '443',
          rules: [warnOnHttp],
        }),
        admin: variable({ name: 'ADMIN_PORT', schema: port(), description: 'a', default: '9000' }),
      },
      { rules: [portsDiffer] },
    ),
    token: variable({
      name: 'API_TOKEN',
      schema: expecting(z.string().regex(/^tok_[a-z0-9]{8,}$/), 'a token like tok_…'),
      sensitive: true,
      description: 'token',
      required: ['staging', 'production'],
      rules: [minStrength(12)],
    }),
  });

  test('a warning rule reports but loads', () => {
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'test', PUBLIC_PORT: '80' } });
    expect(result.ok && result.warnings.map((issue) => `${issue.severity} ${issue.message}`)).toEqual([
      'warning PUBLIC_PORT is 80',
    ]);
  });
  test('a cross-variable rule in a group', () => {
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'test', PUBLIC_PORT: '9000' } });
    expect(!result.ok && result.issues).toEqual([
      {
        severity: 'error',
        code: 'invalid',
        key: 'ports.admin',
        variable: 'ADMIN_PORT',
        message: 'ADMIN_PORT equals PUBLIC_PORT',
        hint: 'Pick another port.',
      },
    ]);
  });
  test('a cross-variable rule is skipped when one of its values failed', () => {
    const result = safeLoadConfig(schema, {
      env: { ENVIRONMENT: 'test', PUBLIC_PORT: 'x', ADMIN_PORT: 'x' },
    });
    expect(!result.ok && result.issues.map((issue) => issue.code)).toEqual(['invalid', 'invalid']);
  });
  test('a sensitive value that fails its zod schema is not echoed', () => {
    const value = 'not-a-token-Zq81';
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'staging', API_TOKEN: value } });
    expect(!result.ok && result.issues[0]?.message).toBe('API_TOKEN is not a token like tok_…');
    expect(JSON.stringify(result)).not.toContain(value);
    expect(
      JSON.stringify(validateValue(schema, { environment: 'staging', variable: 'API_TOKEN', value })),
    ).not.toContain(value);
  });
});

describe('the config object', () => {
  const secret = 'tok_abcdefgh12345678';
  const schema = defineSchema({
    environment: environmentVariable(),
    token: variable({ name: 'API_TOKEN', schema: text(), sensitive: true, description: 't' }),
    nested: group({
      inner: group({
        key: variable({ name: 'INNER_KEY', schema: text(), sensitive: true, description: 'k' }),
      }),
      plain: variable({ name: 'PLAIN', schema: text(), description: 'p', default: 'visible' }),
    }),
  });
  const config = loadConfig(schema, {
    env: { ENVIRONMENT: 'development', API_TOKEN: secret, INNER_KEY: secret },
  });

  test('sensitive fields hold the real value', () => {
    expect(config.token).toBe(secret);
    expect(config.nested.inner.key).toBe(secret);
  });
  test('JSON.stringify, util.inspect, String and template literals show [redacted]', () => {
    expect(JSON.stringify(config)).toBe(
      `{"environment":"development","token":"${REDACTED}","nested":{"inner":{"key":"${REDACTED}"},"plain":"visible"}}`,
    );
    expect(JSON.stringify(config.nested.inner)).toBe(`{"key":"${REDACTED}"}`);
    expect(inspect(config, { depth: 5 })).toContain(`token: '${REDACTED}'`);
    expect(inspect(config, { depth: 5 })).not.toContain(secret);
    expect(inspect(config.nested)).not.toContain(secret);
    expect(String(config)).toContain(REDACTED);
    expect(`${config.nested}`).not.toContain(secret);
    // The sensitive field is read by name but is not an own property: copies and walks skip it.
    expect(Object.keys(config)).toEqual(['environment', 'nested']);
    expect('token' in config).toBe(true);
  });
  test('deeply frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nested)).toBe(true);
    expect(Object.isFrozen(config.nested.inner)).toBe(true);
    expect(() => {
      (config.nested as { plain: string }).plain = 'changed';
    }).toThrowError(TypeError);
  });
});

describe('names and bindings per environment', () => {
  const schema = defineSchema({
    environment: environmentVariable(),
    token: variable({
      name: 'TOKEN',
      names: { production: 'PROD_TOKEN' },
      suffixed: ['staging'],
      schema: text(),
      description: 't',
      secret: { secret: 'token-{env}', version: '3', environments: ['production'] },
    }),
  });
  test('explicit names win over suffixes; the secret object form pins a version and environments', () => {
    expect(describeSchema(schema, 'development')[1]).toMatchObject({
      variable: 'TOKEN',
      otherNames: ['TOKEN_STAGING', 'PROD_TOKEN'],
    });
    expect(describeSchema(schema, 'staging')[1]).toMatchObject({ variable: 'TOKEN_STAGING' });
    expect(describeSchema(schema, 'staging')[1]?.secret).toBeUndefined();
    expect(describeSchema(schema, 'production')[1]).toMatchObject({
      variable: 'PROD_TOKEN',
      secret: { secret: 'token-production', version: '3' },
    });
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'production', TOKEN: 'x' } });
    expect(result.ok && result.warnings.map((issue) => `${issue.code} ${issue.message}`)).toEqual([
      'wrong-name TOKEN is set, but production reads PROD_TOKEN; TOKEN is ignored',
    ]);
  });
});

describe('lazy compilation', () => {
  test('each environment is compiled once, on first use', () => {
    const schema = defineSchema({ environment: environmentVariable() });
    const first = compile(schema, 'staging');
    expect(compile(schema, 'staging')).toBe(first);
    expect(compile(schema, 'production')).not.toBe(first);
  });
});
