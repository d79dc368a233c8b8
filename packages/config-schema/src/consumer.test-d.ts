// The config type of another service's schema composed from the fragments plus its own variables.
import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, type InferConfig, variable } from './dsl.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment, redisFragment } from './fragments.ts';
import { loadConfig } from './load.ts';
import type { Environment } from './types.ts';
import { boolean, expecting, httpUrl, oneOf, port, text } from './values.ts';

const worker = defineSchema({
  environment: environmentVariable(),
  db: databaseFragment(),
  queue: redisFragment({ prefix: 'QUEUE_REDIS_' }),
  oauth: googleOAuthFragment(),
  workers: variable({
    name: 'WORKERS',
    schema: z.coerce.number().int().min(1).max(64),
    description: 'Worker threads.',
    default: '4',
  }),
  port: variable({ name: 'WORKER_PORT', schema: port(), description: 'Port.', default: '9090' }),
  featureX: variable({ name: 'FEATURE_X', schema: boolean(), description: 'Feature X.', default: 'false' }),
  mode: variable({ name: 'MODE', schema: oneOf(['a', 'b']), description: 'Mode.', default: 'a' }),
  webhooks: variable({
    name: 'WEBHOOK_URLS',
    schema: expecting(
      z.string().transform((value) => value.split(',')),
      'comma-separated URLs',
    ),
    description: 'Where to post events.',
    required: ['staging', 'production'],
    default: { development: 'http://localhost:9999', test: 'http://localhost:9999' },
  }),
  callback: variable({ name: 'CALLBACK_URL', schema: httpUrl(), description: 'Callback.' }),
  apiKey: variable({
    name: 'API_KEY',
    suffixed: ['staging', 'production'],
    schema: text(),
    sensitive: true,
    description: 'Upstream API key.',
    required: ['staging', 'production'],
    default: { development: 'sk_test_development_only_0123' },
    secret: 'api-key-{env}',
  }),
  localOnly: variable({
    name: 'LOCAL_ONLY',
    schema: text(),
    description: 'Development only.',
    environments: ['development', 'test'],
    default: 'x',
  }),
});

describe('a composed schema’s inferred config', () => {
  test('fragments, own variables, optionality per environment', () => {
    const config = loadConfig(worker);
    expectTypeOf(config).toEqualTypeOf<InferConfig<typeof worker>>();
    expectTypeOf(config.environment).toEqualTypeOf<Environment>();
    expectTypeOf(config.db.host).toEqualTypeOf<string>();
    expectTypeOf(config.db.password).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.queue.tls).toEqualTypeOf<boolean>();
    expectTypeOf(config.queue.port).toEqualTypeOf<number>();
    expectTypeOf(config.oauth.google.clientId).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.workers).toEqualTypeOf<number>();
    expectTypeOf(config.port).toEqualTypeOf<number>();
    expectTypeOf(config.featureX).toEqualTypeOf<boolean>();
    expectTypeOf(config.mode).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(config.webhooks).toEqualTypeOf<string[]>();
    expectTypeOf(config.callback).toEqualTypeOf<string | undefined>();
    // required in staging/production, defaulted only in development: test has neither
    expectTypeOf(config.apiKey).toEqualTypeOf<string | undefined>();
    // defaulted everywhere it exists, but it does not exist in staging/production
    expectTypeOf(config.localOnly).toEqualTypeOf<string | undefined>();
  });

  test('a sensitive default outside development/test is a type error as well as a runtime one', () => {
    expectTypeOf(variable).toBeFunction();
    () =>
      variable({
        name: 'TOKEN',
        schema: text(),
        description: 'Token.',
        sensitive: true,
        // @ts-expect-error a sensitive value may default only in development and test
        default: { development: 'a', staging: 'b' },
      });
  });
});
