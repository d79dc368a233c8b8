import type { NetraBackendConfig } from '@netra/backend-schema';
import { type Environment, formatIssues, type Issue } from '@netra/config-schema';
import type { OAuthConfig } from '@netra/oauth-config';
import type { FastifyInstance } from 'fastify';
import { type AppDependencies, buildApp } from './app.ts';
import {
  ConnectError,
  connectPostgres,
  connectRedis,
  createPostgresPool,
  createRedisClient,
  type RetryOptions,
} from './dependencies.ts';
import { describeError } from './http-errors.ts';
import { RunStore } from './run-store.ts';
import { loadSettings } from './settings.ts';

/** Exit code of a configuration failure (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;
/** Exit code when PostgreSQL or Redis cannot be reached after the bounded retries (sysexits EX_UNAVAILABLE). */
export const EXIT_UNAVAILABLE = 69;

/**
 * The service refused to start. `report` is config-schema's `formatIssues` text (the verifier's format);
 * `exitCode` is {@link EXIT_CONFIG} for configuration and secret problems, {@link EXIT_UNAVAILABLE} for
 * unreachable dependencies. Neither carries a secret value.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly code: 'CONFIG_INVALID' | 'DEPENDENCY_UNAVAILABLE';
  readonly exitCode: number;
  readonly issues: Issue[];
  readonly report: string;

  constructor(options: {
    code: 'CONFIG_INVALID' | 'DEPENDENCY_UNAVAILABLE';
    issues: Issue[];
    environment: Environment | undefined;
    cause?: unknown;
  }) {
    const what =
      options.code === 'CONFIG_INVALID' ? 'its configuration is invalid' : 'a dependency is unavailable';
    const title = `netra sample-service refused to start${options.environment ? ` (${options.environment})` : ''}: ${what}`;
    const report = formatIssues(options.issues, { title });
    super(report, { cause: options.cause });
    this.code = options.code;
    this.exitCode = options.code === 'CONFIG_INVALID' ? EXIT_CONFIG : EXIT_UNAVAILABLE;
    this.issues = options.issues;
    this.report = report;
  }
}

/** Milliseconds spent in each start-up step. */
export interface StartupTimings {
  /** The verdict: secrets and configuration (`safeLoadStartup`). */
  secretsMs: number;
  oauthMs: number;
  /** Building the app and connecting PostgreSQL and Redis (concurrently). */
  connectMs: number;
  /** Creating the runs table if missing. */
  schemaMs: number;
  listenMs: number;
  totalMs: number;
}

/** Options of {@link startService}. */
export interface StartServiceOptions
  extends Pick<
    AppDependencies,
    | 'tableName'
    | 'keyPrefix'
    | 'routingTtlSeconds'
    | 'readinessTimeoutMs'
    | 'oauthStateTtlSeconds'
    | 'sessionTtlSeconds'
    | 'logger'
  > {
  /** The process environment, the service's only configuration. @default process.env */
  env?: Record<string, string | undefined>;
  /** Interface to listen on. @default '127.0.0.1' in development/test, '0.0.0.0' in staging/production */
  host?: string;
  /** Port to listen on (`0`: a free one). @default config.port (PORT) */
  port?: number;
  /** Bounded retries of the PostgreSQL and Redis connections. @default { attempts: 5, delayMs: 100 } */
  connect?: RetryOptions;
}

/** A started service. */
export interface RunningService {
  app: FastifyInstance;
  config: NetraBackendConfig;
  oauth: OAuthConfig | null;
  /** `http://host:port` it listens on. */
  url: string;
  timings: StartupTimings;
  /** Stops accepting, finishes in-flight requests, closes the pools. */
  close(): Promise<void>;
}

/**
 * Starts the service: environment → secrets → configuration → OAuth → PostgreSQL and Redis (bounded
 * retries) → runs table → listen. Throws {@link StartupError} before anything listens when the
 * configuration is invalid or a dependency stays unreachable, after closing whatever it opened.
 *
 * @example
 * const service = await startService({ env: process.env });
 * process.once('SIGTERM', () => service.close());
 */
