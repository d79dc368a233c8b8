import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { testConfig } from '../test/support/fixtures.ts';
import { freePort } from '../test/support/redis-server.ts';
import {
  ConnectError,
  connectPostgres,
  connectRedis,
  createPostgresPool,
  createRedisClient,
  probe,
} from './dependencies.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('bounded connection retries', () => {
  test('Redis on a port where nothing listens: ConnectError after exactly the given attempts', async () => {
    const redis = createRedisClient(testConfig({ REDIS_PORT: String(await freePort()) }));
    cleanups.push(async () => redis.disconnect());
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
    cleanups.push(async () => redis.disconnect());
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
      () => redis.quit(),
    );
    await connectPostgres(pool);
    await connectRedis(redis);
    expect(redis.status).toBe('ready');
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
