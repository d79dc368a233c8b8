import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { testConfig, testDependencies } from '../../test/support/fixtures.ts';
import { PrivateRedis } from '../../test/support/redis-server.ts';
import { buildApp } from '../app.ts';
import { closeRedis, connectRedis, createRedisClient } from '../dependencies.ts';

let redisServer: PrivateRedis;
let app: FastifyInstance;
let deps: Awaited<ReturnType<typeof testDependencies>>;

beforeAll(async () => {
  redisServer = await PrivateRedis.start();
  const config = testConfig({ REDIS_PORT: String(redisServer.port) });
  deps = await testDependencies(config);
  app = buildApp({ config, oauth: null, ...deps, readinessTimeoutMs: 500, logger: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await redisServer?.start().catch(() => {}); // so the clean-up can reach it
  await deps?.cleanup();
  await redisServer?.stop();
});

async function readyz() {
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  return { status: response.statusCode, body: response.json() };
}

async function until(predicate: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('readiness follows Redis: stopped → 503 naming Redis, restarted → 200 without restarting the app', async () => {
  expect((await readyz()).status).toBe(200);

  await redisServer.stop();
  const down = await readyz();
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({
    code: 'not-ready',
    status: 'not-ready',
    failed: ['redis'],
    checks: { postgres: { status: 'up' }, redis: { status: 'down' } },
  });
  // A stable body: what is down, never the driver's text, address or stack (those are in the log).
  expect(down.body.message).toBe('Redis is not ready.');
  expect(down.body.checks.redis).not.toHaveProperty('error');
  expect(JSON.stringify(down.body)).not.toContain(String(redisServer.port));

  // A run cannot be created while Redis is down: 503 naming it, not a 500 or a hang.
  const create = await app.inject({ method: 'POST', url: '/threads/t/runs' });
  expect(create.statusCode).toBe(503);
  expect(create.json()).toMatchObject({ code: 'dependency-unavailable', dependency: 'redis' });

  await redisServer.start();
  await until(async () => (await readyz()).status === 200, 'ready again');
  expect((await readyz()).body).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });
  expect((await app.inject({ method: 'POST', url: '/threads/t/runs' })).statusCode).toBe(201);
});

test('a dependency that does not answer in time is reported as down with the timeout', async () => {
  // PAUSE the private Redis: the socket stays open, answers never come.
  await deps.redis.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
  const slow = await readyz();
  expect(slow.status).toBe(503);
  expect(slow.body.failed).toEqual(['redis']);
  expect(slow.body.checks.redis.status).toBe('down');
  expect(slow.body.message).toBe('Redis is not ready.');
  await until(async () => (await readyz()).status === 200, 'ready after the pause');
});

test('a request does not wait forever on a Redis that stopped answering: 503 naming Redis after the command timeout', async () => {
  const config = testConfig({ REDIS_PORT: String(redisServer.port) });
  const redis = createRedisClient(config, { commandTimeoutMs: 300 });
  await connectRedis(redis);
  const stalled = buildApp({ config, oauth: null, ...deps, redis, logger: false });
  try {
    await deps.redis.sendCommand(['CLIENT', 'PAUSE', '1000', 'ALL']);
    // Without the timeout the command would wait out the pause and answer 201.
    const create = await stalled.inject({ method: 'POST', url: '/threads/t/runs' });
    expect(create.statusCode).toBe(503);
    expect(create.json()).toMatchObject({ code: 'dependency-unavailable', dependency: 'redis' });
    expect(create.json().message).toBe('Redis is unavailable; try again shortly.');
  } finally {
    await until(async () => (await readyz()).status === 200, 'ready after the pause');
    await closeRedis(redis);
  }
});
