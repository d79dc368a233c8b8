import { once } from 'node:events';
import { createServer } from 'node:net';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeak, type Harness, observeAccessCalls, startHarness } from '../test/helpers.ts';
import { type AccessRequest, accessSecrets, DEFAULT_DEADLINE_MS } from './access.ts';
import { createSecretManagerClient, startupCallOptions } from './client.ts';

// Every value is distinctive so that a leak into an issue is found by a plain substring search.
const P = 'netra-test-project';
const V = {
  jwt: 'jwt-VALUE-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c1e',
  db: 'db-VALUE-q8w7e6r5t4y3u2i1',
  redis: 'redis-VALUE-z1x2c3v4b5n6m7',
  oauthId: 'oauth-id-VALUE.apps.googleusercontent.com',
  oauthSecret: 'oauth-secret-VALUE-GOCSPX-abc123',
  old: 'old-VALUE-version-one-000',
  newline: 'newline-VALUE-abcdef\n',
};
const oauthJson = JSON.stringify({ web: { client_id: V.oauthId, client_secret: V.oauthSecret } });
const ALL_VALUES = [...Object.values(V).map((v) => v.trim()), oauthJson];

const request = (variable: string, secret: string, extra: Partial<AccessRequest> = {}): AccessRequest => ({
  variable,
  project: P,
  secret,
  version: 'latest',
  ...extra,
});

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

async function start(latencyMs = 0): Promise<Harness> {
  harness = await startHarness(
    {
      [P]: {
        jwt: V.jwt,
        db: V.db,
        redis: V.redis,
        oauth: oauthJson,
        rotated: [V.old, { value: 'disabled-VALUE-two-222', state: 'DISABLED' }],
        newline: V.newline,
        ...Object.fromEntries(
          Array.from({ length: 40 }, (_, i) => [`bulk-${i}`, `bulk-VALUE-${i}-${'k'.repeat(10)}`]),
        ),
      },
    },
    { latencyMs },
  );
  return harness;
}

