// Error reporting for run IDs: the RunIdError class, the run-ID message and parseRunIdOrThrow. Kept out of
// src/run-id.ts (which does not import this module) so that an app that makes and reads run IDs does not bundle
// them. generateRunId (src/run-id.ts) throws a TypeError with a code instead of a RunIdError, for the same
// reason; RunIdError's `instanceof` recognises it.
import { type ParsedRunId, parseRunId } from './run-id.ts';

/** The thread ID's rule, as generateRunId's message gives it (a test checks that both say the same). */
const THREAD_ID_RULE = '1 to 256 letters, digits and "-._~", not "." or ".."';

/** The stable codes of {@link RunIdError}. */
export type RunIdErrorCode = 'INVALID_RUN_ID' | 'INVALID_THREAD_ID';

/**
 * Thrown by {@link parseRunIdOrThrow} (code `INVALID_RUN_ID`). `error instanceof RunIdError` is also true for
 * the error {@link generateRunId} throws (code `INVALID_THREAD_ID`): a `TypeError` with that `code`, as Node's
 * argument errors are (it is not built from this class, so that an app that only generates does not bundle
 * it). Check `code`, not `name`.
 *
 * @example
 * try { parseRunIdOrThrow(input) } catch (error) {
 *   if (error instanceof RunIdError && error.code === 'INVALID_RUN_ID') reply(400, error.message);
 * }
 */
export class RunIdError extends Error {
  override name = 'RunIdError';
  /** Stable, machine-readable reason; the message is for people. */
  declare readonly code: RunIdErrorCode;
  constructor(code: RunIdErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * `instanceof`: instances of the class it is called on (RunIdError or a subclass, as usual), and for
   * RunIdError itself also the TypeError with code `INVALID_THREAD_ID` that generateRunId throws.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about (maybe a subclass)
      Function.prototype[Symbol.hasInstance].call(this, value) ||
      // biome-ignore lint/complexity/noThisInStatic: only RunIdError, not its subclasses, covers generateRunId's error
      (this === RunIdError &&
        value instanceof TypeError &&
        (value as { code?: unknown }).code === 'INVALID_THREAD_ID')
    );
  }
}

/**
 * How a message shows `value`: a string's first 80 characters, quoted (and the length of a longer one), of
 * anything else only its type (String() of some values throws: an object without a prototype, for one).
 */
const show = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value.slice(0, 80)) + (value.length > 80 ? ` (${value.length} characters)` : '')
    : `(${value === null ? 'null' : typeof value})`;

/**
 * Like {@link parseRunId}, but throws a {@link RunIdError} (code `INVALID_RUN_ID`) for anything that is not
 * a run ID; the message shows the value (its first 80 characters) and the format's rules.
 *
 * @example
 * const { threadId } = parseRunIdOrThrow(request.params.runId);
 */
export function parseRunIdOrThrow(value: unknown): ParsedRunId {
  const parsed = parseRunId(value);
  if (parsed) return parsed;
  throw new RunIdError(
    'INVALID_RUN_ID',
    `Invalid run ID ${show(value)}: expected run_{threadId}_{13-digit ms timestamp}_{8 lowercase hex} (old IDs: 1-5 digits), at most 283 characters, the thread ID ${THREAD_ID_RULE}.`,
  );
}
