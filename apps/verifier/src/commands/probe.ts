/**
 * `netra-verify probe --env E [--env-file F]… [--timeout MS] [--json]`: loads the configuration the way `check`
 * does, then connects to the configured PostgreSQL and Redis with the configured credentials and TLS settings.
 * A failure is one `probe-failed` issue whose message says why; the probe's `reason` (in `--json`'s `probes`) is
 * `unreachable`, `authentication`, `timeout`, `tls` or `error`. `pg` and `@redis/client` are imported only here,
 * when a probe runs.
 */
import { isIP } from 'node:net';
import type { NetraBackendConfig } from '@netra/backend-schema';
import { formatIssues, type Issue } from '@netra/config-schema';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';
import { loadCommandConfig } from './oauth';

/** Options of `probe`, after parsing. */
export interface ProbeOptions {
  environment: string;
  envFiles: string[];
  /** Read the passwords bound to Secret Manager from this project (else they must be in an env file). */
  project: string | undefined;
  /** Per connection, covering TCP connect, TLS, authentication and the first round trip. @default 5000 */
  timeoutMs: number;
  json: boolean;
}

/** Why a probe failed. */
export type ProbeFailureReason = 'unreachable' | 'authentication' | 'timeout' | 'tls' | 'error';

/** The outcome of one connection attempt. Never holds a password. */
export interface ProbeResult {
  target: 'postgresql' | 'redis';
  /** `host:port`, or the socket directory for a `/cloudsql/` host. */
  address: string;
  ok: boolean;
  reason?: ProbeFailureReason;
  /** The driver's error message (never contains the password). */
  detail?: string;
  /** Server version when the probe succeeded. */
  serverVersion?: string;
  /** Whether the connection was to use TLS (`DATABASE_SSL_MODE` require/verify-full, `REDIS_TLS`). */
  tls: boolean;
  elapsedMs: number;
}

/** The default `--timeout`. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/** Parses cac's options for `probe`. */
export function parseProbeOptions(raw: RawOptions): ProbeOptions {
  const timeoutText = stringOption(raw, 'timeout', '--timeout');
  let timeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
  if (timeoutText !== undefined) {
    timeoutMs = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText) || timeoutMs < 1 || timeoutMs > 600_000) {
      throw new UsageError(`--timeout must be milliseconds between 1 and 600000, e.g. --timeout 3000`);
    }
  }
  return {
    environment: requiredStringOption(raw, 'env', '--env', '--env staging'),
    envFiles: stringListOption(raw, 'envFile', '--env-file'),
    project: stringOption(raw, 'project', '--project'),
    timeoutMs,
    json: booleanOption(raw, 'json'),
  };
}

class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
  readonly code = 'PROBE_TIMEOUT';
}

