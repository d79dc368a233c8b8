export type { RunIdErrorCode } from './errors.ts';
export { parseRunIdOrThrow, RunIdError } from './errors.ts';
export type { ParsedRunId, RunId } from './run-id.ts';
export {
  extractThreadId,
  generateRunId,
  isRunId,
  MAX_RUN_ID_LENGTH,
  MAX_THREAD_ID_LENGTH,
  parseRunId,
} from './run-id.ts';
export { generateThreadId } from './thread-id.ts';