describe('accessSecrets against the emulator (official client, real sockets)', () => {
  test('fetches values, selects a JSON field, pins versions', async () => {
    const { client } = await start();
    const result = await accessSecrets(
      [
        request('JWT_SECRET_STAGING', 'jwt'),
        request('DATABASE_PASSWORD', 'db'),
        request('GOOGLE_OAUTH_CLIENT_ID_STAGING', 'oauth', { field: 'web.client_id' }),
        request('GOOGLE_OAUTH_CLIENT_SECRET_STAGING', 'oauth', { field: 'web.client_secret' }),
        request('OLD_KEY', 'rotated', { version: '1' }),
      ],
      { client },
    );
    expect(result).toEqual({
      ok: true,
      values: {
        JWT_SECRET_STAGING: V.jwt,
        DATABASE_PASSWORD: V.db,
        GOOGLE_OAUTH_CLIENT_ID_STAGING: V.oauthId,
        GOOGLE_OAUTH_CLIENT_SECRET_STAGING: V.oauthSecret,
        OLD_KEY: V.old,
      },
    });
  });

  test('a secret bound to two variables is fetched once', async () => {
    const { client, emulator } = await start();
    const calls = observeAccessCalls(client);
    const ok = await accessSecrets(
      [
        request('A', 'oauth', { field: 'web.client_id' }),
        request('B', 'oauth', { field: 'web.client_secret' }),
      ],
      { client },
    );
    expect(ok.ok).toBe(true);
    expect(calls.started()).toBe(1);
    // Seen from the server too: one injected failure reaches both variables only if there was one call.
    emulator.faults.failNext('AccessSecretVersion', { times: 1, code: 'NOT_FOUND', secret: 'jwt' });
    const failed = await accessSecrets([request('C', 'jwt'), request('D', 'jwt')], { client });
    expect(failed.ok).toBe(false);
    if (!failed.ok)
      expect(failed.issues.map((i) => [i.variable, i.code])).toEqual([
        ['C', 'secret-not-found'],
        ['D', 'secret-not-found'],
      ]);
  });

  test('never more calls in flight than the concurrency', async () => {
    const { client } = await start(30);
    const calls = observeAccessCalls(client);
    const requests = Array.from({ length: 10 }, (_, i) => request(`BULK_${i}`, `bulk-${i}`));
    const result = await accessSecrets(requests, { client, concurrency: 3 });
    expect(result.ok).toBe(true);
    expect(calls.started()).toBe(10);
    expect(calls.maxInFlight()).toBe(3);
  });

  test('the default bound is 32 calls in flight', async () => {
    const { client } = await start(30);
    const calls = observeAccessCalls(client);
    const requests = Array.from({ length: 40 }, (_, i) => request(`BULK_${i}`, `bulk-${i}`));
    expect((await accessSecrets(requests, { client })).ok).toBe(true);
    expect(calls.started()).toBe(40);
    expect(calls.maxInFlight()).toBe(32);
  });

  test('UNAVAILABLE twice, then success: retried through the client', async () => {
    const { client, emulator } = await start();
    emulator.faults.failNext('AccessSecretVersion', { times: 2, code: 'UNAVAILABLE', secret: 'jwt' });
    const calls = observeAccessCalls(client);
    const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], { client, deadlineMs: 5_000 });
    expect(result).toEqual({ ok: true, values: { JWT_SECRET_STAGING: V.jwt } });
    expect(calls.started()).toBe(1); // one call of ours; the retries are google-gax's, inside it
  });

  test('why retry codes are numbers: a string code never matches in google-gax, so nothing is retried', async () => {
    const { client, emulator } = await start();
    const name = `projects/${P}/secrets/jwt/versions/latest`;
    const options = await startupCallOptions(5_000);
    emulator.faults.failNext('AccessSecretVersion', { times: 1, code: 'UNAVAILABLE', secret: 'jwt' });
    const withStrings = {
      ...options,
      retry: { ...options.retry, retryCodes: ['UNAVAILABLE'] as unknown as number[] },
    };
    await expect(client.accessSecretVersion({ name }, withStrings)).rejects.toMatchObject({ code: 14 });
    emulator.faults.failNext('AccessSecretVersion', { times: 1, code: 'UNAVAILABLE', secret: 'jwt' });
    const [response] = await client.accessSecretVersion({ name }, options);
    expect(Buffer.from(response.payload?.data as Uint8Array).toString()).toBe(V.jwt);
  });

  test('RESOURCE_EXHAUSTED twice, then success', async () => {
    const { client, emulator } = await start();
    emulator.faults.failNext('AccessSecretVersion', { times: 2, code: 'RESOURCE_EXHAUSTED', secret: 'db' });
    const result = await accessSecrets([request('DATABASE_PASSWORD', 'db')], { client, deadlineMs: 5_000 });
    expect(result).toEqual({ ok: true, values: { DATABASE_PASSWORD: V.db } });
  });

  test('RESOURCE_EXHAUSTED that does not stop: fails at the deadline, naming the secret', async () => {
    const { client, emulator } = await start();
    emulator.faults.failNext('AccessSecretVersion', {
      times: 10_000,
      code: 'RESOURCE_EXHAUSTED',
      secret: 'db',
    });
    const result = await accessSecrets(
      [request('JWT_SECRET_STAGING', 'jwt'), request('DATABASE_PASSWORD', 'db')],
      {
        client,
        deadlineMs: 1_500,
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'secret-deadline',
        variable: 'DATABASE_PASSWORD',
        secret: 'db',
        project: P,
      }),
    ]);
    // Connected, only refused: not blamed on the connection.
    expect(result.issues[0]?.message).not.toContain('no connection');
    expect(result).not.toHaveProperty('values');
    expectNoLeak(result, ALL_VALUES);
  });

  test('NOT_FOUND: named, with the gcloud command to create it', async () => {
    const { client } = await start();
    const result = await accessSecrets(
      [request('JWT_SECRET_STAGING', 'jwt'), request('FERNET_KEY', 'fernet-key-staging')],
      {
        client,
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'secret-not-found',
        variable: 'FERNET_KEY',
        secret: 'fernet-key-staging',
        project: P,
        status: 'NOT_FOUND',
        hint: expect.stringContaining(`gcloud secrets create fernet-key-staging --project ${P}`),
      }),
    ]);
    expectNoLeak(result, ALL_VALUES);
  });

  test('PERMISSION_DENIED: named, with the role to grant', async () => {
    const { client, emulator } = await start();
    emulator.faults.deny('redis');
    const result = await accessSecrets([request('REDIS_PASSWORD', 'redis'), request('JWT', 'jwt')], {
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'secret-permission-denied',
        variable: 'REDIS_PASSWORD',
        secret: 'redis',
        status: 'PERMISSION_DENIED',
        hint: expect.stringContaining('roles/secretmanager.secretAccessor'),
      }),
    ]);
    expectNoLeak(result, ALL_VALUES);
  });

  test('a disabled version: named, with how to enable it', async () => {
    const { client } = await start();
    const result = await accessSecrets(
      [
        request('NEW_KEY', 'rotated', { version: '2' }),
        request('LATEST_KEY', 'rotated', { version: 'latest' }),
      ],
      { client },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.variable, i.code, i.status])).toEqual([
      ['NEW_KEY', 'secret-disabled', 'FAILED_PRECONDITION'],
      ['LATEST_KEY', 'secret-disabled', 'FAILED_PRECONDITION'],
    ]);
    expect(result.issues[0]?.hint).toContain('gcloud secrets versions enable 2 --secret rotated');
    expectNoLeak(result, [...ALL_VALUES, 'disabled-VALUE-two-222']);
  });

  test('latency beyond the deadline: fails at the deadline and cancels the call in flight', async () => {
    const { client, emulator } = await start();
    emulator.faults.setLatency(30_000, { secret: 'jwt' });
    const calls = observeAccessCalls(client);
    const started = performance.now();
    const result = await accessSecrets(
      [request('JWT_SECRET_STAGING', 'jwt'), request('DATABASE_PASSWORD', 'db')],
      {
        client,
        deadlineMs: 1_500,
      },
    );
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'secret-deadline',
        variable: 'JWT_SECRET_STAGING',
        secret: 'jwt',
        message: expect.stringContaining('deadline of 1500 ms'),
      }),
    ]);
    // Behaviour, not speed: it did not wait for the 30 s answer (the margin is for a loaded machine).
    expect(elapsed).toBeLessThan(5_000);
    expect(calls.cancelled()).toBe(1);
    await calls.settled(); // the cancelled call ends now, not when the server would answer
    expect(performance.now() - started).toBeLessThan(5_000);
    expectNoLeak(result, ALL_VALUES);
  });

  test('queued secrets that never started are named at the deadline too', async () => {
    const { client, emulator } = await start();
    emulator.faults.setLatency(5_000);
    const result = await accessSecrets([request('A', 'jwt'), request('B', 'db'), request('C', 'redis')], {
      client,
      concurrency: 1,
      deadlineMs: 200,
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => [i.variable, i.code])).toEqual([
        ['A', 'secret-deadline'],
        ['B', 'secret-deadline'],
        ['C', 'secret-deadline'],
      ]);
  });

  test('the emulator stopped in the middle of a load: every secret named, at the deadline', async () => {
    const { client, emulator } = await start(3_000);
    const started = performance.now();
    const pending = accessSecrets(
      [
        request('JWT_SECRET_STAGING', 'jwt'),
        request('DATABASE_PASSWORD', 'db'),
        request('REDIS_PASSWORD', 'redis'),
      ],
      { client, deadlineMs: 1_500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.stop();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.variable, i.code])).toEqual([
      ['JWT_SECRET_STAGING', 'secret-deadline'],
      ['DATABASE_PASSWORD', 'secret-deadline'],
      ['REDIS_PASSWORD', 'secret-deadline'],
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expectNoLeak(result, ALL_VALUES);
  });

  test('nothing listens at the Secret Manager address: the deadline issue says no connection was made, and where', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    server.close();
    await once(server, 'close');
    const client = await createSecretManagerClient({ emulatorHost: address });
    try {
      const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], { client, deadlineMs: 600 });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([
        expect.objectContaining({
          code: 'secret-deadline',
          variable: 'JWT_SECRET_STAGING',
          message: `JWT_SECRET_STAGING: secret jwt (version latest, project ${P}) was not read within the load's deadline of 600 ms: the client has no connection to Secret Manager at ${address}.`,
        }),
      ]);
    } finally {
      await client.close();
    }
  });

  test('the default deadline is 3 s, SECRET_MANAGER_DEADLINE_MS of the env sets it, and a client it creates names the address', async () => {
    expect(DEFAULT_DEADLINE_MS).toBe(3_000);
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    server.close();
    await once(server, 'close');
    const env = { SECRET_MANAGER_EMULATOR_HOST: address, SECRET_MANAGER_DEADLINE_MS: '400' };
    const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], { env });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.message).toContain(
      `deadline of 400 ms: the client has no connection to Secret Manager at ${address}.`,
    );
    expect(result.issues[0]?.hint).toContain(`Check that Secret Manager answers at ${address}`);
    // No option, no variable: the default.
    const byDefault = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], {
      env: { SECRET_MANAGER_EMULATOR_HOST: address },
    });
    expect(byDefault.ok || byDefault.issues[0]?.message).toContain('deadline of 3000 ms');
  });

  test.each(['0', '-5', 'soon', '3s', String(2 ** 31)])(
    'SECRET_MANAGER_DEADLINE_MS=%s is an invalid issue naming it, nothing is fetched',
    async (value) => {
      const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], {
        env: { SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:1', SECRET_MANAGER_DEADLINE_MS: value },
      });
      expect(result).toEqual({
        ok: false,
        issues: [expect.objectContaining({ code: 'invalid', variable: 'SECRET_MANAGER_DEADLINE_MS' })],
      });
    },
  );

  test('a payload larger than 64 KiB is refused unparsed (the emulator, like Secret Manager, never serves one: a stand-in server does)', async () => {
    const oversize = {
      initialize: async () => {},
      accessSecretVersion: async () => [{ payload: { data: Buffer.alloc(64 * 1024 + 1, 97) } }],
    } as unknown as SecretManagerServiceClient;
    const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], { client: oversize });
    expect(result).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'secret-invalid-value', variable: 'JWT_SECRET_STAGING' })],
    });
    expect(result.ok || result.issues[0]?.message).toContain('larger than 64 KiB (65537 bytes');
    const exact = {
      initialize: async () => {},
      accessSecretVersion: async () => [{ payload: { data: Buffer.alloc(64 * 1024, 97) } }],
    } as unknown as SecretManagerServiceClient;
    expect((await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], { client: exact })).ok).toBe(true);
  });

  test('a client still setting up at the deadline (credentials being looked up): returns at the deadline all the same', async () => {
    const never = new Promise<never>(() => {});
    const settingUp = {
      initialize: () => never,
      secretManagerServiceStub: never,
    } as unknown as SecretManagerServiceClient;
    const result = await accessSecrets([request('JWT_SECRET_STAGING', 'jwt')], {
      client: settingUp,
      deadlineMs: 200,
    });
    expect(result).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'secret-deadline', variable: 'JWT_SECRET_STAGING' })],
    });
    expect(result.ok || result.issues[0]?.message).not.toContain('no connection');
  });

  test('a corrupted checksum: refused, named', async () => {
    const { client, emulator } = await start();
    emulator.faults.corruptChecksum('db');
    const result = await accessSecrets([request('DATABASE_PASSWORD', 'db'), request('JWT', 'jwt')], {
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'secret-checksum', variable: 'DATABASE_PASSWORD', secret: 'db' }),
    ]);
    expectNoLeak(result, ALL_VALUES);
  });

  test('one failure among twenty: nothing returned, that one named', async () => {
    const { client, emulator } = await start();
    emulator.faults.failNext('AccessSecretVersion', { times: 1, code: 'NOT_FOUND', secret: 'bulk-13' });
    const requests = Array.from({ length: 20 }, (_, i) => request(`BULK_${i}`, `bulk-${i}`));
    const result = await accessSecrets(requests, { client });
    expect(result).not.toHaveProperty('values');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({
      code: 'secret-not-found',
      variable: 'BULK_13',
      secret: 'bulk-13',
    });
    expectNoLeak(
      result,
      Array.from({ length: 20 }, (_, i) => `bulk-VALUE-${i}-${'k'.repeat(10)}`),
    );
  });

  test('whitespace in a payload is reported, neither kept nor trimmed', async () => {
    const { client } = await start();
    const result = await accessSecrets([request('NEWLINE', 'newline')], { client });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'whitespace',
        variable: 'NEWLINE',
        secret: 'newline',
        message: expect.stringContaining('ends with a newline'),
        hint: expect.stringContaining("printf '%s'"),
      }),
    ]);
    expectNoLeak(result, ALL_VALUES);
  });

  test('a payload that is not UTF-8 text', async () => {
    const { client } = await start();
    await client.addSecretVersion({
      parent: `projects/${P}/secrets/jwt`,
      payload: { data: Buffer.from([0x6a, 0xff, 0xfe, 0x00]) },
    });
    const result = await accessSecrets([request('JWT', 'jwt')], { client });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toEqual([
        expect.objectContaining({
          code: 'secret-invalid-value',
          message: expect.stringContaining('not UTF-8'),
        }),
      ]);
    }
  });

  test('?field= on a secret that is not JSON, or a missing field', async () => {
    const { client } = await start();
    const result = await accessSecrets(
      [
        request('A', 'jwt', { field: 'web.client_id' }),
        request('B', 'oauth', { field: 'installed.client_id' }),
      ],
      { client },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.variable, i.code])).toEqual([
      ['A', 'secret-invalid-value'],
      ['B', 'secret-invalid-value'],
    ]);
    expect(result.issues[0]?.message).toContain('not JSON');
    expect(result.issues[1]?.message).toContain('no field "installed"');
    expectNoLeak(result, ALL_VALUES);
  });

  test('a client it creates itself follows SECRET_MANAGER_EMULATOR_HOST', async () => {
    const { emulator } = await start();
    const saved = process.env['SECRET_MANAGER_EMULATOR_HOST'];
    process.env['SECRET_MANAGER_EMULATOR_HOST'] = emulator.address;
    try {
      expect(await accessSecrets([request('JWT', 'jwt')])).toEqual({ ok: true, values: { JWT: V.jwt } });
    } finally {
      if (saved === undefined) delete process.env['SECRET_MANAGER_EMULATOR_HOST'];
      else process.env['SECRET_MANAGER_EMULATOR_HOST'] = saved;
    }
  });
});

