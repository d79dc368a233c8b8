// Error reporting for run IDs: the error class, its messages and the two throwing functions. Kept out of
// src/run-id.ts (which does not import this module) so that the run-ID part stays small: an app that only
// checks or parses run IDs does not bundle any of it.
import { type ParsedRunId, parseRunId, type RunId, tryGenerateRunId } from './run-id.ts';

/** The stable codes of {@link RunIdError}. */
export type RunIdErrorCode = 'INVALID_RUN_ID' | 'INVALID_THREAD_ID';

/**
 * Thrown by {@link parseRunIdOrThrow} (code `INVALID_RUN_ID`) and {@link generateRunId}
 * (`INVALID_THREAD_ID`). The message shows the value (its first 80 characters) and the rules.
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
}

/** The thread ID's rule, in both messages. */
const THREAD_ID_RULE = '1 to 256 letters, digits and "-._~", not "." or ".."';

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

/**
 * A new run ID for `threadId`: `run_{threadId}_{13-digit ms timestamp}_{8 lowercase hex}`. IDs strictly
 * increase across the whole process (one counter, even within a millisecond), so the IDs of one thread
 * sort by time. The old backend's validate/extract/parse accept every one.
 *
 * @throws {RunIdError} `INVALID_THREAD_ID` when `threadId` is not a string of 1 to 256
 *   ({@link MAX_THREAD_ID_LENGTH}) letters, digits and `-._~`, or is `.` or `..` (a UUID from
 *   `generateThreadId()` is valid).
 * @example
 * generateRunId('thread-1') // 'run_thread-1_1764337000000_4f1c09a2'
 */
export const generateRunId = (threadId: string): RunId => {
  const id = tryGenerateRunId(threadId);
  if (id) return id;
  throw new RunIdError(
    'INVALID_THREAD_ID',
    `Invalid thread ID ${show(threadId)}: expected ${THREAD_ID_RULE}.`,
  );
};
