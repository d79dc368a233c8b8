import { expect, test } from 'vitest';
import { measure } from '../bench/size.mjs';

// The target: the run-ID part (src/run-id.ts: validation, parsing, the generator) at most 700 B.
const RUN_ID_BUDGET_GZIPPED = 700;
// The run-ID part with its error reporting (src/errors.ts: RunIdError, the messages, the throwing
// generateRunId and parseRunIdOrThrow) measured 878 B; this budget only stops growth.
const RUN_ID_API_BUDGET_GZIPPED = 930;

test('the run-ID part stays within its size budget, minified and gzipped', () => {
  const { gzipped } = measure('../src/run-id.ts');
  expect(gzipped).toBeLessThanOrEqual(RUN_ID_BUDGET_GZIPPED);
});

test('the run-ID part imports nothing: no Node built-ins, no dependencies, not its error reporting (it runs in browsers and edge runtimes)', () => {
  const { inputs } = measure('../src/run-id.ts');
  expect(inputs).toHaveLength(1);
  expect(inputs[0]).toMatch(/(^|\/)src\/run-id\.ts$/);
});

test('the run-ID API with its error reporting stays within its budget and imports only src/run-id.ts', () => {
  const { gzipped, inputs } = measure('../src/errors.ts');
  expect(gzipped).toBeLessThanOrEqual(RUN_ID_API_BUDGET_GZIPPED);
  expect(inputs.map((input) => input.replace(/^.*\/src\//, 'src/')).sort()).toEqual([
    'src/errors.ts',
    'src/run-id.ts',
  ]);
});
