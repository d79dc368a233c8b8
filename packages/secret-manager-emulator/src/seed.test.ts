import { expect, test } from 'vitest';
import { SeedError, validateSeed } from './seed.ts';

test.each([
  [{}],
  [{ p: {} }],
  [{ 'my-project': { a: 'value', b: [], c: ['v1', { value: 'v2', state: 'DISABLED' }, { value: 'v3' }] } }],
  [{ '123456789012': { a: 'x' } }],
])('accepts %j', (seed) => {
  expect(validateSeed(seed)).toBe(seed);
});

test.each([
  [null, 'the seed must be a JSON object'],
  [[], 'the seed must be a JSON object'],
  [{ p: 'x' }, 'project "p": must be an object'],
  [{ p: { 'a b': 'x' } }, 'p/a b: Secret ID "a b" is invalid'],
  [{ p: { s: 5 } }, 'p/s: must be a string value or an array'],
  [{ p: { s: [5] } }, 'p/s[0]: must be a string or'],
  [{ p: { s: [{ value: 1 }] } }, 'p/s[0].value: must be a string'],
  [{ p: { s: [{ value: 'x', state: 'OFF' }] } }, 'p/s[0].state: must be one of'],
  [{ p: { s: [{ value: 'x', labels: {} }] } }, 'p/s[0]: unknown field "labels"'],
  [{ 'bad/project': {} }, 'project "bad/project": not a project ID'],
])('rejects %j', (seed, problem) => {
  expect(() => validateSeed(seed)).toThrow(SeedError);
  try {
    validateSeed(seed);
  } catch (error) {
    expect((error as SeedError).problems.join('\n')).toContain(problem);
    expect((error as SeedError).code).toBe('SEED_INVALID');
  }
});

test('reports every problem at once and never a value', () => {
  const seed = { p: { 'bad id': 'hunter2-secret', ok: [{ value: 'hunter2-other', state: 'NOPE' }], n: 3 } };
  expect(() => validateSeed(seed)).toThrowErrorMatchingInlineSnapshot(`
    [SeedError: Invalid Secret Manager emulator seed (3 problems):
      - p/bad id: Secret ID "bad id" is invalid: it must be 1 to 255 characters of letters, digits, underscores (_) and hyphens (-).
      - p/ok[0].state: must be one of ENABLED, DISABLED, DESTROYED
      - p/n: must be a string value or an array of versions
    Expected JSON: { "<project>": { "<secret-id>": "<value>" | ["<value>", { "value": "<value>", "state": "DISABLED" }] } }]
  `);
});
