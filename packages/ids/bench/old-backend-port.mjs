// A literal JavaScript port of the old Python backend's run-ID functions as the incident report shows them
// (UnifiedIDManager). Characters are counted as Python counts them, in code points ([...s].length), so
// an emoji is one character. The benchmark's anchor, and checked against old_backend_ids.py by the tests.

/** validate_run_id: truthy string, split on `_`, at least 4 parts, `run` first, last part 8 characters. */
export function validateRunIdOld(runId) {
  if (!runId || typeof runId !== 'string') return false;
  const parts = runId.split('_');
  return parts.length >= 4 && parts[0] === 'run' && [...parts[parts.length - 1]].length === 8;
}

/** parse_run_id: validates (one split), then splits again and fills the result object. */
export function parseRunIdOld(runId) {
  const result = { thread_id: '', timestamp: '', uuid_part: '', valid: false };
  if (!validateRunIdOld(runId)) return result;
  const parts = runId.split('_');
  result.thread_id = parts.slice(1, -2).join('_');
  result.timestamp = parts[parts.length - 2];
  result.uuid_part = parts[parts.length - 1];
  result.valid = true;
  return result;
}

/** extract_thread_id: the middle parts, or the input unchanged when it does not start with `run`. */
export function extractThreadIdOld(runId) {
  const parts = runId.split('_');
  if (parts.length >= 3 && parts[0] === 'run') return parts.slice(1, -2).join('_');
  return runId;
}

/** generate_run_id: `run_{thread}_{ms % 100000}_{first 8 of a UUIDv4}`. */
export function generateRunIdOld(threadId) {
  const uuidPart = crypto.randomUUID().slice(0, 8);
  const timestamp = Date.now() % 100000;
  return `run_${threadId}_${timestamp}_${uuidPart}`;
}
