import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { nonStrings, strictnessCases } from '../test/fixtures/run-id-cases.ts';
import {
  extractThreadId,
  generateRunId,
  isRunId,
  MAX_RUN_ID_LENGTH,
  MAX_THREAD_ID_LENGTH,
  parseRunId,
  parseRunIdOrThrow,
  RunIdError,
} from './index.ts';

// The specification as one regular expression: slow (it backtracks) but obviously right. The parser must agree.
// A thread ID of 1 to 256 characters that is not `.` or `..`.
const SPEC = /^run_(?!\.\.?_\d+_[0-9a-f]{8}$)([\w.~-]{1,256})_(\d{13}|\d{1,5})_([0-9a-f]{8})$/;
const THREAD_ID_CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';
const threadIdArbitrary = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...THREAD_ID_CHARACTERS), minLength: 1, maxLength: 40 }),
    fc.string({ unit: fc.constantFrom('_', '-', '0', '1', '9', 'a'), minLength: 1, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...THREAD_ID_CHARACTERS), minLength: 200, maxLength: 256 }),
  )
  .filter((threadId) => threadId !== '.' && threadId !== '..');

afterEach(() => {
  vi.restoreAllMocks();
});

const caught = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('parseRunId accepts', () => {
  const long = 'x'.repeat(256); // MAX_THREAD_ID_LENGTH
  test.each([
    ['run_t_1764337000000_0a1b2c3d', 't', '1764337000000', '0a1b2c3d', 'current'],
    ['run_my_thread_1764337000000_0a1b2c3d', 'my_thread', '1764337000000', '0a1b2c3d', 'current'],
    ['run_a-b.c~D_1764337000000_ffffffff', 'a-b.c~D', '1764337000000', 'ffffffff', 'current'],
    ['run_123_0000000000000_00000000', '123', '0000000000000', '00000000', 'current'],
    ['run_t_12345_1764337000000_0a1b2c3d', 't_12345', '1764337000000', '0a1b2c3d', 'current'],
    ['run__a_1764337000000_0a1b2c3d', '_a', '1764337000000', '0a1b2c3d', 'current'],
    ['run___1_abcdef12', '_', '1', 'abcdef12', 'legacy'],
    ['run_t_0_abcdef12', 't', '0', 'abcdef12', 'legacy'],
    ['run_t_4242_abcdef12', 't', '4242', 'abcdef12', 'legacy'],
    ['run_t_99999_abcdef12', 't', '99999', 'abcdef12', 'legacy'],
    ['run_t_00042_abcdef12', 't', '00042', 'abcdef12', 'legacy'],
    [
      'run_0190a5b2-6f3e-7b1a-8c4d-2e5f6a7b8c9d_31337_0a1b2c3d',
      '0190a5b2-6f3e-7b1a-8c4d-2e5f6a7b8c9d',
      '31337',
      '0a1b2c3d',
      'legacy',
    ],
    // A thread ID that is itself a run ID: the last two fields are fixed, so it comes back whole.
    [
      'run_run_x_1764337000000_0a1b2c3d_1764337000001_11111111',
      'run_x_1764337000000_0a1b2c3d',
      '1764337000001',
      '11111111',
      'current',
    ],
    [`run_${long}_1764337000000_0a1b2c3d`, long, '1764337000000', '0a1b2c3d', 'current'],
    [`run_${long}_99999_0a1b2c3d`, long, '99999', '0a1b2c3d', 'legacy'],
    // Dots are allowed in a thread ID; only a thread ID that is exactly `.` or `..` is a path segment.
    ['run_..._1764337000000_0a1b2c3d', '...', '1764337000000', '0a1b2c3d', 'current'],
    ['run_.a_1764337000000_0a1b2c3d', '.a', '1764337000000', '0a1b2c3d', 'current'],
    ['run_a._1764337000000_0a1b2c3d', 'a.', '1764337000000', '0a1b2c3d', 'current'],
    ['run_._x_1764337000000_0a1b2c3d', '._x', '1764337000000', '0a1b2c3d', 'current'],
    ['run_.._1_1764337000000_0a1b2c3d', '.._1', '1764337000000', '0a1b2c3d', 'current'],
  ])('%s', (id, threadId, timestamp, suffix, format) => {
    const parsed = parseRunId(id);
    expect(parsed).toEqual({
      threadId,
      timestamp,
      suffix,
      format,
      createdAt: format === 'current' ? new Date(Number(timestamp)) : undefined,
    });
    expect(Object.keys(parsed!)).toEqual(['threadId', 'timestamp', 'suffix', 'format', 'createdAt']);
    expect(isRunId(id)).toBe(true);
    expect(extractThreadId(id)).toBe(threadId);
    expect(parseRunIdOrThrow(id)).toEqual(parsed);
  });
});

