import { describe, expect, test } from 'vitest';
import { describeSchema } from './describe.ts';
import { renderDocs } from './docs.ts';
import { defineSchema, fragmentsOf, SchemaDefinitionError, variable } from './dsl.ts';
import { isEnvironment, parseEnvironment } from './environment.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment } from './fragments.ts';
import { safeLoadConfig } from './load.ts';
import { minStrength } from './policies.ts';
import { text } from './values.ts';

const ENVIRONMENTS = {
  development: 'local',
  test: 'local',
  qa: 'deployed',
  staging: 'deployed',
  production: 'deployed',
} as const;

// A worker with a qa environment: everything that said "staging and production" follows the deployed tier.
const worker = defineSchema(
  {
    environment: environmentVariable(),
    billingDb: databaseFragment({ prefix: 'BILLING_DB_' }),
    apiToken: variable({
      name: 'API_TOKEN',
      suffixed: ['deployed'],
      schema: text(),
      description: 'Token of the payment provider.',
      sensitive: true,
      required: ['deployed'],
      default: { local: 'local-only-token-that-is-long-enough' },
      secret: 'api-token-{env}',
      rules: [minStrength(24)],
    }),
  },
  { title: 'Billing worker', environments: ENVIRONMENTS },
);

const HEALTHY_QA = {
  ENVIRONMENT: 'qa',
  BILLING_DB_HOST: '10.0.0.5',
  BILLING_DB_USER: 'billing',
  BILLING_DB_PASSWORD: 'a-long-random-qa-db-password',
  API_TOKEN_QA: 'tok_qa_0123456789abcdefghijklmn',
};

describe('a schema declares its environments and tiers', () => {
  test('ENVIRONMENT accepts exactly the schema environments, with a did-you-mean among them', () => {
    expect(safeLoadConfig(worker, { env: HEALTHY_QA })).toMatchObject({ ok: true, environment: 'qa' });
    const misspelt = safeLoadConfig(worker, { env: { ...HEALTHY_QA, ENVIRONMENT: 'qaa' } });
    expect(misspelt.ok).toBe(false);
    expect(!misspelt.ok && misspelt.issues[0]).toMatchObject({
      code: 'unknown-environment',
      hint: "Did you mean 'qa'? Set ENVIRONMENT=qa.",
    });
    expect(!misspelt.ok && misspelt.issues[0]?.message).toContain(
      'expected one of development, test, qa, staging, production',
    );
    expect(isEnvironment('qa', worker)).toBe(true);
    expect(isEnvironment('qa', ['development', 'staging'])).toBe(false);
    // 'stage' suggests staging only where staging exists.
    const noStaging = parseEnvironment('stage', ['development', 'qa']);
    expect(!noStaging.ok && noStaging.suggestion).toBeUndefined();
  });

  test('the deployed tier: required, suffixed, bound, no loopback; the local tier: defaults', () => {
    const qa = describeSchema(worker, 'qa');
    expect(qa.find((entry) => entry.key === 'apiToken')).toMatchObject({
      variable: 'API_TOKEN_QA',
      required: true,
      secret: { secret: 'api-token-qa', version: 'latest' },
    });
    expect(qa.find((entry) => entry.key === 'billingDb.password')?.secret?.secret).toBe(
      'billing-db-password-qa',
    );
    const loopback = safeLoadConfig(worker, { env: { ...HEALTHY_QA, BILLING_DB_HOST: 'localhost' } });
    expect(!loopback.ok && loopback.issues.map((issue) => `${issue.code} ${issue.variable}`)).toEqual([
      'loopback-host BILLING_DB_HOST',
    ]);
    const missing = safeLoadConfig(worker, { env: { ENVIRONMENT: 'qa' } });
    expect(!missing.ok && missing.issues.map((issue) => issue.variable).sort()).toEqual([
      'API_TOKEN_QA',
      'BILLING_DB_HOST',
      'BILLING_DB_PASSWORD',
      'BILLING_DB_USER',
    ]);
    const development = safeLoadConfig(worker, { env: { ENVIRONMENT: 'development' } });
    expect(development.ok && development.config.billingDb.host).toBe('127.0.0.1');
    expect(describeSchema(worker, 'development').find((entry) => entry.key === 'apiToken')?.secret).toBe(
      undefined,
    );
  });

  test('a wrong name of another deployed environment is reported', () => {
    const { API_TOKEN_QA: token, ...rest } = HEALTHY_QA;
    const result = safeLoadConfig(worker, { env: { ...rest, API_TOKEN_STAGING: token } });
    expect(!result.ok && result.issues.map((issue) => `${issue.code} ${issue.variable}`)).toContain(
      'wrong-name API_TOKEN_QA',
    );
  });

  test('docs: one page per environment of the schema', () => {
    const pages = renderDocs(worker);
    expect(Object.keys(pages)).toEqual([
      'index.md',
      'development.md',
      'test.md',
      'qa.md',
      'staging.md',
      'production.md',
    ]);
    expect(pages['qa.md']).toContain('`API_TOKEN_QA` (sensitive)');
    expect(pages['index.md']).toContain(
      '| Key | Description | development | test | qa | staging | production |',
    );
  });

  test('an environment-specific name of an env with a dash', () => {
    const schema = defineSchema(
      {
        environment: environmentVariable(),
        token: variable({ name: 'TOKEN', suffixed: ['deployed'], schema: text(), description: 'x' }),
      },
      { environments: { development: 'local', 'eu-prod': 'deployed' } },
    );
    expect(describeSchema(schema, 'eu-prod')[1]?.variable).toBe('TOKEN_EU_PROD');
  });
});