/** Runs `operation`, failing with {@link ProbeTimeout} after `ms`; `cancel` releases the connection either way. */
async function withTimeout<T>(ms: number, operation: () => Promise<T>, cancel: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([operation(), timeout]);
  } finally {
    clearTimeout(timer);
    cancel();
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that does not exist
  'ECONNRESET',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a `pg` connection error. */
export function classifyPostgresError(error: unknown): ProbeFailureReason {
  if (error instanceof ProbeTimeout) return 'timeout';
  const code = errorCode(error);
  // 28P01 invalid_password, 28000 invalid_authorization_specification (pg_hba rejects the user or host).
  if (code === '28P01' || code === '28000') return 'authentication';
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (error instanceof AggregateError) {
    const codes = error.errors.map(errorCode);
    if (codes.some((c) => c !== undefined && UNREACHABLE_CODES.has(c))) return 'unreachable';
  }
  const message = errorMessage(error);
  if (/timeout expired|connection timeout/i.test(message)) return 'timeout';
  if (/SASL|password must be a string|password authentication/i.test(message)) return 'authentication';
  if (/SSL|TLS|certificate|self[- ]signed/i.test(message)) return 'tls';
  return 'error';
}

/** Classifies a node-redis (`@redis/client`) error: the rejection of `connect()` or of a command. */
export function classifyRedisError(error: unknown): ProbeFailureReason {
  if (error instanceof ProbeTimeout) return 'timeout';
  const code = errorCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  const message = errorMessage(error);
  if (/^(WRONGPASS|NOAUTH)\b/.test(message) || /invalid password|AUTH failed/i.test(message)) {
    return 'authentication';
  }
  if (/SSL|TLS|certificate|self[- ]signed|EPROTO/i.test(message)) return 'tls';
  return 'error';
}

type PostgresTarget = Pick<
  NetraBackendConfig['database'],
  'host' | 'port' | 'name' | 'user' | 'password' | 'sslMode'
>;
type RedisTarget = Pick<NetraBackendConfig['redis'], 'host' | 'port' | 'password' | 'tls'>;

/** The `ssl` option `pg` takes for a `DATABASE_SSL_MODE`. Unix sockets (`/cloudsql/…`) never use TLS. */
export function postgresSslOption(target: Pick<PostgresTarget, 'host' | 'sslMode'>) {
  if (target.host.startsWith('/')) return false;
  if (target.sslMode === 'disable') return false;
  if (target.sslMode === 'require') return { rejectUnauthorized: false };
  // SNI takes host names only (RFC 6066); the certificate is still checked against an IP host.
  return { rejectUnauthorized: true, ...(isIP(target.host) === 0 ? { servername: target.host } : {}) };
}

/** Connects to PostgreSQL, runs `SHOW server_version`, disconnects. */
export async function probePostgres(
  target: PostgresTarget,
  options: { timeoutMs: number },
): Promise<ProbeResult> {
  const started = performance.now();
  const address = target.host.startsWith('/') ? target.host : `${target.host}:${target.port}`;
  const ssl = postgresSslOption(target);
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.name,
    user: target.user,
    // A function, because pg replaces a missing or empty password with PGPASSWORD or ~/.pgpass, and the probe must
    // use the configuration only.
    password: async () => target.password ?? '',
    ssl,
    connectionTimeoutMillis: options.timeoutMs,
    application_name: 'netra-verify probe',
  });
  client.on('error', () => {}); // a late socket error after the timeout must not crash the CLI
  try {
    const serverVersion = await withTimeout(
      options.timeoutMs,
      async () => {
        await client.connect();
        const result = await client.query<{ server_version: string }>('SHOW server_version');
        return result.rows[0]?.server_version;
      },
      () => {
        client.end().catch(() => {});
        // end() waits for the server to close; one that never answers would hold the process open.
        (
          client as unknown as { connection?: { stream?: { destroy(): void } } }
        ).connection?.stream?.destroy();
      },
    );
    return {
      target: 'postgresql',
      address,
      ok: true,
      tls: ssl !== false,
      ...(serverVersion === undefined ? {} : { serverVersion }),
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      target: 'postgresql',
      address,
      ok: false,
      tls: ssl !== false,
      reason: classifyPostgresError(error),
      detail: errorMessage(error),
      elapsedMs: Math.round(performance.now() - started),
    };
  }
}