describe('accessSecrets without Secret Manager', () => {
  const unusable = new Proxy({} as SecretManagerServiceClient, {
    get() {
      throw new Error('the client must not be used');
    },
  });

  test('GOOGLE_SDK_NODE_LOGGING in staging/production: refuses before any call, and says why', async () => {
    for (const environment of ['staging', 'production']) {
      const result = await accessSecrets([request('JWT', 'jwt')], {
        client: unusable,
        environment,
        env: { GOOGLE_SDK_NODE_LOGGING: 'secret-manager' },
      });
      expect(result).toEqual({
        ok: false,
        issues: [
          expect.objectContaining({
            code: 'invalid',
            variable: 'GOOGLE_SDK_NODE_LOGGING',
            message: expect.stringContaining('would log secret payloads'),
          }),
        ],
      });
    }
  });

  test('a malformed SECRET_MANAGER_EMULATOR_HOST is an issue naming it, not a crash', async () => {
    const saved = process.env['SECRET_MANAGER_EMULATOR_HOST'];
    process.env['SECRET_MANAGER_EMULATOR_HOST'] = 'http://127.0.0.1:8085';
    try {
      expect(await accessSecrets([request('JWT', 'jwt')])).toEqual({
        ok: false,
        issues: [
          expect.objectContaining({
            code: 'invalid',
            variable: 'SECRET_MANAGER_EMULATOR_HOST',
            message: expect.stringContaining('must be host:port'),
          }),
        ],
      });
    } finally {
      if (saved === undefined) delete process.env['SECRET_MANAGER_EMULATOR_HOST'];
      else process.env['SECRET_MANAGER_EMULATOR_HOST'] = saved;
    }
  });

  test('nothing to fetch: no client needed', async () => {
    expect(await accessSecrets([], { client: unusable })).toEqual({ ok: true, values: {} });
  });

  test.each([
    [{ concurrency: 0 }, /concurrency must be a positive integer/],
    [{ concurrency: 1.5 }, /concurrency must be a positive integer/],
    [{ deadlineMs: 0 }, /deadlineMs must be a positive number/],
    [{ deadlineMs: Number.NaN }, /deadlineMs must be a positive number/],
    // setTimeout cannot wait longer: it would fire after 1 ms and report every secret as past the deadline.
    [{ deadlineMs: 2 ** 31 }, /deadlineMs must be at most 2147483647/],
  ])('rejects options %j', async (options, message) => {
    await expect(accessSecrets([request('JWT', 'jwt')], { client: unusable, ...options })).rejects.toThrow(
      message,
    );
  });
});