describe('parseRunId refuses', () => {
  test.each([...strictnessCases, ...nonStrings])('%s', (_name, value) => {
    expect(parseRunId(value)).toBeNull();
    expect(isRunId(value)).toBe(false);
    expect(extractThreadId(value)).toBeUndefined();
    expect(() => parseRunIdOrThrow(value)).toThrow(RunIdError);
  });
});

describe('parseRunIdOrThrow', () => {
  test('names the value, the code and the rules', () => {
    const error = (() => {
      try {
        parseRunIdOrThrow('run__1_abcdef12');
      } catch (caught) {
        return caught;
      }
    })() as RunIdError;
    expect(error).toBeInstanceOf(RunIdError);
    expect(error.name).toBe('RunIdError');
    expect(error.code).toBe('INVALID_RUN_ID');
    expect(error.message).toMatchInlineSnapshot(
      `"Invalid run ID "run__1_abcdef12": expected run_{threadId}_{13-digit ms timestamp}_{8 lowercase hex} (old IDs: 1-5 digits), at most 283 characters, the thread ID 1 to 256 letters, digits and "-._~", not "." or ".."."`,
    );
  });

  test('says what a non-string was and cuts long values at 80 characters', () => {
    expect(() => parseRunIdOrThrow(undefined)).toThrowErrorMatchingInlineSnapshot(
      `[RunIdError: Invalid run ID (undefined): expected run_{threadId}_{13-digit ms timestamp}_{8 lowercase hex} (old IDs: 1-5 digits), at most 283 characters, the thread ID 1 to 256 letters, digits and "-._~", not "." or "..".]`,
    );
    const long = 'x'.repeat(500);
    expect(() => parseRunIdOrThrow(long)).toThrow(
      `Invalid run ID "${'x'.repeat(80)}" (500 characters): expected`,
    );
  });

  test('says why a path segment is not a thread ID', () => {
    expect(() => parseRunIdOrThrow('run_.._1795875015126_6e757df7')).toThrow(
      /^Invalid run ID "run_\.\._1795875015126_6e757df7": expected .* not "\." or "\.\."\.$/,
    );
  });
});

describe('extractThreadId', () => {
  test('never returns its input unchanged', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('run_a_b', 'run_x')),
        (s) => {
          expect(extractThreadId(s)).not.toBe(s);
        },
      ),
    );
    // The old extract_thread_id returned these unchanged; this one returns undefined.
    expect(extractThreadId('not-a-run-id')).toBeUndefined();
    expect(extractThreadId('run_t_x')).toBeUndefined();
  });
});

