/**
 * `netra-verify probe --env E [--env-file F]… [--timeout MS] [--json]`: loads the configuration the way `check`
 * does, then connects to every PostgreSQL and Redis fragment of the schema (found by role: `postgres`, `redis`)
 * with the configured credentials and TLS settings.
 * A failure is one `probe-failed` issue whose message says why; the probe's `reason` (in `--json`'s `probes`) is
 * `unreachable`, `authentication`, `timeout`, `tls` or `error`. `pg` and `@redis/client` are imported only here,
 * when a probe runs.
 */
import { isIP } from 'node:net';
import { describeSchema, formatIssues, fragmentsOf, type Issue } from '@netra/config-schema';
import type { CommandContext } from '../context';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import { loadCommandConfig } from '../load-config';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

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
type ProbeFailureReason = 'unreachable' | 'authentication' | 'timeout' | 'tls' | 'error';

/** The outcome of one connection attempt. Never holds a password. */
interface ProbeResult {
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
const DEFAULT_PROBE_TIMEOUT_MS = 5000;

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
function classifyPostgresError(error: unknown): ProbeFailureReason {
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
function classifyRedisError(error: unknown): ProbeFailureReason {
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

/** The loaded settings of a `postgres` fragment (databaseFragment). */
interface PostgresTarget {
  host: string;
  port: number;
  name: string;
  user: string;
  password: string | undefined;
  sslMode: 'disable' | 'require' | 'verify-full';
}
/** The loaded settings of a `redis` fragment (redisFragment). */
interface RedisTarget {
  host: string;
  port: number;
  password: string | undefined;
  tls: boolean;
}

/** A fragment to probe: its key in the schema and the variable names of its settings in this environment. */
interface ProbeFragment {
  role: 'postgres' | 'redis';
  /** Key path of the fragment, e.g. `billingDb`. */
  key: string;
  /** Variable name of each setting (`host`, `port`, `user`, `password`, `sslMode` / `tls`) in this environment. */
  names: Readonly<Record<string, string>>;
}

/** The `ssl` option `pg` takes for a `DATABASE_SSL_MODE`. Unix sockets (`/cloudsql/…`) never use TLS. */
function postgresSslOption(target: Pick<PostgresTarget, 'host' | 'sslMode'>) {
  if (target.host.startsWith('/')) return false;
  if (target.sslMode === 'disable') return false;
  if (target.sslMode === 'require') return { rejectUnauthorized: false };
  // SNI takes host names only (RFC 6066); the certificate is still checked against an IP host.
  return { rejectUnauthorized: true, ...(isIP(target.host) === 0 ? { servername: target.host } : {}) };
}

/** Connects to PostgreSQL, runs `SHOW server_version`, disconnects. */
async function probePostgres(target: PostgresTarget, options: { timeoutMs: number }): Promise<ProbeResult> {
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
async function probeRedis(target: RedisTarget, options: { timeoutMs: number }): Promise<ProbeResult> {
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

/** Turns a failed probe of `fragment` into its `probe-failed` issue: which variables to look at and what to do. */
function probeIssue(result: ProbeResult, timeoutMs: number, fragment: ProbeFragment): Issue {
  const postgres = result.target === 'postgresql';
  const name = postgres ? 'PostgreSQL' : 'Redis';
  const reason = result.reason ?? 'error';
  const n = (setting: string) => fragment.names[setting] ?? `${fragment.key}.${setting}`;
  const hosts = `${n('host')}/${n('port')}`;
  const transport = postgres ? n('sslMode') : n('tls');
  const hints: Record<ProbeFailureReason, string> = {
    unreachable: `Check ${hosts}, that the server is running, and that this machine (or the service's VPC egress) can reach it.`,
    authentication: postgres
      ? `Check ${n('user')} and ${n('password')} (or its Secret Manager version) against the database user.`
      : `Check ${n('password')} (or its Secret Manager version) against the instance AUTH string.`,
    timeout:
      `Nothing answered within ${timeoutMs} ms: check ${hosts} (a firewall dropping packets, or not a ${name} server)` +
      (result.tls ? `, and ${transport}: a server without TLS does not answer the handshake` : '') +
      '; raise --timeout for a slow link.',
    tls: postgres
      ? `Check ${transport}: the server and the mode must agree (verify-full needs a certificate for the host).`
      : `Check ${transport}: it must match the instance (Memorystore in-transit encryption).`,
    error: `Check the ${name} settings (${hosts}).`,
  };
  const setting = reason === 'authentication' ? 'password' : 'host';
  return {
    severity: 'error',
    code: 'probe-failed',
    key: `${fragment.key}.${setting}`,
    variable: n(setting),
    message: `${name} at ${result.address}: ${REASON_TEXT[reason]}${result.detail === undefined ? '' : ` (${result.detail})`}`,
    hint: hints[reason],
    status: reason,
  };
}

/** The value at a key path (`billingDb`) of a loaded config. */
function configAt(config: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, segment) => (node as Record<string, unknown>)?.[segment], config);
}

/**
 * Runs `probe`: connects to every PostgreSQL and Redis fragment of the schema (by role, whatever their keys and
 * prefixes); 0 when every connection succeeds, 1 when a probe (or the configuration) fails.
 */
export async function runProbe(options: ProbeOptions, io: Io, context: CommandContext): Promise<number> {
  const found = fragmentsOf(context.schema).filter(
    (fragment): fragment is typeof fragment & { role: 'postgres' | 'redis' } =>
      fragment.role === 'postgres' || fragment.role === 'redis',
  );
  const loaded = await loadCommandConfig(
    context,
    { ...options, readKeys: found.map((fragment) => `${fragment.key}.password`) },
    io,
  );
  if (!loaded.ok) {
    writeReport(io, options, loaded.environment, loaded.issues, []);
    return EXIT_ISSUES;
  }
  const { config } = loaded;
  const descriptions = describeSchema(context.schema, loaded.environment);
  const fragments: ProbeFragment[] = found.map((fragment) => ({
    role: fragment.role,
    key: fragment.key,
    names: Object.fromEntries(
      descriptions
        .filter((description) => description.key.startsWith(`${fragment.key}.`))
        .map((description) => [description.key.slice(fragment.key.length + 1), description.variable]),
    ),
  }));
  // A password bound to Secret Manager and not read would make the probe fail for the wrong reason.
  const passwords = new Map(
    fragments.flatMap((fragment) =>
      fragment.names.password === undefined ? [] : [[fragment.names.password, fragment] as const],
    ),
  );
  const unread = [...loaded.notRead].filter(([name]) => passwords.has(name));
  if (unread.length > 0) {
    const issues: Issue[] = unread.map(([name, binding]) => ({
      severity: 'error',
      code: 'missing',
      key: `${passwords.get(name)!.key}.password`,
      variable: name,
      message: `${name} is bound to Secret Manager (${binding.secret}:${binding.version}) and was not read, so the probe cannot authenticate`,
      hint: `Pass --project PROJECT to read it from Secret Manager, or set ${name} (or ${name}=sm://PROJECT/${binding.secret}) in an --env-file.`,
    }));
    writeReport(io, options, loaded.environment, issues, []);
    return EXIT_ISSUES;
  }
  if (fragments.length === 0) {
    const issues: Issue[] = [
      {
        severity: 'warning',
        code: 'probe-failed',
        key: '',
        variable: '',
        message: `The schema (${context.schemaSource}) has no PostgreSQL or Redis fragment: nothing to probe`,
        hint: 'Compose databaseFragment() or redisFragment() into the schema to have probe connect to them.',
      },
    ];
    writeReport(io, options, loaded.environment, [...loaded.warnings, ...issues], []);
    return EXIT_OK;
  }
  const results = await Promise.all(
    fragments.map((fragment) =>
      fragment.role === 'postgres'
        ? probePostgres(configAt(config, fragment.key) as PostgresTarget, { timeoutMs: options.timeoutMs })
        : probeRedis(configAt(config, fragment.key) as RedisTarget, { timeoutMs: options.timeoutMs }),
    ),
  );
  const issues = [
    ...loaded.warnings,
    ...results.flatMap((result, index) =>
      result.ok ? [] : [probeIssue(result, options.timeoutMs, fragments[index]!)],
    ),
  ];
  writeReport(io, options, loaded.environment, issues, results);
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
