import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { testConfig } from '../test/support/fixtures.ts';
import { freePort, PrivateRedis } from '../test/support/redis-server.ts';
import {
  ConnectError,
  closeRedis,
  connectPostgres,
  connectRedis,
  createPostgresPool,
  createRedisClient,
  probe,
  retryDelay,
} from './dependencies.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('bounded connection retries', () => {
  test('Redis on a port where nothing listens: ConnectError after exactly the given attempts', async () => {
    const redis = createRedisClient(testConfig({ REDIS_PORT: String(await freePort()) }));
    cleanups.push(() => closeRedis(redis));
    const error = await connectRedis(redis, { attempts: 3, delayMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'redis', attempts: 3 });
    expect((error as Error).message).toMatch(/^Redis did not answer after 3 attempts: .*ECONNREFUSED/);
  });

  test('PostgreSQL on a port where nothing listens: ConnectError after the given attempts', async () => {
    const pool = createPostgresPool(testConfig({ DATABASE_PORT: String(await freePort()) }));
    cleanups.push(() => pool.end());
    const error = await connectPostgres(pool, { attempts: 2, delayMs: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ dependency: 'postgres', attempts: 2 });
    expect((error as Error).message).toMatch(/^PostgreSQL did not answer after 2 attempts: .*ECONNREFUSED/);
  });

  // A server that accepts connections and never answers (a stalled or black-holed dependency).
  async function silentServer(): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    return (server.address() as { port: number }).port;
  }

  test('Redis that accepts but never answers: each attempt is bounded, ConnectError after the attempts', async () => {
    const redis = createRedisClient(testConfig({ REDIS_PORT: String(await silentServer()) }));
    cleanups.push(() => closeRedis(redis));
    const error = await connectRedis(redis, { attempts: 2, delayMs: 10, attemptTimeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ dependency: 'redis', attempts: 2 });
    expect((error as Error).message).toBe('Redis did not answer after 2 attempts: no answer within 200 ms');
  });

  test('PostgreSQL that accepts but never answers: each attempt is bounded', async () => {
    const pool = createPostgresPool(testConfig({ DATABASE_PORT: String(await silentServer()) }));
    cleanups.push(() => pool.end());
    const error = await connectPostgres(pool, { attempts: 2, delayMs: 10, attemptTimeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ dependency: 'postgres', attempts: 2 });
    expect((error as Error).message).toBe(
      'PostgreSQL did not answer after 2 attempts: no answer within 200 ms',
    );
  });

  test('a database that does not exist is not retried', async () => {
    const pool = createPostgresPool(testConfig({ DATABASE_NAME: 'netra_sample_no_such_database' }));
    cleanups.push(() => pool.end());
    const error = await connectPostgres(pool, { attempts: 5, delayMs: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ dependency: 'postgres', attempts: 1 });
    expect((error as Error).message).toContain('3D000');
  });

  test('the local PostgreSQL and Redis connect', async () => {
    const config = testConfig();
    const pool = createPostgresPool(config);
    const redis = createRedisClient(config);
    cleanups.push(
      () => pool.end(),
      () => closeRedis(redis),
    );
    await connectPostgres(pool);
    await connectRedis(redis);
    expect(redis.isReady).toBe(true);
  });
});

