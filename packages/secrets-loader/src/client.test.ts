import { Status } from 'google-gax';
import { describe, expect, test } from 'vitest';
import {
  createSecretManagerClient,
  EmulatorHostError,
  parseEmulatorHost,
  startupCallOptions,
} from './client.ts';

describe('parseEmulatorHost', () => {
  test.each<[string, { host: string; port: number }]>([
    ['127.0.0.1:8085', { host: '127.0.0.1', port: 8085 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    [' 127.0.0.1:8085 ', { host: '127.0.0.1', port: 8085 }],
  ])('%s', (text, expected) => {
    expect(parseEmulatorHost(text)).toEqual(expected);
  });

  test.each([
    '127.0.0.1',
    ':8085',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    'http://127.0.0.1:8085',
    '::1:9000',
    '',
  ])('rejects %j naming the variable and the fix', (text) => {
    expect(() => parseEmulatorHost(text)).toThrow(EmulatorHostError);
    expect(() => parseEmulatorHost(text)).toThrow(/SECRET_MANAGER_EMULATOR_HOST must be host:port/);
  });
});

describe('createSecretManagerClient', () => {
  test('points the official client at the emulator address, plaintext', async () => {
    const client = await createSecretManagerClient({ emulatorHost: '127.0.0.1:1234' });
    try {
      expect((client as unknown as { _opts: Record<string, unknown> })._opts['servicePath']).toBe(
        '127.0.0.1',
      );
      const opts = (client as unknown as { _opts: Record<string, unknown> })._opts;
      expect(opts['port']).toBe(1234);
      expect(opts['universeDomain']).toBe('googleapis.com');
      expect(opts['sslCreds']?.constructor.name).toBe('InsecureChannelCredentialsImpl');
    } finally {
      await client.close();
    }
  });

  test('reads SECRET_MANAGER_EMULATOR_HOST when no option is given', async () => {
    const saved = process.env['SECRET_MANAGER_EMULATOR_HOST'];
    process.env['SECRET_MANAGER_EMULATOR_HOST'] = '127.0.0.1:4321';
    try {
      const client = await createSecretManagerClient();
      expect((client as unknown as { _opts: Record<string, unknown> })._opts['servicePath']).toBe(
        '127.0.0.1',
      );
      expect((client as unknown as { _opts: Record<string, unknown> })._opts['port']).toBe(4321);
      await client.close();
    } finally {
      if (saved === undefined) delete process.env['SECRET_MANAGER_EMULATOR_HOST'];
      else process.env['SECRET_MANAGER_EMULATOR_HOST'] = saved;
    }
  });
});

describe('startupCallOptions', () => {
  test('numeric retry codes, a whole backoffSettings bounded by the remaining time, no maxRetries', async () => {
    const options = await startupCallOptions(1234.7);
    expect(options.timeout).toBe(1234);
    expect(options.retry?.retryCodes).toEqual([Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED]);
    expect(options.retry?.retryCodes?.every((code) => typeof code === 'number')).toBe(true);
    expect(options.retry?.backoffSettings).toEqual({
      initialRetryDelayMillis: 100,
      retryDelayMultiplier: 2,
      maxRetryDelayMillis: 1000,
      initialRpcTimeoutMillis: 1234,
      rpcTimeoutMultiplier: 1,
      maxRpcTimeoutMillis: 1234,
      totalTimeoutMillis: 1234,
    });
    expect(options).not.toHaveProperty('maxRetries');
    expect(options.retry?.backoffSettings).not.toHaveProperty('maxRetries');
  });

  test('never a zero or negative budget', async () => {
    expect((await startupCallOptions(-5)).timeout).toBe(1);
  });
});
