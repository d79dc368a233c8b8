import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql, testConfig, testDependencies } from '../test/support/fixtures.ts';
import { buildApp } from './app.ts';
import { connectRedis, createPostgresPool, createRedisClient } from './dependencies.ts';

const OLD_BACKEND = fileURLToPath(
  new URL('../../../packages/ids/test/fixtures/old_backend_ids.py', import.meta.url),
);

let app: FastifyInstance;
let deps: Awaited<ReturnType<typeof testDependencies>>;
let baseUrl: string;

beforeAll(async () => {
  const config = testConfig();
  deps = await testDependencies(config);
  app = buildApp({ config, oauth: null, ...deps, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

/** A request with the path exactly as given (no dot-segment resolution, unlike fetch and inject()). */
function rawRequest(
  method: string,
  path: string,
): Promise<{ statusCode: number; json(): { code?: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/`, { method, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, json: () => JSON.parse(body) }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

afterAll(async () => {
  await app?.close();
  await deps?.cleanup();
});

describe('health', () => {
  test('GET /healthz answers 200 ok', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 when PostgreSQL and Redis answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });
});

describe('runs', () => {
  test('POST /threads/:threadId/runs stores the run in PostgreSQL and routes it in Redis with a TTL', async () => {
    const response = await app.inject({ method: 'POST', url: '/threads/thread-1/runs' });
    expect(response.statusCode).toBe(201);
    const body = response.json() as { runId: string; threadId: string; createdAt: string };
    expect(body.threadId).toBe('thread-1');
    expect(body.runId).toMatch(/^run_thread-1_\d{13}_[0-9a-f]{8}$/);
    expect(Date.parse(body.createdAt)).not.toBeNaN();

    const rows = await sql(`SELECT thread_id FROM "${deps.tableName}" WHERE run_id = $1`, [body.runId]);
    expect(rows).toEqual([{ thread_id: 'thread-1' }]);
    const key = `${deps.keyPrefix}run:${body.runId}`;
    expect(await deps.redis.get(key)).toBe('thread-1');
    const ttl = await deps.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  test('a created run round-trips through GET /runs/:runId', async () => {
    const created = (
      await app.inject({ method: 'POST', url: '/threads/thread_with_underscores/runs' })
    ).json();
    const response = await app.inject({ method: 'GET', url: `/runs/${created.runId}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...created, format: 'current' });
  });

  test('run IDs created concurrently over HTTP are unique, stored once each, and all round-trip', async () => {
    const count = 200;
    const responses = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        fetch(`${baseUrl}/threads/concurrent-${index % 4}/runs`, { method: 'POST' }).then(
          async (response) => ({
            status: response.status,
            body: (await response.json()) as { runId: string; threadId: string },
          }),
        ),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(count).fill(201));
    const ids = responses.map((response) => response.body.runId);
    expect(new Set(ids).size).toBe(count);
    const [row] = await sql<{ total: string; distinct_ids: string }>(
      `SELECT count(*) AS total, count(DISTINCT run_id) AS distinct_ids FROM "${deps.tableName}" WHERE thread_id LIKE 'concurrent-%'`,
    );
    expect(row).toEqual({ total: String(count), distinct_ids: String(count) });
    const fetched = await Promise.all(
      ids.map((id) => fetch(`${baseUrl}/runs/${id}`).then((r) => r.json() as Promise<{ runId: string }>)),
    );
    expect(fetched.map((run) => run.runId)).toEqual(ids);
  });

  test('created run IDs pass the old backend validate/extract/parse (its Python code, run as written)', async () => {
    const created = await Promise.all(
      ['t1', 'thread_a_b', 'T-9.x~y'].map(
        async (thread) =>
          (await app.inject({ method: 'POST', url: `/threads/${thread}/runs` })).json() as {
            runId: string;
            threadId: string;
          },
      ),
    );
    const results = oldBackend(created.map((run) => run.runId));
    expect(results).toHaveLength(created.length);
    results.forEach((result, index) => {
      const { runId, threadId } = created[index]!;
      const [timestamp, suffix] = runId.split('_').slice(-2);
      expect(result).toEqual({
        valid: true,
        extracted: threadId,
        parsed: { thread_id: threadId, timestamp, uuid_part: suffix, valid: true },
      });
    });
    // The check can fail: the old code rejects what it should.
    expect(oldBackend(['run_t_123_abc'])[0]!.valid).toBe(false);
  });

  test.each([
    ['not-a-run-id', 'INVALID_RUN_ID'],
    ['run_thread_123_XYZ', 'INVALID_RUN_ID'],
    ['run__1764337000000_0123abcd', 'INVALID_RUN_ID'],
    ['run_t_12345678901234_0123abcd', 'INVALID_RUN_ID'],
  ])('GET /runs/%s is 400 with the parser code %s', async (runId, code) => {
    const response = await app.inject({ method: 'GET', url: `/runs/${runId}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code });
    expect(response.json().message).toContain('run ID');
  });

  test('an unknown well-formed run ID is 404 run-not-found naming its thread', async () => {
    const response = await app.inject({ method: 'GET', url: '/runs/run_ghost_1764337000000_0123abcd' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'run-not-found', threadId: 'ghost' });
  });

  test('old-backend run IDs are understood: 404 when unknown, returned as legacy when stored', async () => {
    const legacy = 'run_old_thread_4242_deadbeef';
    const missing = await app.inject({ method: 'GET', url: `/runs/${legacy}` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'run-not-found', threadId: 'old_thread' });

    // A row migrated from the old backend.
    await sql(`INSERT INTO "${deps.tableName}" (run_id, thread_id) VALUES ($1, $2)`, [legacy, 'old_thread']);
    const found = await app.inject({ method: 'GET', url: `/runs/${legacy}` });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ runId: legacy, threadId: 'old_thread', format: 'legacy' });
  });

  test.each([
    ['/threads/bad%20thread/runs', 'a space'],
    ['/threads/bad%2Fthread/runs', 'a slash'],
    [`/threads/${'x'.repeat(257)}/runs`, 'longer than 256 characters'],
    ['/threads/../runs', 'the path segment ..'],
    ['/threads/./runs', 'the path segment .'],
    ['/threads/%2E%2E/runs', '.. percent-encoded'],
    ['/threads/%2e/runs', '. percent-encoded'],
  ])('POST %s (%s) is 400 INVALID_THREAD_ID with the rule, and creates no run', async (url) => {
    // Over a socket, path as written: fetch and inject() resolve `..`, `.` and `%2E%2E` before sending (WHATWG
    // URL), a client that does not (curl --path-as-is, a proxy, a hand-written one) sends them as they are.
    const before = await sql(`SELECT count(*)::int AS n FROM "${deps.tableName}"`);
    const response = await rawRequest('POST', url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_THREAD_ID' });
    expect(response.json().message).toContain(
      'expected 1 to 256 letters, digits and "-._~", not "." or ".."',
    );
    expect(await sql(`SELECT count(*)::int AS n FROM "${deps.tableName}"`)).toEqual(before);
  });

  test('a thread ID of 256 characters is taken, and its 283-character run ID read back', async () => {
    const created = await app.inject({ method: 'POST', url: `/threads/${'x'.repeat(256)}/runs` });
    expect(created.statusCode).toBe(201);
    const { runId } = created.json() as { runId: string };
    expect(runId).toHaveLength(283);
    expect((await app.inject({ method: 'GET', url: `/runs/${runId}` })).statusCode).toBe(200);
  });

  test.each([
    ['run_.._1795875015126_6e757df7'],
    ['run_._1795875015126_6e757df7'],
    ['run_.._75015_6e757df7'],
    [`run_${'x'.repeat(257)}_1795875015126_6e757df7`],
  ])('GET /runs/%s is 400 INVALID_RUN_ID with the rule', async (runId) => {
    const response = await rawRequest('GET', `/runs/${runId}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_RUN_ID' });
    expect(response.json().message).toContain('not "." or ".."');
  });
});

describe('errors are JSON with stable codes', () => {
  test('unknown route', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope?secret=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'not-found', message: 'No route GET /nope.' });
  });

  test('a URL parameter beyond any route limit is 414 uri-too-long', async () => {
    const response = await app.inject({ method: 'GET', url: `/runs/${'x'.repeat(600)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ code: 'uri-too-long' });
  });

  test('a malformed URL encoding is 400 bad-request', async () => {
    const response = await app.inject({ method: 'GET', url: '/runs/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad-request' });
  });

  test('malformed JSON body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/threads/t/runs',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad-request' });
  });

  test('OAuth disabled: /auth/login and /auth/callback answer 503 oauth-disabled', async () => {
    for (const url of ['/auth/login', '/auth/callback?state=abcdefghijklmnopqrstuvwxyz&code=x']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'oauth-disabled' });
    }
  });
});

/** The old backend's own validate/extract/parse (the ids package's Python model), one JSON line per call. */
function oldBackend(
  runIds: string[],
): { valid: boolean; extracted: unknown; parsed: Record<string, unknown> }[] {
  const requests = runIds.flatMap((value) => ['validate', 'extract', 'parse'].map((op) => ({ op, value })));
  const output = execFileSync('python3', [OLD_BACKEND], {
    input: requests.map((request) => JSON.stringify(request)).join('\n'),
    encoding: 'utf8',
  });
  const results = output
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { result: unknown }).result);
  return runIds.map((_, index) => ({
    valid: results[index * 3] as boolean,
    extracted: results[index * 3 + 1],
    parsed: results[index * 3 + 2] as Record<string, unknown>,
  }));
}

describe('while stopping', () => {
  test('a request that still arrives gets 503 shutting-down with Connection: close', async () => {
    const config = testConfig();
    const redis = createRedisClient(config);
    await connectRedis(redis);
    const stopping = buildApp({
      config,
      oauth: null,
      postgres: createPostgresPool(config),
      redis,
      logger: false,
    });
    await stopping.ready();
    const closed = stopping.close();
    const response = await stopping.inject({ method: 'GET', url: '/healthz' });
    await closed;
    expect(response.statusCode).toBe(503);
    expect(response.headers.connection).toBe('close');
    expect(response.json()).toEqual({ code: 'shutting-down', message: 'The service is shutting down.' });
    if (redis.isOpen) await once(redis, 'end'); // the pools are closed with the app
  });
});
