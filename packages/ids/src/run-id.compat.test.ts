// Both directions against the old Python backend, run by python3 through test/fixtures/old_backend_ids.py.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { extractThreadIdOld, parseRunIdOld, validateRunIdOld } from '../bench/old-backend-port.mjs';
import { nonStrings, strictnessCases } from '../test/fixtures/run-id-cases.ts';
import {
  extractThreadId,
  generateRunId,
  isRunId,
  MAX_THREAD_ID_LENGTH,
  parseRunId,
  RunIdError,
} from './index.ts';

const OLD_BACKEND = fileURLToPath(new URL('../test/fixtures/old_backend_ids.py', import.meta.url));

type Op = 'validate' | 'extract' | 'parse' | 'generate';
interface OldParse {
  thread_id: string;
  timestamp: string;
  uuid_part: string;
  valid: boolean;
}

/** Runs a batch of calls through the Python model in one process; one answer per call, in order. */
function old(op: Op, values: readonly unknown[]): { result?: unknown; error?: string }[] {
  const input = values.map(
    (value) => JSON.stringify({ op, value: value === undefined ? null : value }) + '\n',
  );
  const run = spawnSync('python3', [OLD_BACKEND], {
    input: input.join(''),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.error || run.status !== 0)
    throw new Error(`python3 ${OLD_BACKEND} failed: ${run.error ?? run.stderr}`);
  const answers = run.stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(answers).toHaveLength(values.length);
  return answers;
}

const results = <T>(op: Op, values: readonly unknown[]): T[] =>
  old(op, values).map((answer) => {
    if ('error' in answer) throw new Error(`old ${op} raised ${answer.error}`);
    return answer.result as T;
  });

const CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';
const threadIds: string[] = [
  't',
  'thread-1',
  'my_thread',
  '__',
  '_leading',
  'trailing_',
  'a__b',
  '12345',
  '1764337000000',
  't_12345',
  'x_1764337000000_abcdef12',
  'run',
  'run_',
  'a-b.c~d_E-9',
  '0190a5b2-6f3e-7b1a-8c4d-2e5f6a7b8c9d',
  'thread_' + '0190a5b2-6f3e-7b1a-8c4d-2e5f6a7b8c9d'.repeat(6), // 223 characters
  'x'.repeat(MAX_THREAD_ID_LENGTH),
  '...',
  '.a',
  '._x',
  generateRunId('nested'),
  ...fc.sample(fc.string({ unit: fc.constantFrom(...CHARACTERS), minLength: 1, maxLength: 80 }), {
    numRuns: 300,
    seed: 1,
  }),
  ...fc.sample(fc.string({ unit: fc.constantFrom('_', '-', '0', '7', 'a'), minLength: 1, maxLength: 16 }), {
    numRuns: 300,
    seed: 2,
  }),
];

describe('our IDs in the old backend', () => {
  const ours = threadIds.map((threadId) => generateRunId(threadId));

  test('validate_run_id accepts every generated ID', () => {
    expect(results<boolean>('validate', ours)).toEqual(ours.map(() => true));
  });

  test('extract_thread_id and parse_run_id return the pieces ours do', () => {
    expect(results<string>('extract', ours)).toEqual(threadIds);
    expect(results<OldParse>('parse', ours)).toEqual(
      ours.map((id) => {
        const parsed = parseRunId(id);
        return {
          thread_id: parsed.threadId,
          timestamp: parsed.timestamp,
          uuid_part: parsed.suffix,
          valid: true,
        };
      }),
    );
  });
});

describe("the old backend's IDs in ours", () => {
  test('every ID the old generate_run_id makes parses as legacy, with the same pieces', () => {
    const theirs = results<string>('generate', threadIds);
    const theirParse = results<OldParse>('parse', theirs);
    theirs.forEach((id, i) => {
      const parsed = parseRunId(id);
      expect(parsed, id).not.toBeNull();
      expect(parsed).toEqual({
        threadId: threadIds[i],
        timestamp: theirParse[i]!.timestamp,
        suffix: theirParse[i]!.uuid_part,
        format: 'legacy',
        createdAt: undefined,
      });
      expect(parsed!.threadId).toBe(theirParse[i]!.thread_id);
      expect(parsed!.timestamp).toMatch(/^(0|[1-9]\d{0,4})$/);
      expect(extractThreadId(id)).toBe(threadIds[i]);
    });
  });
});

describe("the old backend's IDs this package refuses, and why", () => {
  // The old generate_run_id took any thread ID. These it turned into run IDs that are refused here: a path
  // segment is not a thread ID (`/threads/../runs`), and a thread ID is at most 256 characters (issue 18:
  // bounded input). Every other thread ID the old backend made IDs for, with the characters of the contract
  // (all of the above: UUIDs, `thread_…`, `_`, digits, up to 256 characters), still parses.
  const refused: [string, string][] = [
    ['.', 'a path segment'],
    ['..', 'a path segment'],
    ['x'.repeat(MAX_THREAD_ID_LENGTH + 1), 'longer than 256 characters'],
    ['thread_' + '0190a5b2-6f3e-7b1a-8c4d-2e5f6a7b8c9d'.repeat(20), 'longer than 256 characters (727)'],
    ['x'.repeat(5000), 'longer than 256 characters (5000)'],
  ];

  test.each(refused)(
    'thread ID %j (%s): the old backend made and accepted its IDs; this refuses them',
    (threadId) => {
      const [theirs] = results<string>('generate', [threadId]);
      expect(results<boolean>('validate', [theirs])).toEqual([true]);
      expect(isRunId(theirs)).toBe(false);
      expect(parseRunId(theirs)).toBeNull();
      expect(extractThreadId(theirs)).toBeUndefined();
      expect(() => generateRunId(threadId)).toThrow(RunIdError);
    },
  );

  test("no thread ID of the contract's characters and at most 256 characters is refused but `.` and `..`", () => {
    const threadIdsOfAnyLength = fc.sample(
      fc.string({ unit: fc.constantFrom(...CHARACTERS, '_'), minLength: 1, maxLength: MAX_THREAD_ID_LENGTH }),
      { numRuns: 300, seed: 7 },
    );
    const theirs = results<string>('generate', threadIdsOfAnyLength);
    theirs.forEach((id, i) => {
      const threadId = threadIdsOfAnyLength[i]!;
      expect(parseRunId(id)?.threadId, id).toBe(threadId === '.' || threadId === '..' ? undefined : threadId);
    });
  });
});

describe('strictness', () => {
  test('what ours accepts the old backend accepts, with the same pieces (ours is a subset)', () => {
    const valid = fc.sample(
      fc
        .tuple(
          fc
            .string({ unit: fc.constantFrom(...CHARACTERS, '_'), minLength: 1, maxLength: 30 })
            .filter((t) => t !== '.' && t !== '..'),
          fc.oneof(fc.stringMatching(/^\d{13}$/), fc.stringMatching(/^\d{1,5}$/)),
          fc.stringMatching(/^[0-9a-f]{8}$/),
        )
        .map(([t, ts, sx]) => `run_${t}_${ts}_${sx}`),
      { numRuns: 500, seed: 3 },
    );
    const noise = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 500, seed: 4 });
    const accepted = [...valid, ...noise].filter((value) => isRunId(value));
    expect(accepted.length).toBeGreaterThanOrEqual(valid.length);
    expect(results<boolean>('validate', accepted)).toEqual(accepted.map(() => true));
    expect(results<string>('extract', accepted)).toEqual(accepted.map((id) => extractThreadId(id)));
  });

  test('the old backend let these in; ours refuses each (characters counted in code points, like Python)', () => {
    const strings = strictnessCases.map(([, value]) => value as string);
    const verdicts = results<boolean>('validate', strings);
    const refusedByOld = strictnessCases.filter((_, i) => !verdicts[i]).map(([name]) => name);
    // Everything else in the table the old code accepted: Python counts an emoji as one character, so
    // `abcdef1😀` is an 8-character suffix to it.
    expect(refusedByOld).toEqual([
      'no thread ID field',
      '7-character suffix',
      '9-character suffix',
      'leading space',
      'trailing newline',
      'upper-case prefix',
      'other prefix',
      'only the prefix',
      'empty string',
      'a UUID',
    ]);
    expect(verdicts.filter(Boolean).length).toBe(strictnessCases.length - refusedByOld.length);
    for (const value of strings) expect(isRunId(value), JSON.stringify(value)).toBe(false);
  });

  test('non-strings: the old validate says false, the old extract raises; ours says false and undefined', () => {
    const values = nonStrings
      .filter(([, v]) => typeof v !== 'symbol' && !(v instanceof String))
      .map(([, v]) => v);
    expect(results<boolean>('validate', values)).toEqual(values.map(() => false));
    const extracted = old('extract', [42, null, true]);
    expect(extracted.every((answer) => answer.error?.startsWith('AttributeError'))).toBe(true);
    for (const value of values) expect(extractThreadId(value)).toBeUndefined();
  });
});

describe('the JavaScript port used as the benchmark anchor', () => {
  test('behaves as the Python model does, emoji and lone surrogates included', () => {
    const values = [
      ...strictnessCases.map(([, value]) => value as string),
      ...threadIds.map((t) => generateRunId(t)),
      ...fc.sample(
        fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `run_${s}`),
        { numRuns: 500, seed: 5 },
      ),
      ...fc.sample(
        fc.string({ unit: fc.constantFrom('_', 'r', 'u', 'n', 'a', '😀', '\ud800'), maxLength: 20 }),
        {
          numRuns: 500,
          seed: 6,
        },
      ),
    ];
    expect(values.map((v) => validateRunIdOld(v))).toEqual(results<boolean>('validate', values));
    expect(values.map((v) => parseRunIdOld(v))).toEqual(results<OldParse>('parse', values));
    expect(values.map((v) => extractThreadIdOld(v))).toEqual(results<string>('extract', values));
  });
});