describe('generateRunId', () => {
  // First in this file to generate with the real clock: the tests after it move the process-wide sequence
  // (one per test file: vitest isolates files) to 2100 with a mocked clock.
  test('is run_{threadId}_{13-digit ms}_{8 lowercase hex}, stamped now', () => {
    const before = Date.now();
    const id = generateRunId('thread-1');
    const after = Date.now();
    expect(id).toMatch(/^run_thread-1_\d{13}_[0-9a-f]{8}$/);
    const parsed = parseRunId(id);
    expect(parsed.format).toBe('current');
    expect(parsed.threadId).toBe('thread-1');
    expect(Number(parsed.timestamp)).toBeGreaterThanOrEqual(before);
    // A later millisecond only when an earlier ID already took this one (strictly increasing), never past `after`.
    expect(Number(parsed.timestamp)).toBeLessThanOrEqual(after);
    expect(parsed.createdAt?.getTime()).toBe(Number(parsed.timestamp));
  });

  test.each([
    ['empty', ''],
    ['"." (a path segment)', '.'],
    ['".." (a path segment)', '..'],
    ['257 characters', 'x'.repeat(257)],
    ['100,000 characters', 'x'.repeat(100_000)],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a question mark', 'a?b'],
    ['a hash', 'a#b'],
    ['a newline', 'a\n'],
    ['non-ASCII', 'thréad'],
    ['an emoji', '🧵'],
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object without a prototype', Object.create(null)],
  ])('refuses a thread ID with %s', (_name, threadId) => {
    generateRunId('valid-before'); // the validated-thread cache must let neither call through
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => generateRunId(threadId as string)).toThrow(RunIdError);
      expect(() => generateRunId(threadId as string)).toThrow(
        expect.objectContaining({ code: 'INVALID_THREAD_ID' }),
      );
    }
  });

  test('throws a TypeError with the code INVALID_THREAD_ID and the rule, which instanceof RunIdError recognises', () => {
    const thrown = caught(() => generateRunId('a b'));
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).toBeInstanceOf(RunIdError);
    expect(thrown).toMatchObject({ name: 'TypeError', code: 'INVALID_THREAD_ID' });
    // The rule, not the value (the caller has it; a 100,000-character value stays out of logs).
    expect(() => generateRunId('a b')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Invalid thread ID: expected 1 to 256 letters, digits and "-._~", not "." or "..".]`,
    );
    for (const threadId of ['..', 'x'.repeat(100_000), Symbol('t'), Object.create(null)])
      expect(caught(() => generateRunId(threadId as string))).toEqual(thrown);
    // The same rule as parseRunIdOrThrow's message (src/errors.ts keeps its own copy).
    const rule = (thrown as Error).message.replace('Invalid thread ID: expected ', '').replace(/\.$/, '');
    expect((caught(() => parseRunIdOrThrow('run_.._1_abcdef12')) as Error).message).toContain(
      `the thread ID ${rule}.`,
    );
  });

  test("RunIdError recognises only its own instances and generateRunId's TypeError", () => {
    const fromGenerate = caught(() => generateRunId(''));
    expect(new RunIdError('INVALID_RUN_ID', 'm')).toBeInstanceOf(RunIdError);
    expect(caught(() => parseRunIdOrThrow('x'))).toBeInstanceOf(RunIdError);
    expect(fromGenerate instanceof RunIdError).toBe(true);
    for (const other of [
      new TypeError('Invalid thread ID'), // no code
      Object.assign(new TypeError('m'), { code: 'INVALID_RUN_ID' }), // not generateRunId's code
      Object.assign(new Error('m'), { code: 'INVALID_THREAD_ID' }), // not a TypeError
      { code: 'INVALID_THREAD_ID' },
      'INVALID_THREAD_ID',
      null,
      undefined,
    ])
      expect(other instanceof RunIdError).toBe(false);
    // A subclass gets ordinary instanceof: only its own instances.
    class HttpRunIdError extends RunIdError {}
    expect(new HttpRunIdError('INVALID_RUN_ID', 'm')).toBeInstanceOf(HttpRunIdError);
    expect(new HttpRunIdError('INVALID_RUN_ID', 'm')).toBeInstanceOf(RunIdError);
    expect(fromGenerate instanceof HttpRunIdError).toBe(false);
    expect(new RunIdError('INVALID_RUN_ID', 'm') instanceof HttpRunIdError).toBe(false);
  });

  test('takes a thread ID of exactly MAX_THREAD_ID_LENGTH characters; its run IDs are MAX_RUN_ID_LENGTH long', () => {
    const threadId = 'x'.repeat(MAX_THREAD_ID_LENGTH);
    const id = generateRunId(threadId);
    expect(id).toHaveLength(MAX_RUN_ID_LENGTH);
    expect(parseRunId(id).threadId).toBe(threadId);
    expect([MAX_THREAD_ID_LENGTH, MAX_RUN_ID_LENGTH]).toEqual([256, 283]);
  });

  test('IDs strictly increase within one millisecond, across threads, counting the suffix up by one', () => {
    vi.spyOn(Date, 'now').mockReturnValue(4_102_444_800_000); // 2100-01-01, later than any earlier test
    const ids = Array.from({ length: 700 }, (_, i) => generateRunId(i % 2 ? 'thread-a' : 'thread-b'));
    const parsed = ids.map((id) => parseRunId(id));
    expect(new Set(parsed.map((p) => p.timestamp)).size).toBeLessThanOrEqual(2); // a wrap of 8 hex moves to the next ms
    for (let i = 1; i < ids.length; i++) {
      const [a, b] = [parsed[i - 1]!, parsed[i]!];
      expect(a.timestamp + a.suffix < b.timestamp + b.suffix).toBe(true);
      if (a.timestamp === b.timestamp)
        expect(Number.parseInt(b.suffix, 16)).toBe(Number.parseInt(a.suffix, 16) + 1);
    }
    const threadA = ids.filter((_, i) => i % 2);
    expect([...threadA].sort()).toEqual(threadA);
  });

  test('a thread that repeats or changes within one millisecond gets its own thread ID in every ID', () => {
    // generateRunId caches the last valid thread ID and `_{ms}_{7 hex}`: neither may leak into another ID.
    vi.spyOn(Date, 'now').mockReturnValue(4_102_444_850_000);
    const threads = ['a', 'a', 'b', 'a', 'b_1', 'b_1', ...Array.from({ length: 40 }, () => 'c'), 'a', 'a-b'];
    const parsed = threads.map((thread) => parseRunId(generateRunId(thread)));
    expect(parsed.map((p) => p.threadId)).toEqual(threads);
    for (let i = 1; i < parsed.length; i++) {
      const [a, b] = [parsed[i - 1]!, parsed[i]!];
      expect(a.timestamp + a.suffix < b.timestamp + b.suffix).toBe(true);
      if (a.timestamp === b.timestamp)
        expect(Number.parseInt(b.suffix, 16)).toBe(Number.parseInt(a.suffix, 16) + 1);
    }
  });

  test('IDs keep increasing when the clock goes back, and the timestamp does not go back', () => {
    const now = vi.spyOn(Date, 'now');
    now.mockReturnValue(4_102_444_900_000);
    const first = generateRunId('t');
    now.mockReturnValue(4_102_444_800_000); // the clock steps back 100 s
    const second = generateRunId('t');
    expect(second > first).toBe(true);
    expect(parseRunId(second).timestamp).toBe(parseRunId(first).timestamp);
  });

  test('a new millisecond restarts the counter at a random value from globalThis.crypto', () => {
    const now = vi.spyOn(Date, 'now');
    const suffixes = Array.from({ length: 100 }, (_, i) => {
      now.mockReturnValue(4_102_445_000_000 + i);
      return parseRunId(generateRunId('t')).suffix;
    });
    expect(new Set(suffixes).size).toBeGreaterThan(95);
    const random = vi.spyOn(globalThis.crypto, 'getRandomValues');
    for (let i = 0; i < 65; i++) {
      now.mockReturnValue(4_102_445_001_000 + i);
      generateRunId('t');
    }
    expect(random.mock.calls.length).toBeLessThanOrEqual(2); // 64 values per call: buffered
  });

  test('a counter that would outgrow 8 hex moves to the next millisecond', () => {
    const now = vi.spyOn(Date, 'now');
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
      (array as Uint32Array).fill(0xffffffff);
      return array;
    });
    for (let i = 0; i < 65; i++) {
      now.mockReturnValue(4_102_446_000_000 + i); // use up the random values drawn before the mock
      generateRunId('t');
    }
    now.mockReturnValue(4_102_446_100_000);
    const first = generateRunId('t');
    const second = generateRunId('t');
    expect(first).toBe('run_t_4102446100000_ffffffff');
    expect(second).toBe('run_t_4102446100001_ffffffff');
  });
});

describe('properties', () => {
  test('parse(generate(t)) round-trips for any valid thread ID, also one that looks like a run ID', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          threadIdArbitrary,
          // A run ID is 27 characters longer than its thread ID, and must itself fit in a thread ID.
          threadIdArbitrary.filter((t) => t.length <= MAX_THREAD_ID_LENGTH - 27).map((t) => generateRunId(t)),
        ),
        (threadId) => {
          const before = Date.now();
          const id = generateRunId(threadId);
          const parsed = parseRunId(id);
          expect(parsed.threadId).toBe(threadId);
          expect(parsed.format).toBe('current');
          expect(parsed.timestamp).toMatch(/^\d{13}$/);
          expect(parsed.suffix).toMatch(/^[0-9a-f]{8}$/);
          expect(parsed.createdAt?.getTime()).toBeGreaterThanOrEqual(before);
          expect(extractThreadId(id)).toBe(threadId);
          expect(isRunId(id)).toBe(true);
        },
      ),
    );
  });

  test('never throws on arbitrary input, and agrees with the one-regex specification', () => {
    const nearRunIds = fc
      .tuple(
        threadIdArbitrary,
        fc.oneof(fc.stringMatching(/^\d{1,14}$/), fc.constant('1764337000000')),
        fc.stringMatching(/^[0-9a-fA-F]{7,9}$/),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 2 }),
      )
      .map(([thread, timestamp, suffix, at, insert]) => {
        const id = `run_${thread}_${timestamp}_${suffix}`;
        const position = at % (id.length + 1);
        return id.slice(0, position) + insert + id.slice(position + (at % 2));
      });
    fc.assert(
      fc.property(fc.oneof(nearRunIds, fc.string({ unit: 'binary' }), fc.anything()), (value) => {
        const parsed = parseRunId(value);
        const match = typeof value === 'string' ? SPEC.exec(value) : null;
        expect(isRunId(value)).toBe(match !== null);
        expect(extractThreadId(value)).toBe(match?.[1]);
        expect(parsed ? [parsed.threadId, parsed.timestamp, parsed.suffix] : null).toEqual(
          match ? match.slice(1) : null,
        );
        expect(parsed?.createdAt?.getTime()).toBe(match?.[2]?.length === 13 ? Number(match[2]) : undefined);
      }),
      { numRuns: 5000 },
    );
  });

  let clockBase = 4_102_447_000_000;
  test('generated IDs sort by time within a thread, whatever the clock does', () => {
    fc.assert(
      fc.property(
        threadIdArbitrary,
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 2, maxLength: 60 }),
        (threadId, steps) => {
          const now = vi.spyOn(Date, 'now');
          clockBase += 1000; // past every earlier run, so that the steps below drive the timestamps
          let clock = clockBase;
          const ids = steps.map((step) => {
            clock += step;
            now.mockReturnValue(clock);
            return generateRunId(threadId);
          });
          now.mockRestore();
          expect([...ids].sort()).toEqual(ids);
          expect(new Set(ids).size).toBe(ids.length);
          const times = ids.map((id) => parseRunId(id).createdAt!.getTime());
          expect([...times].sort((a, b) => a - b)).toEqual(times);
        },
      ),
    );
  });
});
