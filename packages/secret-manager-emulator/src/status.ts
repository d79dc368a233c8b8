/** gRPC status codes (google.rpc.Code), so the store needs no gRPC import. */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/**
 * A gRPC status name.
 *
 * @example const code: StatusName = 'UNAVAILABLE';
 */
export type StatusName = keyof typeof Status;

/** An error the server answers with: a gRPC status code and the message the real API would give. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Accepts a status number or name; throws on anything else. */
export function toStatusCode(code: number | StatusName): number {
  if (typeof code === 'number') {
    if (Number.isInteger(code) && code >= 1 && code <= 16) return code;
  } else if (Object.hasOwn(Status, code) && code !== 'OK') {
    return Status[code];
  }
  throw new TypeError(
    `Invalid gRPC status code ${JSON.stringify(code)}: expected a number 1–16 or a name such as 'UNAVAILABLE'.`,
  );
}
