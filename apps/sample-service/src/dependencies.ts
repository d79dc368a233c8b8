import type { NetraBackendConfig } from '@netra/backend-schema';
import { createClient, type RedisClientType } from '@redis/client';
import { Pool } from 'pg';
import { describeError } from './http-errors.ts';

/** The part of the validated configuration the connections need. */
export type ConnectionSettings = Pick<NetraBackendConfig, 'database' | 'redis'>;

/**
 * A `pg` pool for the configured database. `sslMode` maps to `ssl`: `disable` → off, `require` → TLS
 * without certificate verification (libpq's meaning), `verify-full` → TLS with verification. A
 * `/cloudsql/…` host is a Unix socket directory and never uses TLS.
 *
 * @example
 * const pool = createPostgresPool(config, { onError: (error) => log.warn({ err: error }) });
 */
export function createPostgresPool(
  settings: ConnectionSettings,
  options: {
    /** Largest number of connections. @default 20 */
    max?: number;
    /** How long to wait for a new connection before failing. @default 2000 */
    connectionTimeoutMillis?: number;
    /** How long a query may wait for its answer before it fails (client side). @default 5000 */
    queryTimeoutMillis?: number;
    /** Called when an idle connection fails (a restart of PostgreSQL); the pool replaces it. */
    onError?: (error: Error) => void;
  } = {},
): Pool {
  const { database } = settings;
  const socket = database.host.startsWith('/');
  const pool = new Pool({
    host: database.host,
    port: database.port,
    database: database.name,
    user: database.user,
    password: database.password,
    ssl:
      socket || database.sslMode === 'disable'
        ? false
        : { rejectUnauthorized: database.sslMode === 'verify-full' },
    max: options.max ?? 20,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 2000,
    // A PostgreSQL that stops answering (stalled, black-holed) fails the query instead of holding the request.
    query_timeout: options.queryTimeoutMillis ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'netra-sample-service',
  });
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/** The Redis client of the service: node-redis (`@redis/client`), RESP3, no modules. */
export type RedisClient = RedisClientType;

/**
 * A node-redis client for the configured Redis, not yet connected ({@link connectRedis} connects it). Commands
 * fail at once while it is disconnected (no offline queue) and after `commandTimeoutMs` when it stops answering,
 * so a request during an outage gets a 503 instead of hanging. Until it has been ready once, a failed connection
 * is not retried by the client (connectRedis retries, bounded, with jitter); after that it reconnects by itself
 * with full-jitter backoff up to `maxReconnectDelayMs`.
 *
 * @example
 * const redis = createRedisClient(config, { onError: (error) => log.warn({ err: error }) });
 */
export function createRedisClient(
  settings: ConnectionSettings,
  options: {
    /** Timeout of one connection attempt. @default 2000 */
    connectTimeoutMs?: number;
    /** Longest pause between reconnection attempts. @default 1000 */
    maxReconnectDelayMs?: number;
    /**
     * How long a command may wait for its answer before it fails: a Redis that stops answering (stalled,
     * paused, black-holed) gives requests a 503 instead of holding them open. @default 2000
     */
    commandTimeoutMs?: number;
    /** Called on connection errors (they repeat while Redis is down). */
    onError?: (error: Error) => void;
  } = {},
): RedisClient {
  const { redis } = settings;
  const maxDelayMs = options.maxReconnectDelayMs ?? 1000;
  let wasReady = false;
  const client: RedisClient = createClient({
    socket: {
      host: redis.host,
      port: redis.port,
      ...(redis.tls ? { tls: true as const } : {}),
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries) => (wasReady ? retryDelay(retries, { delayMs: 100, maxDelayMs }) : false),
    },
    ...(redis.password ? { password: redis.password } : {}),
    name: 'netra-sample-service',
    disableOfflineQueue: true,
    // rejectInFlight: the timeout also ends a command already sent to a Redis that stopped answering.
    commandOptions: { timeout: options.commandTimeoutMs ?? 2000, rejectInFlight: true },
  });
  client.on('ready', () => {
    wasReady = true;
  });
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

/** Closes the client gracefully (pending commands answered), or at once when that fails; never throws. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  await client.close().catch(() => {
    if (client.isOpen) client.destroy();
  });
}

/**
 * Bounded retries with exponential backoff and full jitter: `attempts` tries; before retry `n` (from 0) a pause
 * drawn uniformly from `[0, min(maxDelayMs, delayMs · 2^n))`, so a fleet restarted together does not retry in
 * lockstep.
 */
export interface RetryOptions {
  /** Tries before giving up. @default 5 */
  attempts?: number;
  /** Ceiling of the first pause; it doubles each retry up to `maxDelayMs`. @default 100 */
  delayMs?: number;
  /** Largest ceiling of a pause. @default 1000 */
  maxDelayMs?: number;
  /** Source of the jitter, a number in [0, 1). Tests fix it. @default Math.random */
  random?: () => number;
  /**
   * Longest wait for one try: a server that accepts the connection and never answers (a stalled or
   * black-holed dependency) fails that try instead of holding start-up forever. @default 2000
   */
  attemptTimeoutMs?: number;
}

/** A dependency could not be reached at start-up after the bounded retries. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  readonly dependency: 'postgres' | 'redis';
  readonly attempts: number;

  constructor(options: { dependency: 'postgres' | 'redis'; attempts: number; cause: unknown }) {
    const label = options.dependency === 'postgres' ? 'PostgreSQL' : 'Redis';
    const tries = options.attempts === 1 ? '1 attempt' : `${options.attempts} attempts`;
    super(`${label} did not answer after ${tries}: ${describeError(options.cause)}`, {
      cause: options.cause,
    });
    this.dependency = options.dependency;
    this.attempts = options.attempts;
  }
}

// Errors no retry can fix: wrong password, unknown role, missing database.
const PERMANENT_POSTGRES_CODES = new Set(['28P01', '28000', '3D000']);

/**
 * Connects the pool (one `SELECT 1`) with bounded retries; a wrong password, unknown role or missing database
 * is not retried. Throws {@link ConnectError}.
 *
 * @example
 * await connectPostgres(pool, { attempts: 5, delayMs: 100 });
 */
export async function connectPostgres(pool: Pool, options: RetryOptions = {}): Promise<void> {
  await withRetries(
    'postgres',
    options,
    async () => {
      await pool.query('SELECT 1');
    },
    (error) => PERMANENT_POSTGRES_CODES.has((error as { code?: string }).code ?? ''),
  );
}

/**
 * Connects the client and waits until it answers PING, with bounded retries; authentication errors are not
 * retried. Throws {@link ConnectError}.
 *
 * @example
 * await connectRedis(redis, { attempts: 5 });
 */
export async function connectRedis(client: RedisClient, options: RetryOptions = {}): Promise<void> {
  await withRetries(
    'redis',
    options,
    async () => {
      if (!client.isOpen) await client.connect();
      else if (!client.isReady) await readyEvent(client);
      await client.ping();
    },
    (error) => /WRONGPASS|NOAUTH|NOPERM/.test(describeError(error)),
    // A try that timed out leaves a connection waiting for its handshake: drop it, the next try reconnects.
    () => {
      if (client.isOpen) client.destroy();
    },
  );
}

async function withRetries(
  dependency: 'postgres' | 'redis',
  options: RetryOptions,
  attempt: () => Promise<void>,
  isPermanent: (error: unknown) => boolean,
  onTimeout: () => void = () => {},
): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 2000;
  for (let tried = 1; ; tried++) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const running = attempt();
      running.catch(() => {}); // a try that fails after its timeout is not an unhandled rejection
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            onTimeout();
            reject(new Error(`no answer within ${attemptTimeoutMs} ms`));
          }, attemptTimeoutMs);
        }),
      ]);
    } catch (error) {
      if (tried >= attempts || isPermanent(error))
        throw new ConnectError({ dependency, attempts: tried, cause: error });
      await new Promise((resolve) => setTimeout(resolve, retryDelay(tried - 1, options)));
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The pause before retry `retry` (0 for the first): "full jitter" (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"), uniform in `[0, min(maxDelayMs, delayMs · 2^retry))`. Without the jitter every instance of a
 * fleet restarted together waits the same 100, 200, 400 ms and hits a recovering dependency at the same moment.
 *
 * @example
 * retryDelay(2, { delayMs: 100, random: () => 0.5 }); // 200 (half of the 400 ms ceiling)
 */
export function retryDelay(
  retry: number,
  options: Pick<RetryOptions, 'delayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const ceiling = Math.min(options.maxDelayMs ?? 1000, (options.delayMs ?? 100) * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

function readyEvent(client: RedisClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('end', onEnd);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => onError(new Error('connection closed'));
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('end', onEnd);
  });
}

/** The result of one readiness probe. */
export interface ProbeResult {
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down (no values, just the driver's error). */
  error?: string;
}

/**
 * Runs `check` with a timeout; `down` with the reason when it fails or does not answer in time.
 *
 * @example
 * await probe(() => pool.query('SELECT 1'), { timeoutMs: 1000 }); // { status: 'up', latencyMs: 0.8 }
 */
export async function probe(
  check: () => Promise<unknown>,
  options: { timeoutMs: number },
): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
  });
  const running = check();
  running.catch(() => {}); // a late failure after the timeout is not an unhandled rejection
  try {
    await Promise.race([running, timeout]);
    return { status: 'up', latencyMs: round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: round(performance.now() - started), error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
