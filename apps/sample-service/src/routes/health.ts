import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { type ProbeResult, probe, type RedisClient } from '../dependencies.ts';

const probeSchema = {
  type: 'object',
  required: ['status', 'latencyMs'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    latencyMs: { type: 'number' },
    error: { type: 'string' },
  },
} as const;

const checksSchema = {
  type: 'object',
  required: ['postgres', 'redis'],
  properties: { postgres: probeSchema, redis: probeSchema },
} as const;

const LABELS = { postgres: 'PostgreSQL', redis: 'Redis' } as const;

/** `GET /healthz` (the process lives) and `GET /readyz` (PostgreSQL and Redis answer in time). */
export function registerHealthRoutes(
  app: FastifyInstance,
  context: { postgres: Pool; redis: RedisClient; readinessTimeoutMs: number },
): void {
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        response: { 200: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'checks'],
            properties: { status: { const: 'ready' }, checks: checksSchema },
          },
          503: {
            type: 'object',
            required: ['code', 'message', 'status', 'failed', 'checks'],
            properties: {
              code: { const: 'not-ready' },
              message: { type: 'string' },
              status: { const: 'not-ready' },
              failed: { type: 'array', items: { type: 'string', enum: ['postgres', 'redis'] } },
              checks: checksSchema,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const timeoutMs = context.readinessTimeoutMs;
      const [postgres, redis] = await Promise.all([
        probe(() => context.postgres.query('SELECT 1'), { timeoutMs }),
        probe(() => context.redis.ping(), { timeoutMs }),
      ]);
      const checks: Record<'postgres' | 'redis', ProbeResult> = { postgres, redis };
      const failed = (['postgres', 'redis'] as const).filter((name) => checks[name].status === 'down');
      if (failed.length === 0) return { status: 'ready' as const, checks };
      // The drivers' errors (addresses, server messages) go to the log; the body says only what is down.
      request.log.warn({ failed, checks }, 'not ready');
      const message = failed.map((name) => `${LABELS[name]} is not ready.`).join(' ');
      const shown = {
        postgres: { status: postgres.status, latencyMs: postgres.latencyMs },
        redis: { status: redis.status, latencyMs: redis.latencyMs },
      };
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ code: 'not-ready', message, status: 'not-ready', failed, checks: shown });
    },
  );
}