describe('SchemaDefinitionError when the schema is defined', () => {
  const define =
    (environments: unknown, shape: Record<string, unknown> = {}) =>
    () =>
      defineSchema({ environment: environmentVariable(), ...shape } as never, {
        environments: environments as never,
      });

  test.each([
    [
      'two names that differ only in case',
      { qa: 'deployed', QA: 'deployed' },
      "The schema declares the environments 'qa' and 'QA', which differ only in case",
    ],
    ['a tier that is neither local nor deployed', { qa: 'remote' }, `Environment qa's tier is "remote"`],
    ['an upper-case name', { Staging: 'deployed' }, "The environment name 'Staging' is not lower-case"],
    ['a tier used as a name', { local: 'local' }, "The environment name 'local' is the name of a tier"],
    ['no environment', {}, 'The schema declares no environment'],
    ['not an object', ['qa'], "The schema's environments must be an object"],
  ])('%s', (_, environments, message) => {
    expect(define(environments)).toThrow(SchemaDefinitionError);
    expect(define(environments)).toThrow(message);
  });

  test('a fragment or rule naming an environment the schema lacks', () => {
    const environments = { development: 'local', qa: 'deployed' };
    const token = variable({
      name: 'TOKEN',
      schema: text(),
      description: 'x',
      required: ['staging'],
    });
    expect(define(environments, { token })).toThrow(
      "Variable TOKEN's required names 'staging', which is not an environment of this schema (development, qa) nor a tier (local, deployed)",
    );
    const ruled = variable({
      name: 'TOKEN',
      schema: text(),
      description: 'x',
      rules: [minStrength(8, { environments: ['production'] })],
    });
    expect(define(environments, { ruled })).toThrow(
      "Variable TOKEN's rule min-strength-8 names 'production'",
    );
    // Fragments speak in tiers, so they fit any schema.
    expect(define(environments, { db: databaseFragment(), oauth: googleOAuthFragment() })).not.toThrow();
  });
});

describe('fragment roles', () => {
  test('fragmentsOf finds every fragment by role, under any key and prefix', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      billingDb: databaseFragment({ prefix: 'BILLING_DB_' }),
      nested: { kind: 'group', shape: {}, rules: [], prefixes: [] } as never,
      oauth: googleOAuthFragment(),
    });
    expect(fragmentsOf(schema)).toEqual([
      { role: 'postgres', key: 'billingDb', prefix: 'BILLING_DB_' },
      { role: 'google-oauth', key: 'oauth', prefix: 'GOOGLE_OAUTH_' },
    ]);
    expect(fragmentsOf(schema, 'redis')).toEqual([]);
    expect(fragmentsOf(worker, 'postgres')).toEqual([
      { role: 'postgres', key: 'billingDb', prefix: 'BILLING_DB_' },
    ]);
  });
});
