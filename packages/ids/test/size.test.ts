import { expect, test } from 'vitest';
import { FOUR, measure } from '../bench/size.mjs';

// The four functions an app bundles to make and read run IDs (generateRunId with the error it throws),
// bundled for a browser by esbuild, minified, gzipped at level 9: issue 21's budget (README: "Size").
const FOUR_FUNCTIONS_BUDGET_GZIPPED = 700;
// Only parsing and checking (no generator, no error reporting).
const PARSE_ONLY_BUDGET_GZIPPED = 450;
// The run-ID code with its error reporting (src/errors.ts: RunIdError, parseRunIdOrThrow and its message).
const RUN_ID_API_CEILING_GZIPPED = 760;

test('generateRunId, parseRunId, isRunId and extractThreadId stay within 700 B, minified and gzipped', () => {
  const { gzipped, code } = measure('../src/index.ts', 'browser', FOUR);
  expect(gzipped).toBeLessThanOrEqual(FOUR_FUNCTIONS_BUDGET_GZIPPED);
  // The generator's error is a TypeError with a code: neither the RunIdError class nor its messages come along.
  expect(code).toMatch(/INVALID_THREAD_ID/);
  expect(code).not.toMatch(/RunIdError|INVALID_RUN_ID|Invalid run ID/);
});

test('an app that only parses and checks run IDs bundles neither the generator nor the error reporting', () => {
  const { gzipped, code } = measure('../src/index.ts', 'browser', [
    'parseRunId',
    'isRunId',
    'extractThreadId',
  ]);
  expect(gzipped).toBeLessThanOrEqual(PARSE_ONLY_BUDGET_GZIPPED);
  // The generator's and the error's code would show up as these strings.
  expect(code).not.toMatch(/getRandomValues|RunIdError|INVALID_/);
  const four = measure('../src/index.ts', 'browser', FOUR).code;
  expect(four).toMatch(/getRandomValues/);
  expect(four).toMatch(/INVALID_THREAD_ID/);
});

test('the run-ID part imports nothing: no Node built-ins, no dependencies, not its error reporting (it runs in browsers and edge runtimes)', () => {
  const { inputs } = measure('../src/run-id.ts');
  expect(inputs).toHaveLength(1);
  expect(inputs[0]).toMatch(/(^|\/)src\/run-id\.ts$/);
});

test('the run-ID API with its error reporting stays under its ceiling and imports only src/run-id.ts', () => {
  const { gzipped, inputs } = measure('../src/errors.ts');
  expect(gzipped).toBeLessThanOrEqual(RUN_ID_API_CEILING_GZIPPED);
  expect(inputs.map((input) => input.replace(/^.*\/src\//, 'src/')).sort()).toEqual([
    'src/errors.ts',
    'src/run-id.ts',
  ]);
});
