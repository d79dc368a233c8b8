// The README's examples, compiled and run: the README claims nothing that is not tested.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, variable } from './dsl.ts';
import { formatIssues } from './format.ts';
import { databaseFragment, environmentVariable, redisFragment } from './fragments.ts';
import { loadConfig, safeLoadConfig } from './load.ts';
import { minStrength, noPlaceholder } from './policies.ts';
import { text } from './values.ts';

describe('README', () => {
  test('the ten-line example', () => {
    const schema = defineSchema(
      { environment: environmentVariable(), db: databaseFragment({ prefix: 'BILLING_DB_' }) },
      {
        title: 'Billing worker',
        environments: { development: 'local', qa: 'deployed', production: 'deployed' },
      },
    );
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'development' } });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.db.host).toBe('127.0.0.1');
    const qa = safeLoadConfig(schema, {
      env: { ENVIRONMENT: 'qa', BILLING_DB_PASSWORD: 'kq8Zr2Lw9Xv4Ty7Pn3' },
    });
    expect(inspect(qa)).not.toContain('kq8Zr2Lw9Xv4Ty7Pn3');
    expect(!qa.ok && qa.issues.map((issue) => `${issue.code} ${issue.variable}`)).toEqual([
      'missing BILLING_DB_HOST',
      'missing BILLING_DB_USER',
    ]);
  });

  test('the definition-language example', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      apiToken: variable({
        name: 'API_TOKEN',
        suffixed: ['deployed'],
        schema: text(),
        description: 'Token for the upstream API.',
        sensitive: true,
        required: ['deployed'],
        default: { local: 'dev-only-token-0123456789abcdef' },
        secret: 'api-token-{env}',
        obtain: { copyFrom: 'the upstream dashboard' },
        rules: [minStrength(32), noPlaceholder()],
      }),
      queue: redisFragment({ prefix: 'QUEUE_REDIS_' }),
      region: variable({
        name: 'REGION',
        schema: z.enum(['eu', 'us']),
        description: 'Where it runs.',
        default: 'eu',
      }),
    });
    const config = loadConfig(schema, { env: { ENVIRONMENT: 'development' } });
    expect(config.apiToken).toBe('dev-only-token-0123456789abcdef');
    expect(config.region).toBe('eu');
    const staging = safeLoadConfig(schema, { env: { ENVIRONMENT: 'staging', API_TOKEN: 'x'.repeat(40) } });
    expect(!staging.ok && staging.issues.map((issue) => `${issue.code} ${issue.variable}`)).toEqual([
      'wrong-name API_TOKEN_STAGING',
      'missing QUEUE_REDIS_HOST',
      'missing QUEUE_REDIS_PASSWORD',
    ]);
  });
});
