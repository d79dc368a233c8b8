import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { expectTypeOf, test } from 'vitest';
import {
  createEmulatorClient,
  type Emulator,
  type EmulatorClientOptions,
  type EmulatorOptions,
  type emulatorClientOptions,
  type FaultApi,
  type MethodName,
  type redirectClients,
  type Seed,
  startEmulator,
} from './index.ts';

test('public types', () => {
  expectTypeOf(startEmulator).returns.resolves.toEqualTypeOf<Emulator>();
  expectTypeOf(createEmulatorClient).returns.resolves.toEqualTypeOf<SecretManagerServiceClient>();
  expectTypeOf<ConstructorParameters<typeof SecretManagerServiceClient>[0]>().toMatchTypeOf<
    ReturnType<typeof emulatorClientOptions> | undefined
  >();
  expectTypeOf<Emulator['faults']>().toEqualTypeOf<FaultApi>();
  expectTypeOf<'AccessSecretVersion'>().toMatchTypeOf<MethodName>();

  const seed: Seed = { p: { a: 'v', b: ['1', { value: '2', state: 'DISABLED' }], c: [] } };
  expectTypeOf(seed).toEqualTypeOf<Seed>();
  // @ts-expect-error a version state outside ENABLED | DISABLED | DESTROYED
  const badState: Seed = { p: { a: [{ value: 'x', state: 'PAUSED' }] } };
  // @ts-expect-error a value must be a string
  const badValue: Seed = { p: { a: 1 } };
  void badState;
  void badValue;

  const faults = {} as FaultApi;
  // @ts-expect-error an unknown method
  faults.failNext('GetSecrets', { code: 'UNAVAILABLE' });
  // @ts-expect-error an unknown status name
  faults.failNext('GetSecret', { code: 'BROKEN' });
  faults.failNext('*', { code: 14, times: 2, secret: 'jwt-secret' });
});

test('regional options', () => {
  expectTypeOf<EmulatorClientOptions>().toEqualTypeOf<{ apiEndpoint?: string }>();
  expectTypeOf<EmulatorOptions['locations']>().toEqualTypeOf<readonly string[] | undefined>();
  expectTypeOf<EmulatorOptions['now']>().toEqualTypeOf<(() => number) | undefined>();
  expectTypeOf<typeof redirectClients>().returns.toEqualTypeOf<boolean>();
  // @ts-expect-error the endpoint is a string
  const badEndpoint: EmulatorClientOptions = { apiEndpoint: 1 };
  void badEndpoint;
});
