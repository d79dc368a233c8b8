export interface OldParseResult {
  thread_id: string;
  timestamp: string;
  uuid_part: string;
  valid: boolean;
}
export function validateRunIdOld(runId: unknown): boolean;
export function parseRunIdOld(runId: unknown): OldParseResult;
export function extractThreadIdOld(runId: string): string;
export function generateRunIdOld(threadId: string): string;
