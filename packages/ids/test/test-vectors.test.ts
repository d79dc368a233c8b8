// test-vectors.json is the run-ID contract as data, shipped in the package for other implementations (the
// Python backend's tests, the generated Python loader). This runs every vector through this package, and the
// run-ID vectors through the old Python backend's model (test/fixtures/old_backend_ids.py).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  extractThreadId,
  generateRunId,
  isRunId,
  MAX_RUN_ID_LENGTH,
  MAX_THREAD_ID_LENGTH,
  parseRunId,
  parseRunIdOrThrow,
  RunIdError,
} from '../src/index.ts';

interface RunIdVector {
  input: unknown;
  note: string;
  result?: {
    threadId: string;
    timestamp: string;
    suffix: string;
    format: 'current' | 'legacy';
    createdAt: number | null;
  };
  error?: 'INVALID_RUN_ID';
  oldBackendValid: boolean;
}
interface ThreadIdVector {
  input: unknown;
  note?: string;
  valid?: true;
  error?: 'INVALID_THREAD_ID';
}
const vectors = JSON.parse(readFileSync(new URL('../test-vectors.json', import.meta.url), 'utf8')) as {
  version: number;
  limits: { maxThreadIdLength: number; maxRunIdLength: number };
  runIds: RunIdVector[];
  threadIds: ThreadIdVector[];
};
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  files: string[];
  exports: Record<string, unknown>;
};

const caught = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

test('the file ships in the package, under its own export, with the limits the code has', () => {
  expect(packageJson.files).toContain('test-vectors.json');
  expect(packageJson.exports['./test-vectors.json']).toBe('./test-vectors.json');
  expect(vectors.version).toBe(1);
  expect(vectors.limits).toEqual({
    maxThreadIdLength: MAX_THREAD_ID_LENGTH,
    maxRunIdLength: MAX_RUN_ID_LENGTH,
  });
  // Both kinds, valid and invalid, current and legacy, the path segments and the length bounds are there.
  const formats = new Set(vectors.runIds.map((vector) => vector.result?.format ?? vector.error));
  expect(formats).toEqual(new Set(['current', 'legacy', 'INVALID_RUN_ID']));
  for (const threadId of ['.', '..', 'x'.repeat(MAX_THREAD_ID_LENGTH + 1)])
    expect(vectors.threadIds.find((vector) => vector.input === threadId)?.error).toBe('INVALID_THREAD_ID');
  expect(vectors.runIds.some((vector) => (vector.input as string).length === MAX_RUN_ID_LENGTH)).toBe(true);
});

describe('run IDs', () => {
  test.each(vectors.runIds.map((vector) => [vector.note, vector] as const))('%s', (_note, vector) => {
    const { input, result, error } = vector;
    if (result) {
      const expected = {
        ...result,
        createdAt: result.createdAt === null ? undefined : new Date(result.createdAt),
      };
      expect(parseRunId(input)).toEqual(expected);
      expect(parseRunIdOrThrow(input)).toEqual(expected);
      expect(isRunId(input)).toBe(true);
      expect(extractThreadId(input)).toBe(result.threadId);
    } else {
      expect(parseRunId(input)).toBeNull();
      expect(isRunId(input)).toBe(false);
      expect(extractThreadId(input)).toBeUndefined();
      const thrown = caught(() => parseRunIdOrThrow(input));
      expect(thrown).toBeInstanceOf(RunIdError);
      expect((thrown as RunIdError).code).toBe(error);
    }
  });
});

describe('thread IDs', () => {
  test.each(vectors.threadIds.map((vector) => [vector.note ?? String(vector.input), vector] as const))(
    '%s',
    (_note, vector) => {
      const { input, valid, error } = vector;
      if (valid) {
        const parsed = parseRunId(generateRunId(input as string));
        expect(parsed.threadId).toBe(input);
        expect(parsed.format).toBe('current');
      } else {
        const thrown = caught(() => generateRunId(input as string));
        expect(thrown).toBeInstanceOf(RunIdError);
        expect((thrown as RunIdError).code).toBe(error);
      }
    },
  );
});

describe('against the old Python backend', () => {
  const OLD_BACKEND = fileURLToPath(new URL('fixtures/old_backend_ids.py', import.meta.url));
  const old = (op: 'validate' | 'parse', values: unknown[]): unknown[] => {
    const run = spawnSync('python3', [OLD_BACKEND], {
      input: values.map((value) => `${JSON.stringify({ op, value })}\n`).join(''),
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`python3 ${OLD_BACKEND} failed: ${run.stderr}`);
    return run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { result: unknown }).result);
  };

  test("oldBackendValid is what the old validate_run_id says; it accepts every vector's valid run ID", () => {
    const verdicts = old(
      'validate',
      vectors.runIds.map((vector) => vector.input),
    );
    expect(verdicts).toEqual(vectors.runIds.map((vector) => vector.oldBackendValid));
    for (const vector of vectors.runIds)
      if (vector.result) expect(vector.oldBackendValid, vector.note).toBe(true);
    // The old code let in many that are refused here: the path segments and the over-long thread IDs too.
    const refusedHereOnly = vectors.runIds.filter((vector) => vector.error && vector.oldBackendValid);
    expect(refusedHereOnly.map((vector) => vector.note)).toEqual(
      expect.arrayContaining([
        'thread ID is the path segment ..',
        'legacy, thread ID ..',
        'thread ID of 257 characters',
      ]),
    );
  });

  test('the old parse_run_id gives the pieces of every valid vector', () => {
    const valid = vectors.runIds.filter((vector) => vector.result);
    expect(
      old(
        'parse',
        valid.map((vector) => vector.input),
      ),
    ).toEqual(
      valid.map(({ result }) => ({
        thread_id: result!.threadId,
        timestamp: result!.timestamp,
        uuid_part: result!.suffix,
        valid: true,
      })),
    );
  });
});