export async function startService(options: StartServiceOptions = {}): Promise<RunningService> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const settings = await loadSettings({ env });
  if (!settings.ok) {
    throw new StartupError({
      code: 'CONFIG_INVALID',
      issues: settings.issues,
      environment: settings.environment,
    });
  }
  const { config, oauth, environment } = settings;

  let phase = performance.now();
  let log: FastifyInstance['log'] | undefined;
  const postgres = createPostgresPool(config, {
    onError: (error) =>
      log?.warn({ dependency: 'postgres', error: describeError(error) }, 'PostgreSQL error'),
  });
  const redis = createRedisClient(config, {
    onError: (error) => log?.warn({ dependency: 'redis', error: describeError(error) }, 'Redis error'),
  });
  const app = buildApp({
    config,
    oauth,
    postgres,
    redis,
    tableName: options.tableName,
    keyPrefix: options.keyPrefix,
    routingTtlSeconds: options.routingTtlSeconds,
    readinessTimeoutMs: options.readinessTimeoutMs,
    oauthStateTtlSeconds: options.oauthStateTtlSeconds,
    sessionTtlSeconds: options.sessionTtlSeconds,
    logger: options.logger,
  });
  log = app.log;
  app.log.info(
    {
      environment,
      // An array, not an object keyed by variable: the redaction paths would hide the (harmless) source kinds.
      secrets: Object.entries(settings.sources)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([variable, source]) => ({ variable, source: source.kind })),
    },
    'configuration loaded',
  );
  for (const warning of settings.warnings) {
    app.log.warn({ code: warning.code, variable: warning.variable }, warning.message);
  }
  if (oauth) app.log.info({ issuer: oauth.issuer, redirectUri: oauth.redirectUri }, 'OAuth enabled');
  else app.log.warn('OAuth disabled: no OAuth client is configured; /auth/* answer 503 oauth-disabled');

  try {
    await Promise.all([connectPostgres(postgres, options.connect), connectRedis(redis, options.connect)]);
  } catch (error) {
    await app.close();
    if (!(error instanceof ConnectError)) throw error;
    throw new StartupError({
      code: 'DEPENDENCY_UNAVAILABLE',
      environment,
      cause: error,
      issues: [connectIssue(error, config)],
    });
  }
  const connectMs = performance.now() - phase;

  phase = performance.now();
  const store = new RunStore({ postgres, redis, tableName: options.tableName });
  try {
    await store.ensureSchema();
  } catch (error) {
    await app.close();
    throw new Error(`creating the ${store.tableName} table failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  const schemaMs = performance.now() - phase;

  phase = performance.now();
  const host =
    options.host ?? (environment === 'development' || environment === 'test' ? '127.0.0.1' : '0.0.0.0');
  let url: string;
  try {
    url = await app.listen({ host, port: options.port ?? config.port });
  } catch (error) {
    await app.close(); // e.g. EADDRINUSE: close the pools instead of leaving them open
    throw error;
  }
  const listenMs = performance.now() - phase;

  const timings: StartupTimings = {
    ...settings.timings,
    connectMs,
    schemaMs,
    listenMs,
    totalMs: performance.now() - started,
  };
  return { app, config, oauth, url, timings, close: () => app.close() };
}

function connectIssue(error: ConnectError, config: NetraBackendConfig): Issue {
  const postgres = error.dependency === 'postgres';
  const where = postgres
    ? `${config.database.host}:${config.database.port}/${config.database.name} as ${config.database.user}`
    : `${config.redis.host}:${config.redis.port}`;
  return {
    severity: 'error',
    code: 'probe-failed',
    key: postgres ? 'database.host' : 'redis.host',
    variable: postgres ? 'DATABASE_HOST' : 'REDIS_HOST',
    message: `${error.message} (${where}).`,
    hint: postgres
      ? 'Start PostgreSQL or point DATABASE_HOST/DATABASE_PORT/DATABASE_NAME/DATABASE_USER/DATABASE_PASSWORD at it; `netra-verify probe` checks the same connection.'
      : 'Start Redis or point REDIS_HOST/REDIS_PORT/REDIS_PASSWORD/REDIS_TLS at it; `netra-verify probe` checks the same connection.',
  };
}
