import type { Pool } from 'pg';
import type { RedisClient } from './dependencies.ts';
import { DependencyError, onDependency } from './http-errors.ts';

/** A stored run. */
export interface RunRecord {
  runId: string;
  threadId: string;
  /** ISO 8601 creation time. */
  createdAt: string;
}

/** Where runs live: a PostgreSQL table (the record) and Redis keys (run → thread routing, with a TTL). */
export interface RunStoreOptions {
  postgres: Pool;
  redis: RedisClient;
  /** PostgreSQL table name (lowercase identifier). @default 'runs' */
  tableName?: string;
  /** Prefix of every Redis key the service writes. @default 'netra:sample:' */
  keyPrefix?: string;
  /** TTL of the run → thread routing key in Redis. @default 86400 (one day) */
  routingTtlSeconds?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';

/**
 * A run with this ID is already stored. Generated run IDs never collide, so this means a bug or a replayed
 * ID; the service answers 500 rather than overwrite a run.
 */
export class RunExistsError extends Error {
  override readonly name = 'RunExistsError';
  readonly code = 'RUN_EXISTS';
  readonly runId: string;

  constructor(runId: string, cause?: unknown) {
    super(`Run ${runId} already exists; run IDs must be unique.`, { cause });
    this.runId = runId;
  }
}

/** Serialises DDL across replicas starting at once (concurrent CREATE TABLE IF NOT EXISTS can still collide). */
const SCHEMA_LOCK_KEY = 0x6e657472; // 'netr'

/**
 * Runs in PostgreSQL (the record) and Redis (run → thread routing with a TTL).
 *
 * @example
 * const store = new RunStore({ postgres, redis });
 * await store.ensureSchema();
 * await store.create({ runId, threadId });
 */
export class RunStore {
  readonly tableName: string;
  readonly keyPrefix: string;
  readonly routingTtlSeconds: number;
  readonly #postgres: Pool;
  readonly #redis: RedisClient;
  readonly #table: string;

  constructor(options: RunStoreOptions) {
    this.tableName = options.tableName ?? 'runs';
    if (!IDENTIFIER.test(this.tableName)) {
      throw new TypeError(
        `tableName ${JSON.stringify(this.tableName)} is not a lowercase SQL identifier ([a-z_][a-z0-9_]*, ≤ 63 chars).`,
      );
    }
    this.keyPrefix = options.keyPrefix ?? 'netra:sample:';
    this.routingTtlSeconds = options.routingTtlSeconds ?? 86_400;
    this.#postgres = options.postgres;
    this.#redis = options.redis;
    this.#table = `"${this.tableName}"`;
  }

  /**
   * Creates the runs table if it is missing (idempotent, safe when several instances start together). Waits at
   * most `lockTimeoutMs` for the schema lock (or a lock on the table) that another instance or a migration
   * holds, then fails with PostgreSQL's `55P03` (lock_not_available) instead of holding start-up.
   */
  async ensureSchema(options: { /** @default 5000 */ lockTimeoutMs?: number } = {}): Promise<void> {
    const lockTimeoutMs = Math.max(1, Math.floor(options.lockTimeoutMs ?? 5000));
    const client = await this.#postgres.connect();
    try {
      await client.query('BEGIN');
      // SET cannot take a parameter; the value is an integer built here.
      await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
           run_id text PRIMARY KEY,
           thread_id text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** The Redis key routing `runId` to its thread. */
  routingKey(runId: string): string {
    return `${this.keyPrefix}run:${runId}`;
  }

  /**
   * Stores a new run: the routing key first, set only if absent (a run ID is never routed twice; it expires by
   * itself if the insert fails and the clean-up cannot run), then the row, which is the record of truth.
   * Throws {@link RunExistsError} for a run ID already stored, {@link DependencyError} when PostgreSQL or
   * Redis fails.
   */
  async create(run: { runId: string; threadId: string }): Promise<RunRecord> {
    const key = this.routingKey(run.runId);
    const set = await onDependency('redis', () =>
      this.#redis.set(key, run.threadId, { EX: this.routingTtlSeconds, NX: true }),
    );
    if (set === null) throw new RunExistsError(run.runId);
    let result: { rows: { created_at: Date }[] };
    try {
      result = await this.#postgres.query<{ created_at: Date }>(
        `INSERT INTO ${this.#table} (run_id, thread_id) VALUES ($1, $2) RETURNING created_at`,
        [run.runId, run.threadId],
      );
    } catch (error) {
      await this.#redis.del(key).catch(() => {});
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new RunExistsError(run.runId, error);
      throw new DependencyError('postgres', error);
    }
    return { runId: run.runId, threadId: run.threadId, createdAt: result.rows[0]!.created_at.toISOString() };
  }

  /** The run, or `undefined` when there is none. */
  async get(runId: string): Promise<RunRecord | undefined> {
    const result = await onDependency('postgres', () =>
      this.#postgres.query<{ run_id: string; thread_id: string; created_at: Date }>(
        `SELECT run_id, thread_id, created_at FROM ${this.#table} WHERE run_id = $1`,
        [runId],
      ),
    );
    const row = result.rows[0];
    return row && { runId: row.run_id, threadId: row.thread_id, createdAt: row.created_at.toISOString() };
  }

  /** The thread a run routes to according to Redis (`undefined` once the TTL has passed). */
  async routedThread(runId: string): Promise<string | undefined> {
    return (await onDependency('redis', () => this.#redis.get(this.routingKey(runId)))) ?? undefined;
  }
}