describe('node-redis against a redis-server that checks a password', () => {
  const password = 'Zq8mWv2kLp9xRt4Yb6nQ2#tail';
  let server: PrivateRedis;
  const client = (REDIS_PASSWORD?: string) => {
    const redis = createRedisClient(
      testConfig({ REDIS_PORT: String(server.port), ...(REDIS_PASSWORD ? { REDIS_PASSWORD } : {}) }),
    );
    cleanups.push(() => closeRedis(redis));
    return redis;
  };

  test('the right password connects (AUTH in the handshake) and commands run', async () => {
    server = await PrivateRedis.start({ password });
    cleanups.push(() => server.stop());
    const redis = client(password);
    await connectRedis(redis);
    expect(redis.isReady).toBe(true);
    expect(await redis.set('netra:test:k', 'v', { EX: 10, NX: true })).toBe('OK');
    expect(await redis.set('netra:test:k', 'w', { EX: 10, NX: true })).toBeNull();
    expect(await redis.getDel('netra:test:k')).toBe('v');
  });

  test.each([
    ['a wrong password', 'not-the-password-at-all', /WRONGPASS/],
    ['no password', undefined, /NOAUTH/],
  ])('%s is refused at once, not retried, and never printed', async (_name, given, reason) => {
    server = await PrivateRedis.start({ password });
    cleanups.push(() => server.stop());
    const error = await connectRedis(client(given), { attempts: 5, delayMs: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ dependency: 'redis', attempts: 1 });
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain(password);
    if (given) expect((error as Error).message).not.toContain(given);
  });

  test('a command while Redis is down fails at once (no offline queue); the client reconnects by itself', async () => {
    server = await PrivateRedis.start({ password });
    cleanups.push(() => server.stop());
    const redis = client(password);
    await connectRedis(redis);
    await server.stop();
    await expect(redis.ping()).rejects.toThrow();
    await server.start();
    for (let tries = 0; !redis.isReady && tries < 100; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(await redis.ping()).toBe('PONG');
  });
});

describe('retry jitter', () => {
  test.each([
    // retry, random, pause (ceilings 100, 200, 400, 800, then the 1 s cap)
    [0, 0, 0],
    [0, 0.5, 50],
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.5, 400],
    [4, 0.5, 500],
    [9, 0.5, 500],
    [3, 0.999999, 799],
  ])('retry %i with random() = %d waits %i ms', (retry, random, pause) => {
    expect(retryDelay(retry, { random: () => random })).toBe(pause);
  });

  test('any pause is in [0, min(maxDelayMs, delayMs * 2^retry))', () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, delayMs, maxDelayMs, random) => {
          const pause = retryDelay(retry, { delayMs, maxDelayMs, random: () => random });
          expect(pause).toBeGreaterThanOrEqual(0);
          expect(pause).toBeLessThan(Math.min(maxDelayMs, delayMs * 2 ** retry));
        },
      ),
    );
  });

  test('a fleet restarted together does not retry in lockstep', () => {
    // 100 replicas, each drawing its own pauses (Math.random): without jitter all 100 wait 100, 200, 400 ms.
    const schedules = Array.from({ length: 100 }, () => [0, 1, 2].map((retry) => retryDelay(retry)).join());
    expect(new Set(schedules).size).toBeGreaterThan(90);
    const firstPauses = schedules.map((schedule) => Number(schedule.split(',')[0]));
    expect(Math.min(...firstPauses)).toBeLessThan(50);
    expect(Math.max(...firstPauses)).toBeGreaterThanOrEqual(50);
  });

  test('connectPostgres draws one jittered pause per retry', async () => {
    const pool = createPostgresPool(testConfig({ DATABASE_PORT: String(await freePort()) }));
    cleanups.push(() => pool.end());
    const draws: number[] = [];
    const random = () => {
      draws.push(draws.length);
      return 0;
    };
    const error = await connectPostgres(pool, { attempts: 4, delayMs: 10_000, random }).catch(
      (e: unknown) => e,
    );
    // random() = 0 makes every pause 0 ms under a 1 s ceiling, so the four tries run back to back; one draw
    // per pause, none after the last try.
    expect(error).toMatchObject({ dependency: 'postgres', attempts: 4 });
    expect(draws).toEqual([0, 1, 2]);
  });
});

describe('probe', () => {
  test.each([
    ['answers', () => Promise.resolve(1), { status: 'up' }],
    [
      'fails',
      () => Promise.reject(Object.assign(new Error('boom'), { code: 'EBOOM' })),
      { status: 'down', error: 'EBOOM: boom' },
    ],
    ['never answers', () => new Promise(() => {}), { status: 'down', error: 'no answer within 50 ms' }],
  ])('a check that %s', async (_name, check, expected) => {
    expect(await probe(check, { timeoutMs: 50 })).toMatchObject(expected);
  });
});