/** Connects to Redis (AUTH when a password is configured, TLS when `REDIS_TLS`), runs `PING`, disconnects. */
export async function probeRedis(target: RedisTarget, options: { timeoutMs: number }): Promise<ProbeResult> {
  const started = performance.now();
  const address = `${target.host}:${target.port}`;
  const { createClient } = await import('@redis/client');
  const redis = createClient({
    socket: {
      host: target.host,
      port: target.port,
      ...(target.tls
        ? { tls: true as const, ...(isIP(target.host) === 0 ? { servername: target.host } : {}) }
        : {}),
      connectTimeout: options.timeoutMs,
      reconnectStrategy: false,
    },
    ...(target.password === undefined ? {} : { password: target.password }),
    name: 'netra-verify-probe',
    disableOfflineQueue: true,
  });
  // connect() rejects with the cause; the same error is also emitted, and an unheard `error` event would throw.
  redis.on('error', () => {});
  try {
    const serverVersion = await withTimeout(
      options.timeoutMs,
      async () => {
        await redis.connect();
        await redis.ping();
        const info = String(await redis.info('server'));
        return /^redis_version:(\S+)/m.exec(info)?.[1];
      },
      () => {
        if (redis.isOpen) redis.destroy();
      },
    );
    return {
      target: 'redis',
      address,
      ok: true,
      tls: target.tls,
      ...(typeof serverVersion === 'string' ? { serverVersion } : {}),
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      target: 'redis',
      address,
      ok: false,
      tls: target.tls,
      reason: classifyRedisError(error),
      detail: errorMessage(error),
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    if (redis.isOpen) redis.destroy();
  }
}

const REASON_TEXT: Record<ProbeFailureReason, string> = {
  unreachable: 'unreachable',
  authentication: 'authentication refused',
  timeout: 'timed out',
  tls: 'TLS handshake failed',
  error: 'failed',
};

/** Turns a failed probe into its `probe-failed` issue: which variables to look at and what to do. */
export function probeIssue(result: ProbeResult, timeoutMs: number): Issue {
  const postgres = result.target === 'postgresql';
  const name = postgres ? 'PostgreSQL' : 'Redis';
  const reason = result.reason ?? 'error';
  const hosts = postgres ? 'DATABASE_HOST/DATABASE_PORT' : 'REDIS_HOST/REDIS_PORT';
  const hints: Record<ProbeFailureReason, string> = {
    unreachable: `Check ${hosts}, that the server is running, and that this machine (or the service's VPC egress) can reach it.`,
    authentication: postgres
      ? 'Check DATABASE_USER and DATABASE_PASSWORD (or its Secret Manager version) against the database user.'
      : 'Check REDIS_PASSWORD (or its Secret Manager version) against the instance AUTH string.',
    timeout:
      `Nothing answered within ${timeoutMs} ms: check ${hosts} (a firewall dropping packets, or not a ${name} server)` +
      (result.tls
        ? `, and ${postgres ? 'DATABASE_SSL_MODE' : 'REDIS_TLS'}: a server without TLS does not answer the handshake`
        : '') +
      '; raise --timeout for a slow link.',
    tls: postgres
      ? 'Check DATABASE_SSL_MODE: the server and the mode must agree (verify-full needs a certificate for the host).'
      : 'Check REDIS_TLS: it must match the instance (Memorystore in-transit encryption).',
    error: `Check the ${name} settings (${hosts}).`,
  };
  const key =
    reason === 'authentication'
      ? postgres
        ? 'database.password'
        : 'redis.password'
      : postgres
        ? 'database.host'
        : 'redis.host';
  const variable =
    reason === 'authentication'
      ? postgres
        ? 'DATABASE_PASSWORD'
        : 'REDIS_PASSWORD'
      : postgres
        ? 'DATABASE_HOST'
        : 'REDIS_HOST';
  return {
    severity: 'error',
    code: 'probe-failed',
    key,
    variable,
    message: `${name} at ${result.address}: ${REASON_TEXT[reason]}${result.detail === undefined ? '' : ` (${result.detail})`}`,
    hint: hints[reason],
    status: reason,
  };
}

/** Runs `probe`: returns 0 when both connections succeed, 1 when a probe (or the configuration) fails. */
export async function runProbe(options: ProbeOptions, io: Io): Promise<number> {
  const loaded = await loadCommandConfig(
    { ...options, readKeys: ['database.password', 'redis.password'] },
    io,
  );
  if (!loaded.ok) {
    writeReport(io, options, loaded.environment, loaded.issues, []);
    return EXIT_ISSUES;
  }
  const { config } = loaded;
  // A password bound to Secret Manager and not read would make the probe fail for the wrong reason.
  const unread = [...loaded.notRead].filter(
    ([name]) => name === 'DATABASE_PASSWORD' || name === 'REDIS_PASSWORD',
  );
  if (unread.length > 0) {
    const issues: Issue[] = unread.map(([name, binding]) => ({
      severity: 'error',
      code: 'missing',
      key: name === 'DATABASE_PASSWORD' ? 'database.password' : 'redis.password',
      variable: name,
      message: `${name} is bound to Secret Manager (${binding.secret}:${binding.version}) and was not read, so the probe cannot authenticate`,
      hint: `Pass --project PROJECT to read it from Secret Manager, or set ${name} (or ${name}=sm://PROJECT/${binding.secret}) in an --env-file.`,
    }));
    writeReport(io, options, loaded.environment, issues, []);
    return EXIT_ISSUES;
  }
  const results = await Promise.all([
    probePostgres(config.database, { timeoutMs: options.timeoutMs }),
    probeRedis(config.redis, { timeoutMs: options.timeoutMs }),
  ]);
  const issues = [
    ...loaded.warnings,
    ...results.filter((r) => !r.ok).map((r) => probeIssue(r, options.timeoutMs)),
  ];
  writeReport(io, options, config.environment, issues, results);
  return issues.some((issue) => issue.severity === 'error') ? EXIT_ISSUES : EXIT_OK;
}

function writeReport(
  io: Io,
  options: ProbeOptions,
  environment: string | undefined,
  issues: Issue[],
  results: ProbeResult[],
): void {
  const ok = !issues.some((issue) => issue.severity === 'error');
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok, environment: environment ?? null, probes: results, issues: issues.map(jsonIssue) }, null, 2)}\n`,
    );
    return;
  }
  const lines = results.map((r) => {
    const name = r.target === 'postgresql' ? 'PostgreSQL' : 'Redis';
    if (r.ok) {
      return `ok    ${name} ${r.address}${r.tls ? ' over TLS' : ''}${r.serverVersion === undefined ? '' : ` (server ${r.serverVersion})`} in ${r.elapsedMs} ms`;
    }
    return `FAIL  ${name} ${r.address}: ${REASON_TEXT[r.reason ?? 'error']} after ${r.elapsedMs} ms`;
  });
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  if (issues.length > 0) {
    io.stdout.write(
      `${formatIssues(issues, { color: shouldUseColor(io.stdout, io.env), title: `probe (${environment ?? 'unknown environment'})` })}\n`,
    );
  }
}
