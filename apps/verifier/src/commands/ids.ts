/**
 * `netra-verify ids parse ID` and `netra-verify ids generate [--thread T]`: the run-ID contract of @netra/ids
 * from a shell. `parse` exits 1 when the argument is not a run ID; `generate` exits 2 on a bad thread ID.
 */
import { generateRunId, generateThreadId, parseRunIdOrThrow, RunIdError } from '@netra/ids';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import type { Io } from '../io';
import { booleanOption, type RawOptions, stringOption } from '../options';

/** Options of `ids parse`, after parsing. */
export interface IdsParseOptions {
  id: string;
  json: boolean;
}

/** Options of `ids generate`, after parsing. */
export interface IdsGenerateOptions {
  /** `undefined`: a new thread ID is generated too. */
  thread: string | undefined;
  /** How many run IDs to generate for the thread. @default 1 */
  count: number;
  json: boolean;
}

/** Parses cac's arguments for `ids parse`. */
export function parseIdsParseOptions(id: unknown, raw: RawOptions): IdsParseOptions {
  if (id === undefined || id === '')
    throw new UsageError('ids parse needs a run ID: netra-verify ids parse run_t1_1717171717171_0a1b2c3d');
  return { id: String(id), json: booleanOption(raw, 'json') };
}

/** Parses cac's options for `ids generate`. */
export function parseIdsGenerateOptions(raw: RawOptions): IdsGenerateOptions {
  const countText = stringOption(raw, 'count', '--count');
  const count = countText === undefined ? 1 : Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new UsageError('--count must be a whole number from 1 to 10000, e.g. --count 3');
  }
  return { thread: stringOption(raw, 'thread', '--thread'), count, json: booleanOption(raw, 'json') };
}

/** Runs `ids parse`: 0 and the fields of a valid run ID, 1 when it is not one. */
export async function runIdsParse(options: IdsParseOptions, io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseRunIdOrThrow>;
  try {
    parsed = parseRunIdOrThrow(options.id);
  } catch (error) {
    if (!(error instanceof RunIdError)) throw error;
    const issue = {
      severity: 'error' as const,
      code: 'invalid',
      key: '',
      variable: '',
      message: error.message,
      hint: 'Example: run_thread-42_1717171717171_0a1b2c3d. Generate one with: netra-verify ids generate --thread thread-42',
    };
    if (options.json)
      io.stdout.write(`${JSON.stringify({ ok: false, runId: options.id, issues: [issue] }, null, 2)}\n`);
    else io.stdout.write(`${issue.message}\n${issue.hint}\n`);
    return EXIT_ISSUES;
  }
  const fields = {
    threadId: parsed.threadId,
    timestamp: parsed.timestamp,
    suffix: parsed.suffix,
    format: parsed.format,
    createdAt: parsed.createdAt === undefined ? null : parsed.createdAt.toISOString(),
  };
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: true, runId: options.id, ...fields }, null, 2)}\n`);
    return EXIT_OK;
  }
  const legacy = parsed.format === 'legacy' ? " (old backend's form: ms % 100000, no date)" : '';
  io.stdout.write(
    `${options.id}\n` +
      `  thread:    ${fields.threadId}\n` +
      `  timestamp: ${fields.timestamp}${legacy}\n` +
      (fields.createdAt === null ? '' : `  created:   ${fields.createdAt}\n`) +
      `  suffix:    ${fields.suffix}\n` +
      `  format:    ${fields.format}\n`,
  );
  return EXIT_OK;
}

/** Runs `ids generate`: prints run IDs of one thread (a new one without `--thread`), one per line. */
export async function runIdsGenerate(options: IdsGenerateOptions, io: Io): Promise<number> {
  const threadId = options.thread ?? generateThreadId();
  const runIds: string[] = [];
  try {
    for (let i = 0; i < options.count; i++) runIds.push(generateRunId(threadId));
  } catch (error) {
    throw new UsageError(
      // The error says the rule ("Invalid thread ID: expected …"); the value is named here, once.
      `--thread ${JSON.stringify(threadId)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (options.json) io.stdout.write(`${JSON.stringify({ ok: true, threadId, runIds }, null, 2)}\n`);
  else io.stdout.write(`${runIds.join('\n')}\n`);
  return EXIT_OK;
}
