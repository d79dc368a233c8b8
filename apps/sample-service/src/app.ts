import type { NetraBackendConfig } from '@netra/backend-schema';
import { type OAuthConfig, openidClientConfiguration } from '@netra/oauth-config';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { Configuration } from 'openid-client';
import type { Pool } from 'pg';
import { closeRedis, type RedisClient } from './dependencies.ts';
import { codeForStatus, DependencyError, HttpError } from './http-errors.ts';
import { loggerOptions } from './logging.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { RunStore } from './run-store.ts';

/** Everything the HTTP app needs; tests inject their own configuration, pools and names. */
export interface AppDependencies {
  /** The validated configuration (from `loadConfig`). */
  config: NetraBackendConfig;
  /** The OAuth client; `null` when OAuth is disabled (development and test without a client). */
  oauth: OAuthConfig | null;
  /** Connected PostgreSQL pool; closed when the app closes. */
  postgres: Pool;
  /** Connected Redis client; closed when the app closes. */
  redis: RedisClient;
  /** PostgreSQL table of runs. @default 'runs' */
  tableName?: string;
  /** Prefix of every Redis key (runs, OAuth states). @default 'netra:sample:' */
  keyPrefix?: string;
  /** TTL of the run → thread routing key. @default 86400 */
  routingTtlSeconds?: number;
  /** Per-dependency timeout of `/readyz`. @default 1000 */
  readinessTimeoutMs?: number;
  /** TTL of an OAuth state (and its PKCE verifier) in Redis. @default 600 */
  oauthStateTtlSeconds?: number;
  /** Lifetime of the session token `/auth/callback` returns. @default 3600 */
  sessionTtlSeconds?: number;
  /** Fastify logger: options, or `false`. @default pino at `config.logLevel`, sensitive settings redacted */
  logger?: FastifyServerOptions['logger'];
  /** OpenID discovery. @default openidClientConfiguration from @netra/oauth-config */
  openidConfiguration?: (oauth: OAuthConfig) => Promise<Configuration>;
}

/**
 * The service's Fastify app: routes, JSON errors with stable codes, and `onClose` hooks that close the
 * pools. It does not listen; `startService` (or a test's `app.inject`) does.
 *
 * @example
 * const app = buildApp({ config, oauth: null, postgres, redis, tableName: 'runs_test' });
 * await app.ready();
 * const response = await app.inject({ method: 'GET', url: '/readyz' });
 */
export function buildApp(deps: AppDependencies): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions({ level: deps.config.logLevel }),
    // Answer requests that arrive while closing with our own JSON 503 (below) instead of Fastify's.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    bodyLimit: 64 * 1024,
    // Long enough for the route schemas to judge the IDs (and answer 400 with a reason), bounded still.
    routerOptions: { maxParamLength: 512 },
    // Errors the router raises before any route (bad URL encoding, an over-long parameter): same JSON shape.
    frameworkErrors: (error, _request, reply) => {
      const statusCode = error.statusCode ?? 400;
      // The option's generic reply type admits only schema-declared codes; this reply has no route schema.
      (reply as FastifyReply)
        .code(statusCode)
        .send({ code: codeForStatus(statusCode), message: error.message });
    },
  });

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) {
      throw new HttpError({
        statusCode: 503,
        code: 'shutting-down',
        message: 'The service is shutting down.',
      });
    }
  });
  // While closing, every response (in-flight ones included) ends its keep-alive connection, so the server
  // closes as soon as the last request is answered instead of waiting for idle sockets to time out.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      if (error.statusCode >= 500) request.log.warn({ code: error.code }, error.message);
      return reply
        .code(error.statusCode)
        .send({ code: error.code, message: error.message, ...error.details });
    }
    if (error instanceof DependencyError) {
      request.log.warn({ dependency: error.dependency }, error.message);
      // A stable problem body: no driver text, address or stack, whatever failed.
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ code: 'dependency-unavailable', message: error.publicMessage, dependency: error.dependency });
    }
    const fastifyError = error as {
      validation?: { instancePath: string; message?: string }[];
      statusCode?: number;
    };
    if (fastifyError.validation) {
      return reply.code(400).send({
        code: 'invalid-request',
        message: (error as Error).message,
        details: fastifyError.validation.map((issue) => ({
          path: issue.instancePath,
          message: issue.message,
        })),
      });
    }
    const statusCode = fastifyError.statusCode ?? 500;
    if (statusCode < 500) {
      return reply
        .code(statusCode)
        .send({ code: codeForStatus(statusCode), message: (error as Error).message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 'internal-error', message: 'Internal error; see the service log.' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: 'not-found', message: `No route ${request.method} ${request.url.split('?')[0]}.` }),
  );

  const keyPrefix = deps.keyPrefix ?? 'netra:sample:';
  const runs = new RunStore({
    postgres: deps.postgres,
    redis: deps.redis,
    tableName: deps.tableName,
    keyPrefix,
    routingTtlSeconds: deps.routingTtlSeconds,
  });

  registerHealthRoutes(app, {
    postgres: deps.postgres,
    redis: deps.redis,
    readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
  });
  registerRunRoutes(app, { runs });
  registerAuthRoutes(app, {
    config: deps.config,
    oauth: deps.oauth,
    redis: deps.redis,
    keyPrefix,
    stateTtlSeconds: deps.oauthStateTtlSeconds ?? 600,
    sessionTtlSeconds: deps.sessionTtlSeconds ?? 3600,
    openidConfiguration: deps.openidConfiguration ?? openidClientConfiguration,
  });

  app.addHook('onClose', async () => {
    await Promise.allSettled([deps.postgres.end(), closeRedis(deps.redis)]);
  });

  return app;
}
