/**
 * Every error response of the service is `{ code, message }` (plus optional details); `code` is stable API.
 *
 * @example
 * throw new HttpError({ statusCode: 404, code: 'run-not-found', message: 'No run run_t_1_abcdef12.' });
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** The HTTP status sent. */
  readonly statusCode: number;
  /** Stable, kebab-case error code clients can branch on. */
  readonly code: string;
  /** Extra JSON fields merged into the response body (never secret values). */
  readonly details: Record<string, unknown> | undefined;

  constructor(options: {
    statusCode: number;
    code: string;
    message: string;
    details?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.statusCode = options.statusCode;
    this.code = options.code;
    this.details = options.details;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** JSON schema of {@link ErrorBody}, used in route response schemas. */
export const errorBodySchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  additionalProperties: true,
} as const;

const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

/** The stable code for a framework-raised client error (bad JSON, wrong content type, too large). */
export function codeForStatus(statusCode: number): string {
  return CODES_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'internal-error' : 'bad-request');
}

/** The dependencies a request can fail on. */
export type DependencyName = 'postgres' | 'redis' | 'oauth-provider';

const DEPENDENCY_LABELS: Record<DependencyName, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  'oauth-provider': 'The OpenID provider',
};

/**
 * A dependency failed while serving a request; the service answers 503 `dependency-unavailable`
 * naming it, instead of a bare 500.
 */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  readonly dependency: DependencyName;

  constructor(dependency: DependencyName, cause: unknown) {
    super(`${DEPENDENCY_LABELS[dependency]} is unavailable: ${describeError(cause)}`, { cause });
    this.dependency = dependency;
  }

  /**
   * What a client is told: the same words for every failure of this dependency. The driver's text (an address,
   * a host name, a server message) stays in the log.
   */
  get publicMessage(): string {
    return `${DEPENDENCY_LABELS[this.dependency]} is unavailable; try again shortly.`;
  }
}

/** A one-line, value-free description of an error from a driver (its code and message, never a stack). */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || error.name;
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}

/** Runs `operation`, turning any failure into a {@link DependencyError} naming `dependency`. */
export async function onDependency<T>(dependency: DependencyName, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new DependencyError(dependency, error);
  }
}
