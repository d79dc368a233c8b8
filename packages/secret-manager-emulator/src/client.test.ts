import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import {
  createEmulatorClient,
  EmulatorAddressError,
  emulatorClientOptions,
  parseEmulatorAddress,
} from './client.ts';

test.each([
  ['127.0.0.1:8085', { host: '127.0.0.1', port: 8085 }],
  ['localhost:1', { host: 'localhost', port: 1 }],
  ['[::1]:65535', { host: '::1', port: 65535 }],
  [' 127.0.0.1:9 ', { host: '127.0.0.1', port: 9 }],
])('parses %j', (address, expected) => {
  expect(parseEmulatorAddress(address)).toEqual(expected);
});

test.each(['', '127.0.0.1', ':8085', '127.0.0.1:0', '127.0.0.1:65536', 'http://127.0.0.1:8085', '::1:8085'])(
  'rejects %j with a message that says what to set',
  (address) => {
    expect(() => parseEmulatorAddress(address)).toThrow(EmulatorAddressError);
    expect(() => parseEmulatorAddress(address)).toThrow(/expected host:port/);
  },
);

test('client options: insecure credentials from the client’s own google-gax, no metadata probing', async () => {
  const options = emulatorClientOptions('127.0.0.1:8085');
  expect(options).toMatchObject({ apiEndpoint: '127.0.0.1', port: 8085, universeDomain: 'googleapis.com' });
  const { grpc } = await import('google-gax');
  expect(options.sslCreds).toBeInstanceOf(grpc.ChannelCredentials);
  expect(options.sslCreds?._isSecure()).toBe(false);
});

test('createEmulatorClient needs an address or SECRET_MANAGER_EMULATOR_HOST', async () => {
  await expect(createEmulatorClient(undefined, {})).rejects.toThrow(EmulatorAddressError);
  const client = await createEmulatorClient(undefined, { SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:8085' });
  expect(client.constructor.name).toBe('SecretManagerServiceClient');
  await client.close();
});

test('one @grpc/grpc-js: the emulator and the official client’s google-gax load the same copy', () => {
  const require = createRequire(import.meta.url);
  const clientRequire = createRequire(require.resolve('@google-cloud/secret-manager'));
  const gaxRequire = createRequire(clientRequire.resolve('google-gax'));
  expect(gaxRequire.resolve('@grpc/grpc-js')).toBe(require.resolve('@grpc/grpc-js'));
});
