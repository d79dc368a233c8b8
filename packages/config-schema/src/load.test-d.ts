import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { defineSchema, group, type InferConfig, variable } from './dsl.ts';
import { environmentVariable } from './fragments.ts';
import { loadConfig, safeLoadConfig } from './load.ts';
import { type NetraBackendConfig, netraBackendSchema } from './netra.ts';
import type { Environment } from './types.ts';
import { boolean, oneOf, port, text } from './values.ts';

describe('NetraBackendConfig', () => {
  test('is the nested shape of contracts.md', () => {
    const config = loadConfig(netraBackendSchema);
    expectTypeOf(config).toEqualTypeOf<NetraBackendConfig>();
    expectTypeOf(config.environment).toEqualTypeOf<Environment>();
    expectTypeOf(config.port).toEqualTypeOf<number>();
    expectTypeOf(config.jwtSecret).toEqualTypeOf<string>();
    expectTypeOf(config.database.host).toEqualTypeOf<string>();
    expectTypeOf(config.database.port).toEqualTypeOf<number>();
    expectTypeOf(config.database.user).toEqualTypeOf<string>();
    expectTypeOf(config.database.password).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.database.sslMode).toEqualTypeOf<'disable' | 'require' | 'verify-full'>();
    expectTypeOf(config.redis.tls).toEqualTypeOf<boolean>();
    expectTypeOf(config.redis.password).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.fernetKey).toEqualTypeOf<string>();
    expectTypeOf(config.geminiApiKey).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.oauth.google.clientId).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.oauth.google.clientSecret).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.oauth.issuerUrl).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.apiBaseUrl).toEqualTypeOf<string>();
    expectTypeOf(config.gcpProjectId).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.logLevel).toEqualTypeOf<
      'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    >();
  });

  test('is readonly', () => {
    const config = loadConfig(netraBackendSchema);
    // @ts-expect-error the config is frozen
    config.database.host = 'x';
    // @ts-expect-error nested groups too
    config.oauth.google = { clientId: undefined, clientSecret: undefined };
  });

  test('safeLoadConfig narrows on ok', () => {
    const result = safeLoadConfig(netraBackendSchema);
    if (result.ok) {
      expectTypeOf(result.config).toEqualTypeOf<NetraBackendConfig>();
      expectTypeOf(result.environment).toEqualTypeOf<Environment>();
    } else {
      expectTypeOf(result.environment).toEqualTypeOf<Environment | undefined>();
      // @ts-expect-error no config on failure
      result.config;
    }
  });

  test('unknown keys do not exist', () => {
    const config = loadConfig(netraBackendSchema);
    // @ts-expect-error not a key
    config.databaseHost;
    // @ts-expect-error not a key
    config.database.url;
  });
});

describe('inference from the definition', () => {
  test('required/default per environment decide whether a field can be undefined', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      everywhere: variable({ name: 'A', schema: text(), description: 'a', required: true }),
      defaulted: variable({ name: 'B', schema: port(), description: 'b', default: '1' }),
      coveredPerEnvironment: variable({
        name: 'C',
        schema: boolean(),
        description: 'c',
        required: ['staging', 'production'],
        default: { development: 'true', test: 'false' },
      }),
      gap: variable({
        name: 'D',
        schema: text(),
        description: 'd',
        required: ['staging', 'production'],
        default: { development: 'x' },
      }),
      optional: variable({ name: 'E', schema: oneOf(['a', 'b']), description: 'e' }),
      localOnly: variable({
        name: 'F',
        schema: text(),
        description: 'f',
        default: 'x',
        environments: ['development', 'test'],
      }),
      custom: variable({
        name: 'G',
        schema: z.string().transform((value) => value.split(',')),
        description: 'g',
        default: 'a,b',
      }),
      nested: group({
        deep: group({ value: variable({ name: 'H', schema: port(), description: 'h', required: true }) }),
      }),
    });
    type Config = InferConfig<typeof schema>;
    expectTypeOf<Config['everywhere']>().toEqualTypeOf<string>();
    expectTypeOf<Config['defaulted']>().toEqualTypeOf<number>();
    expectTypeOf<Config['coveredPerEnvironment']>().toEqualTypeOf<boolean>();
    expectTypeOf<Config['gap']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['optional']>().toEqualTypeOf<'a' | 'b' | undefined>();
    expectTypeOf<Config['localOnly']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['custom']>().toEqualTypeOf<string[]>();
    expectTypeOf<Config['nested']['deep']['value']>().toEqualTypeOf<number>();
  });

  test('a sensitive variable may default only in development and test', () => {
    variable({
      name: 'T',
      schema: text(),
      description: 't',
      sensitive: true,
      default: { development: 'x', test: 'y' },
    });
    // @ts-expect-error a default for every environment
    variable({ name: 'T', schema: text(), description: 't', sensitive: true, default: 'x' });
    variable({
      name: 'T',
      schema: text(),
      description: 't',
      sensitive: true,
      // @ts-expect-error a default in staging
      default: { development: 'x', staging: 'y' },
    });
    variable({ name: 'T', schema: text(), description: 't', sensitive: false, default: 'x' });
  });

  test('a variable needs a zod schema and a name', () => {
    // @ts-expect-error schema is required
    variable({ name: 'A', description: 'a' });
    // @ts-expect-error name is required
    variable({ schema: text(), description: 'a' });
    // @ts-expect-error required takes environments, not arbitrary strings
    variable({ name: 'A', schema: text(), description: 'a', required: ['stage'] });
  });
});
