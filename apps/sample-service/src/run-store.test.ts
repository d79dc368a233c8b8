import { Client } from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  createTestDatabase,
  dropTable,
  sql,
  testConfig,
  testDependencies,
  uniqueName,
} from '../test/support/fixtures.ts';
import { closeRedis, createPostgresPool } from './dependencies.ts';
import { DependencyError } from './http-errors.ts';
import { RunExistsError, RunStore } from './run-store.ts';

let deps: Awaited<ReturnType<typeof testDependencies>>;
let store: RunStore;

beforeAll(async () => {
  deps = await testDependencies(testConfig());
  store = new RunStore({ ...deps, routingTtlSeconds: 60 });
});

afterAll(async () => {
  await deps?.cleanup();
  await Promise.allSettled([deps?.postgres.end(), deps && closeRedis(deps.redis)]);
});

test('ensureSchema is idempotent and safe when several instances start at once', async () => {
  const tableName = uniqueName('runs_race');
  try {
    const stores = Array.from({ length: 8 }, () => new RunStore({ ...deps, tableName }));
    await Promise.all(stores.map((each) => each.ensureSchema()));
    await stores[0]!.ensureSchema();
    const rows = await sql('SELECT 1 FROM information_schema.tables WHERE table_name = $1', [tableName]);
    expect(rows).toHaveLength(1);
  } finally {
    await dropTable(tableName);
  }
});

test('ensureSchema does not wait forever for the schema lock another instance holds: it fails after lockTimeoutMs', async () => {
  // A database of its own: advisory locks are per database, so holding the lock here blocks no other test.
  const database = await createTestDatabase();
  const postgres = createPostgresPool(testConfig({ DATABASE_NAME: database.name }));
  const holder = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: database.name });
  await holder.connect();
  try {
    // The lock every instance takes around its CREATE TABLE, held as a stuck instance or a migration would.
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [0x6e657472]);
    const error = await new RunStore({ postgres, redis: deps.redis })
      .ensureSchema({ lockTimeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '55P03' }); // lock_not_available
    expect((error as Error).message).toMatch(/lock timeout/);
  } finally {
    await holder.end();
    await postgres.end();
    await database.drop();
  }
});

test('a run ID is never stored twice: the second create fails and the first keeps its routing', async () => {
  const run = { runId: 'run_dup_1764337000000_0123abcd', threadId: 'dup' };
  const first = await store.create(run);
  expect(first).toMatchObject(run);
  await expect(store.create({ ...run, threadId: 'other' })).rejects.toBeInstanceOf(RunExistsError);
  expect(await store.routedThread(run.runId)).toBe('dup');
  expect(await deps.redis.ttl(store.routingKey(run.runId))).toBeLessThanOrEqual(60);
  expect(await store.get(run.runId)).toEqual(first);
});

test('a row already in PostgreSQL (routing expired) is reported, and the new routing key is removed again', async () => {
  const run = { runId: 'run_expired_1764337000000_0123abcd', threadId: 'expired' };
  await sql(`INSERT INTO "${deps.tableName}" (run_id, thread_id) VALUES ($1, $2)`, [run.runId, run.threadId]);
  await expect(store.create(run)).rejects.toBeInstanceOf(RunExistsError);
  expect(await store.routedThread(run.runId)).toBeUndefined();
});

test('a failing insert is a DependencyError naming PostgreSQL, and leaves no routing key behind', async () => {
  const broken = new RunStore({ ...deps, tableName: uniqueName('runs_missing') }); // its table was never created
  const run = { runId: 'run_broken_1764337000000_0123abcd', threadId: 'broken' };
  const error = await broken.create(run).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DependencyError);
  expect(error).toMatchObject({ dependency: 'postgres' });
  expect(await broken.routedThread(run.runId)).toBeUndefined();
});

test('table names are checked before they reach SQL', () => {
  expect(() => new RunStore({ ...deps, tableName: 'runs; DROP TABLE x' })).toThrow(
    /not a lowercase SQL identifier/,
  );
});
