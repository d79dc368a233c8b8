import { generateRunId, parseRunIdOrThrow, RunIdError } from '@netra/ids';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema, HttpError } from '../http-errors.ts';
import type { RunStore } from '../run-store.ts';

const runSchema = {
  type: 'object',
  required: ['runId', 'threadId', 'createdAt'],
  properties: {
    runId: { type: 'string' },
    threadId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/**
 * `POST /threads/:threadId/runs` and `GET /runs/:runId`. The IDs are judged by `@netra/ids` alone (1 to 256
 * letters, digits and `-._~`, not `.` or `..`; run IDs at most 283 characters): a bad one is 400 with its
 * code and the rule, so `/threads/../runs` and `/threads/%2E%2E/runs` never create a run.
 */
export function registerRunRoutes(app: FastifyInstance, context: { runs: RunStore }): void {
  app.post<{ Params: { threadId: string } }>(
    '/threads/:threadId/runs',
    {
      schema: {
        params: {
          type: 'object',
          required: ['threadId'],
          properties: { threadId: { type: 'string' } },
        },
        response: { 201: runSchema, 400: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { threadId } = request.params;
      let runId: string;
      try {
        runId = generateRunId(threadId);
      } catch (error) {
        if (error instanceof RunIdError) {
          throw new HttpError({ statusCode: 400, code: error.code, message: error.message, cause: error });
        }
        throw error;
      }
      const run = await context.runs.create({ runId, threadId });
      return reply.code(201).send(run);
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/runs/:runId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['runId'],
          properties: { runId: { type: 'string' } },
        },
        response: {
          200: {
            ...runSchema,
            required: [...runSchema.required, 'format'],
            properties: { ...runSchema.properties, format: { type: 'string', enum: ['current', 'legacy'] } },
          },
          400: errorBodySchema,
          404: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const { runId } = request.params;
      let parsed: ReturnType<typeof parseRunIdOrThrow>;
      try {
        parsed = parseRunIdOrThrow(runId);
      } catch (error) {
        if (error instanceof RunIdError) {
          throw new HttpError({ statusCode: 400, code: error.code, message: error.message, cause: error });
        }
        throw error;
      }
      const run = await context.runs.get(runId);
      if (!run) {
        throw new HttpError({
          statusCode: 404,
          code: 'run-not-found',
          message: `No run ${runId} (thread ${parsed.threadId}).`,
          details: { runId, threadId: parsed.threadId },
        });
      }
      return { ...run, format: parsed.format };
    },
  );
}
