import { type Environment, loadConfig, safeLoadConfig } from '@netra/config-schema';
import { describe, expectTypeOf, test } from 'vitest';
import { type NetraBackendConfig, netraBackendSchema } from './schema.ts';

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
