export type { ParsedRunId, RunId, RunIdErrorCode } from './run-id.ts';
export {
  extractThreadId,
  generateRunId,
  isRunId,
  parseRunId,
  parseRunIdOrThrow,
  RunIdError,
} from './run-id.ts';
export { generateThreadId } from './thread-id.ts';
