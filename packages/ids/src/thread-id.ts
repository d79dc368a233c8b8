import { v7 } from 'uuid';

/**
 * A new thread ID: a UUIDv7 (time-ordered, 36 characters of hex and `-`), so it is URL-safe and valid
 * in a run ID.
 *
 * @example
 * const threadId = generateThreadId(); // '019ac9d2-6f3e-7b1a-8c4d-2e5f6a7b8c9d'
 * const runId = generateRunId(threadId);
 */
export function generateThreadId(): string {
  return v7();
}
