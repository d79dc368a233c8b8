// The chaos test: the built service as its own process, its own PostgreSQL and Redis on free loopback ports, a
// bounded load; each dependency is stopped (a crash: pg_ctl -m immediate, redis SIGKILL) and started again
// mid-run. During an outage /readyz and the routes that need it answer 503 with a stable problem body; after it
// the service recovers by itself. No request outlives its timeout, no run ID is issued twice, no crash.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PrivatePostgres } from '../test/support/postgres-server.ts';
import { freePort, PrivateRedis } from '../test/support/redis-server.ts';
import { type ServiceProcess, spawnService } from '../test/support/service-process.ts';

/** The client's timeout of one request: longer than any path through the service (2 s connect + 5 s query). */
const REQUEST_TIMEOUT_MS = 10_000;
/** Load: this many clients, each pausing this long between requests. */
const CLIENTS = 6;
const PAUSE_MS = 20;
/** How long each outage lasts. */
const OUTAGE_MS = 3_000;

let postgres: PrivatePostgres;
let redis: PrivateRedis;
let service: ServiceProcess;
let url = '';

beforeAll(async () => {
  [postgres, redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = spawnService({
    ENVIRONMENT: 'development',
    DATABASE_HOST: '127.0.0.1',
    DATABASE_PORT: String(postgres.port),
    DATABASE_NAME: 'postgres',
    DATABASE_USER: 'postgres',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    PORT: String(port),
    LOG_LEVEL: 'warn',
  });
  // At LOG_LEVEL=warn there is no `ready` line: wait for /healthz.
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`the service exited:\n${service.stderr()}`);
    const up = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await sleep(50);
  }
}, 60_000);

afterAll(async () => {
  service?.child.kill('SIGKILL');
  await Promise.all([postgres?.destroy(), redis?.stop()]);
});

interface Sample {
  route: 'create' | 'read' | 'readyz';
  at: number;
  status: number | 'timeout' | 'network-error';
  ms: number;
  body: Record<string, unknown> | undefined;
}

const STABLE_503 = {
  create: ['PostgreSQL is unavailable; try again shortly.', 'Redis is unavailable; try again shortly.'],
  read: ['PostgreSQL is unavailable; try again shortly.'],
  readyz: ['PostgreSQL is not ready.', 'Redis is not ready.', 'PostgreSQL is not ready. Redis is not ready.'],
};

test('PostgreSQL and Redis stopped and restarted under load: 503s with a stable body, recovery without a restart', async () => {
  const samples: Sample[] = [];
  const runIds: string[] = [];
  const started = performance.now();
  const now = () => performance.now() - started;

  async function call(route: Sample['route'], method: string, path: string): Promise<Sample> {
    const at = now();
    try {
      const response = await fetch(`${url}${path}`, {
        method,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const sample: Sample = { route, at, status: response.status, ms: now() - at, body };
      samples.push(sample);
      return sample;
    } catch (error) {
      const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network-error';
      const sample: Sample = { route, at, status, ms: now() - at, body: undefined };
      samples.push(sample);
      return sample;
    }
  }

  let loading = true;
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    let last: string | undefined;
    for (let i = 0; loading; i++) {
      const created = await call('create', 'POST', `/threads/chaos-${client}/runs`);
      if (created.status === 201) {
        last = created.body?.runId as string;
        runIds.push(last);
      }
      if (last && i % 3 === 0) await call('read', 'GET', `/runs/${last}`);
      await sleep(PAUSE_MS);
    }
  });
  const readiness = (async () => {
    while (loading) {
      await call('readyz', 'GET', '/readyz');
      await sleep(100);
    }
  })();

  /** Waits until /readyz answers 200 and a run is created; returns the ms it took. */
  async function recovered(): Promise<number> {
    const from = now();
    for (;;) {
      const ready = await call('readyz', 'GET', '/readyz');
      if (
        ready.status === 200 &&
        (await call('create', 'POST', '/threads/chaos-probe/runs')).status === 201
      ) {
        return now() - from;
      }
      await sleep(50);
    }
  }

  const outages: { dependency: string; from: number; to: number; recoveryMs: number }[] = [];
  await sleep(1_500);
  for (const [dependency, stop, start] of [
    ['postgres', () => postgres.stop('immediate'), () => postgres.start()],
    ['redis', () => redis.stop(), () => redis.start()],
  ] as const) {
    const from = now();
    await stop();
    await sleep(OUTAGE_MS);
    await start();
    const to = now();
    outages.push({ dependency, from, to, recoveryMs: await recovered() });
    await sleep(1_500);
  }
  loading = false;
  await Promise.all([...clients, readiness]);

  // The process never crashed, and nothing went to stderr (no unhandled error, no stack).
  expect(service.child.exitCode).toBeNull();
  expect(service.child.signalCode).toBeNull();
  expect(service.stderr()).toBe('');

  const byStatus: Record<string, number> = {};
  for (const sample of samples) byStatus[sample.status] = (byStatus[sample.status] ?? 0) + 1;
  const figures = {
    requests: samples.length,
    byStatus,
    createdRuns: runIds.length,
    maxLatencyMs: Math.round(Math.max(...samples.map((sample) => sample.ms))),
    outages: outages.map((o) => ({
      dependency: o.dependency,
      downMs: Math.round(o.to - o.from),
      recoveryMs: Math.round(o.recoveryMs),
    })),
  };
  console.info(`[chaos] ${JSON.stringify(figures)}`);

  // No request outlived its timeout or lost its connection; only 200, 201 and 503.
  expect(Object.keys(byStatus).sort()).toEqual(expect.arrayContaining(['200', '201', '503']));
  for (const status of Object.keys(byStatus)) expect(['200', '201', '503']).toContain(status);
  // No run ID was issued twice.
  expect(new Set(runIds).size).toBe(runIds.length);

  // Every 503 is a stable problem body: one of a few fixed messages, no driver text, address or stack.
  const addresses = [String(postgres.port), String(redis.port), '127.0.0.1', 'localhost'];
  for (const sample of samples.filter((s) => s.status === 503)) {
    const body = sample.body!;
    const text = JSON.stringify(body);
    expect(STABLE_503[sample.route]).toContain(body.message);
    for (const address of addresses) expect(text).not.toContain(address);
    expect(text).not.toMatch(/ECONN|EPIPE|terminating|Connection|socket|\bat /);
    if (sample.route === 'readyz') {
      expect(Object.keys(body).sort()).toEqual(['checks', 'code', 'failed', 'message', 'status']);
    } else {
      expect(body).toEqual({
        code: 'dependency-unavailable',
        message: body.message,
        dependency: body.dependency,
      });
    }
  }

  // Each outage was seen as such — /readyz and the routes that need the dependency answered 503 naming it — and
  // the service recovered from it by itself.
  for (const outage of outages) {
    const during = samples.filter((s) => s.at >= outage.from && s.at < outage.to && s.status === 503);
    expect(
      during.some(
        (s) => s.route === 'readyz' && ((s.body?.failed ?? []) as string[]).includes(outage.dependency),
      ),
    ).toBe(true);
    expect(during.some((s) => s.route === 'create' && s.body?.dependency === outage.dependency)).toBe(true);
    const after = samples.filter((s) => s.at > outage.to + outage.recoveryMs);
    expect(after.some((s) => s.route === 'create' && s.status === 201)).toBe(true);
  }
}, 60_000);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
