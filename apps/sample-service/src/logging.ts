import { netraBackendSchema } from '@netra/backend-schema';
import { type ConfigSchema, describeSchema } from '@netra/config-schema';
import type { FastifyServerOptions } from 'fastify';

/** What a log line shows instead of a sensitive value. */
export const REDACTED = '[redacted]';

/**
 * The pino redact paths for every sensitive setting of `schema`, derived from `describeSchema` so a new
 * secret in the schema is redacted without touching this service. Each sensitive setting is covered by its
 * logical key (`database.password`, as in the config object) and by every variable name it has in any
 * environment (`JWT_SECRET`, `JWT_SECRET_STAGING` …, as in an env or secrets record), at the top level of the
 * logged object and one level down (`{ config: … }`, `{ env: … }`).
 *
 * @example
 * sensitiveLogPaths(); // ['jwtSecret', '*.jwtSecret', 'JWT_SECRET', '*.JWT_SECRET', …]
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema's config type does not matter here
export function sensitiveLogPaths(schema: ConfigSchema<any> = netraBackendSchema): string[] {
  const names = new Set<string>();
  for (const environment of Object.keys(schema.environments)) {
    for (const variable of describeSchema(schema, environment)) {
      if (!variable.sensitive) continue;
      names.add(variable.key);
      names.add(variable.variable);
      for (const other of variable.otherNames) names.add(other);
    }
  }
  const paths: string[] = [];
  for (const name of [...names].sort()) {
    // pino paths are dot-separated identifiers; bracket-quote anything else.
    const path = name
      .split('.')
      .map((segment) => (/^[A-Za-z_$][\w$]*$/.test(segment) ? segment : `["${segment}"]`))
      .join('.')
      .replace(/\.\[/g, '[');
    paths.push(path, `*.${path}`);
  }
  return paths;
}

/**
 * The Fastify logger options of the service: pino at `level`, sensitive settings redacted, request URLs
 * logged without their query string (an OAuth callback carries a code and a state there).
 *
 * @example
 * Fastify({ logger: loggerOptions({ level: config.logLevel }) });
 */
export function loggerOptions(options: {
  /** pino level. @default 'info' */
  level?: string;
  /** Where log lines go (tests pass a stream to read them). @default stdout */
  stream?: NodeJS.WritableStream;
}): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: options.level ?? 'info',
    redact: { paths: sensitiveLogPaths(), censor: REDACTED },
    ...(options.stream ? { stream: options.stream } : {}),
    serializers: {
      req(request: { method: string; url: string; ip?: string }) {
        return { method: request.method, url: request.url.split('?')[0], remoteAddress: request.ip };
      },
    },
  };
}
