// The README's examples, compiled and run: the README claims nothing that is not tested.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, variable } from './dsl.ts';
import { formatIssues } from './format.ts';
import { environmentVariable, redisFragment } from './fragments.ts';
import { loadConfig, safeLoadConfig } from './load.ts';
import { netraBackendSchema } from './netra.ts';
import { minStrength, noPlaceholder } from './policies.ts';
import { text } from './values.ts';

describe('README', () => {
  test('the ten-line example', () => {
    const result = safeLoadConfig(netraBackendSchema, { env: { ENVIRONMENT: 'development' } });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const { config } = result;
    expect(config.database.host).toBe('127.0.0.1');
    expect(inspect(config)).toContain("jwtSecret: '[redacted]'");
  });

  test('the definition-language example', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      apiToken: variable({
        name: 'API_TOKEN',
        suffixed: ['staging', 'production'],
        schema: text(),
        description: 'Token for the upstream API.',
        sensitive: true,
        required: ['staging', 'production'],
        default: { development: 'dev-only-token-0123456789abcdef', test: 'dev-only-token-0123456789abcdef' },
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
