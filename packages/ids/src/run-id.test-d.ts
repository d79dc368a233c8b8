// Type tests: checked by `pnpm typecheck` (tsc), not run.
import { expectTypeOf } from 'vitest';
import {
  extractThreadId,
  generateRunId,
  generateThreadId,
  isRunId,
  MAX_RUN_ID_LENGTH,
  MAX_THREAD_ID_LENGTH,
  type ParsedRunId,
  parseRunId,
  parseRunIdOrThrow,
  type RunId,
  RunIdError,
  type RunIdErrorCode,
} from './index.ts';

const id = generateRunId('thread-1');
expectTypeOf(id).toEqualTypeOf<RunId>();
expectTypeOf(id).toExtend<string>();
expectTypeOf(id).toExtend<`run_${string}_${number}_${string}`>();
expectTypeOf(generateThreadId()).toEqualTypeOf<string>();

// Branded: a plain string, even a literal in the right shape, is not a RunId until checked.
// @ts-expect-error a string is not a RunId
const unchecked: RunId = 'run_t_1764337000000_0a1b2c3d';
// @ts-expect-error the thread ID must be a string
generateRunId(42);
// @ts-expect-error no second positional argument
generateRunId('t', 1764337000000);

// isRunId narrows unknown input.
const input: unknown = JSON.parse('"run_t_1764337000000_0a1b2c3d"');
if (isRunId(input)) {
  expectTypeOf(input).toEqualTypeOf<RunId>();
  expectTypeOf(parseRunId(input)).toEqualTypeOf<ParsedRunId>(); // no null for a checked ID
  expectTypeOf(extractThreadId(input)).toEqualTypeOf<string>();
} else {
  expectTypeOf(input).toEqualTypeOf<unknown>();
}

// Anything else may not be a run ID.
expectTypeOf(parseRunId('run_x')).toEqualTypeOf<ParsedRunId | null>();
expectTypeOf(parseRunId(undefined)).toEqualTypeOf<ParsedRunId | null>();
expectTypeOf(extractThreadId('run_x')).toEqualTypeOf<string | undefined>();
expectTypeOf(parseRunIdOrThrow('run_x')).toEqualTypeOf<ParsedRunId>();

// The result is flat, and `format` tells whether `createdAt` is there.
const parsed = parseRunIdOrThrow(input);
expectTypeOf(parsed.threadId).toEqualTypeOf<string>();
expectTypeOf(parsed.timestamp).toEqualTypeOf<string>();
expectTypeOf(parsed.suffix).toEqualTypeOf<string>();
expectTypeOf(parsed.format).toEqualTypeOf<'current' | 'legacy'>();
expectTypeOf(parsed.createdAt).toEqualTypeOf<Date | undefined>();
if (parsed.format === 'current') expectTypeOf(parsed.createdAt).toEqualTypeOf<Date>();
else expectTypeOf(parsed.createdAt).toEqualTypeOf<undefined>();
// @ts-expect-error createdAt may be undefined until format is checked
parsed.createdAt.getTime();

// The bounds are literal types, usable in other types and schemas.
expectTypeOf<typeof MAX_THREAD_ID_LENGTH>().toEqualTypeOf<256>();
expectTypeOf<typeof MAX_RUN_ID_LENGTH>().toEqualTypeOf<283>();
const bounds: [256, 283] = [MAX_THREAD_ID_LENGTH, MAX_RUN_ID_LENGTH];
// @ts-expect-error not any number
const wrongBounds: [128, 256] = [MAX_THREAD_ID_LENGTH, MAX_RUN_ID_LENGTH];

// The error has a stable code union.
const error = new RunIdError('INVALID_RUN_ID', 'message');
expectTypeOf(error).toExtend<Error>();
expectTypeOf(error.code).toEqualTypeOf<RunIdErrorCode>();
expectTypeOf<RunIdErrorCode>().toEqualTypeOf<'INVALID_RUN_ID' | 'INVALID_THREAD_ID'>();
// @ts-expect-error not a known code
new RunIdError('SOMETHING_ELSE', 'message');

export { bounds, unchecked, wrongBounds };
