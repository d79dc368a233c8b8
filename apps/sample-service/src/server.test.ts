// The built service as the platform runs it: `node dist/server.js`, configured only by env.
import { request } from 'node:http';
import { startEmulator } from '@netra/secret-manager-emulator';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, readExample, translateEnvironment } from '../test/support/fixtures.ts';
import { freePort, PrivateRedis } from '../test/support/redis-server.ts';
import { type ServiceProcess, spawnService } from '../test/support/service-process.ts';

const healthy = readExample('staging');
const incident = readExample('staging-incident');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: PrivateRedis;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  // The local stand-ins for Cloud SQL and Memorystore; Redis requires the example's password.
  [database, redis] = await Promise.all([
    createTestDatabase(),
    PrivateRedis.start({ password: healthy.seed['netra-staging']!['redis-password-staging']! }),
  ]);
});

afterAll(async () => {
  for (const service of running) service.child.kill('SIGKILL');
  await Promise.all([database?.drop(), redis?.stop()]);
});

/**
 * The healthy staging example (examples/staging) as the `test` environment on this machine: the same
 * settings under the test names, every secret an sm:// reference served by the emulator seeded with the
 * example's Secret Manager, hosts pointed at loopback (staging's loopback rule would refuse them).
 */
async function startHealthy() {
  const emulator = await startEmulator({ seed: healthy.seed });
  const service = spawnService({
    ...translateEnvironment(healthy.env, 'staging', 'test'),
    DATABASE_HOST: '127.0.0.1',
    DATABASE_PORT: '5432',
    DATABASE_NAME: database.name,
    DATABASE_USER: 'postgres',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    REDIS_TLS: 'false',
    PORT: String(await freePort()),
    SECRET_MANAGER_EMULATOR_HOST: emulator.address,
  });
  running.push(service);
  return { emulator, service, url: await service.ready };
}

describe('starts healthy from the healthy example, secrets from the emulator', () => {
  test('ready, /readyz 200, a run created and read back, SIGTERM → exit 0; no secret in the output', async () => {
    const { emulator, service, url } = await startHealthy();
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const created = (await (await fetch(`${url}/threads/spawned/runs`, { method: 'POST' })).json()) as {
        runId: string;
      };
      expect(created.runId).toMatch(/^run_spawned_\d{13}_[0-9a-f]{8}$/);
      expect(await (await fetch(`${url}/runs/${created.runId}`)).json()).toEqual({
        ...created,
        format: 'current',
      });

      service.child.kill('SIGTERM');
      expect(await service.exited).toEqual({ code: 0, signal: null });

      const lines = service.logLines();
      const loaded = lines.find((line) => line.msg === 'configuration loaded');
      expect(loaded).toMatchObject({ environment: 'test' });
      expect(loaded!.secrets).toEqual(
        [
          'DATABASE_PASSWORD',
          'FERNET_KEY',
          'GEMINI_API_KEY',
          'GOOGLE_OAUTH_CLIENT_ID',
          'GOOGLE_OAUTH_CLIENT_SECRET',
          'JWT_SECRET',
          'REDIS_PASSWORD',
        ].map((variable) => ({ variable, source: 'reference' })),
      );
      expect(lines.find((line) => line.msg === 'OAuth enabled')).toMatchObject({
        redirectUri: 'https://api.staging.netra.example/auth/callback',
      });
      expect(lines.find((line) => line.msg === 'ready')).toMatchObject({
        startup: {
          importsMs: expect.any(Number),
          secretsMs: expect.any(Number),
          connectMs: expect.any(Number),
        },
      });
      expect(lines.some((line) => line.msg === 'stopped')).toBe(true);
      const output = service.stdout() + service.stderr();
      for (const value of Object.values(healthy.seed['netra-staging']!)) expect(output).not.toContain(value);
    } finally {
      await emulator.stop();
    }
  });

  test('development with nothing set but the local database: starts, OAuth reported disabled', async () => {
    const service = spawnService({
      ENVIRONMENT: 'development',
      DATABASE_NAME: database.name,
      PORT: String(await freePort()),
    });
    running.push(service);
    const url = await service.ready;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const login = await fetch(`${url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ code: 'oauth-disabled' });
    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.logLines().some((line) => String(line.msg).startsWith('OAuth disabled'))).toBe(true);
  });
});

describe('refuses to start with one report (exit 78), nothing started, nothing leaked', () => {
  test.each([
    ['an empty Secret Manager', {}],
    ["the incident's own Secret Manager", incident.seed],
  ])("the incident's staging configuration (examples/staging-incident) with %s", async (_name, seed) => {
    const emulator = await startEmulator({ seed });
    try {
      const service = spawnService({ ...incident.env, SECRET_MANAGER_EMULATOR_HOST: emulator.address });
      running.push(service);
      expect(await service.exited).toEqual({ code: 78, signal: null });
      const report = service.stderr();
      expect(service.stdout()).toBe(''); // no logger, no listener: nothing half-started
      expect(report).toContain('netra sample-service refused to start (staging)');
      // Every problem of the incident, secret and configuration ones in the one report.
      for (const variable of [
        'DATABASE_HOST',
        'REDIS_HOST',
        'REDIS_PASSWORD',
        'FERNET_KEY',
        'GEMINI_API_KEY',
      ]) {
        expect(report).toContain(variable);
      }
      if (Object.keys(seed).length === 0) {
        // jwt-secret-staging does not exist, and JWT_SECRET is set under the development name.
        expect(report).toContain('JWT_SECRET_STAGING');
        expect(report).toContain('JWT_SECRET is set, but staging reads JWT_SECRET_STAGING');
        expect(report).toContain('DATABASE_PASSWORD');
      }
      for (const code of ['secret-not-found', 'loopback-host', 'missing']) expect(report).toContain(code);
      for (const value of Object.values(seed).flatMap((secrets) => Object.values(secrets))) {
        expect(report).not.toContain(value);
      }
      expect(report).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await emulator.stop();
    }
  });

  test('Secret Manager unreachable: exit 78 at the start-up deadline, naming the address and what to check', async () => {
    const address = `127.0.0.1:${await freePort()}`; // nothing listens there
    const started = performance.now();
    const service = spawnService({
      ENVIRONMENT: 'development',
      JWT_SECRET: 'sm://netra-dev/jwt-secret',
      SECRET_MANAGER_EMULATOR_HOST: address,
      PORT: String(await freePort()),
    });
    running.push(service);
    expect(await service.exited).toEqual({ code: 78, signal: null });
    const elapsedMs = performance.now() - started;
    const report = service.stderr();
    expect(report).toContain('secret-deadline');
    expect(report).toContain(
      `deadline of 3000 ms: the client has no connection to Secret Manager at ${address}`,
    );
    expect(report).toContain(`Check that Secret Manager answers at ${address}`);
    expect(report).not.toMatch(/\n\s+at /);
    // Figure for the README (not asserted: no timing assertions): the whole process, spawn to exit.
    console.info(`[figure] Secret Manager unreachable: exit 78 after ${Math.round(elapsedMs)} ms`);
  });

  test('an unknown ENVIRONMENT is reported with a did-you-mean', async () => {
    const service = spawnService({ ENVIRONMENT: 'stage' });
    running.push(service);
    expect(await service.exited).toEqual({ code: 78, signal: null });
    expect(service.stderr()).toContain('staging');
  });

  test('PostgreSQL unreachable after the bounded retries: exit 69 with a report naming DATABASE_HOST', async () => {
    const service = spawnService({
      ENVIRONMENT: 'development',
      DATABASE_PORT: String(await freePort()),
      PORT: String(await freePort()),
    });
    running.push(service);
    expect(await service.exited).toEqual({ code: 69, signal: null });
    expect(service.stderr()).toContain('DATABASE_HOST');
    expect(service.stderr()).toContain('PostgreSQL did not answer after 5 attempts');
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM with requests in flight: no new connections, every in-flight request completes, exit 0', async () => {
    const { emulator, service, url } = await startHealthy();
    const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: database.name });
    await admin.connect();
    try {
      const thread = `inflight-${Date.now()}`;
      // Hold the inserts: every POST gets past Redis and waits on the table lock.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE runs IN ACCESS EXCLUSIVE MODE');
      const count = 15;
      const inFlight = Array.from({ length: count }, () =>
        fetch(`${url}/threads/${thread}/runs`, { method: 'POST' }).then(async (response) => ({
          status: response.status,
          body: await response.json(),
        })),
      );
      // All of them received by the service (its request log), none answered (the lock holds them).
      await until(async () => {
        const received = service
          .logLines()
          .filter(
            (line) => line.msg === 'incoming request' && (line.req as { url: string }).url.includes(thread),
          );
        return received.length === count;
      });
      expect(service.logLines().filter((line) => line.msg === 'request completed')).toHaveLength(0);

      service.child.kill('SIGTERM');
      // Stops accepting: a new connection is refused while the held requests are still running.
      await until(async () => (await connectionRefused(url)) === true);
      expect(service.child.exitCode).toBe(null);

      await admin.query('COMMIT');
      const results = await Promise.all(inFlight);
      expect(results.map((result) => result.status)).toEqual(Array(count).fill(201));
      expect(await service.exited).toEqual({ code: 0, signal: null });
      const { rows } = await admin.query('SELECT count(*)::int AS stored FROM runs WHERE thread_id = $1', [
        thread,
      ]);
      expect(rows[0].stored).toBe(count);
    } finally {
      await admin.end();
      await emulator.stop();
    }
  });
});

async function until(predicate: () => Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a brand-new TCP connection to the service is refused. */
function connectionRefused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(`${url}/healthz`, { agent: false }, (response) => {
      response.resume();
      resolve(false);
    });
    probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    probe.end();
  });
}
