// Env values over 64 KiB are refused with `invalid` before any rule or value schema runs.
import { describe, expect, test } from 'vitest';
import { defineSchema, type Rule, variable } from './dsl.ts';
import { environmentVariable } from './fragments.ts';
import { MAX_VALUE_BYTES, safeLoadConfig } from './load.ts';
import { text } from './values.ts';

let ruleRuns = 0;
const counting: Rule = {
  id: 'counting',
  description: 'counts its runs',
  check: () => {
    ruleRuns++;
    return undefined;
  },
};

const schema = defineSchema({
  environment: environmentVariable(),
  token: variable({
    name: 'TOKEN',
    schema: text(),
    description: 'A token.',
    sensitive: true,
    rules: [counting],
  }),
  note: variable({ name: 'NOTE', schema: text(), description: 'A note.', rules: [counting] }),
});

describe('values over 64 KiB', () => {
  test.each([
    ['ASCII', 'a'.repeat(MAX_VALUE_BYTES + 1), MAX_VALUE_BYTES + 1],
    ['3-byte characters', '€'.repeat(21_846), 21_846 * 3],
    ['emoji (4 bytes, 2 code units)', '😀'.repeat(MAX_VALUE_BYTES / 4 + 1), MAX_VALUE_BYTES + 4],
    ['10 MB', 'x'.repeat(10_000_000), 10_000_000],
  ])('%s: invalid, no rule runs, the value is not quoted', (_, value, bytes) => {
    for (const name of ['TOKEN', 'NOTE']) {
      ruleRuns = 0;
      const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'development', [name]: value } });
      expect(result.ok).toBe(false);
      const issues = result.ok ? [] : result.issues;
      expect(issues).toEqual([
        expect.objectContaining({
          code: 'invalid',
          variable: name,
          message: `${name} is longer than 64 KiB (${bytes} bytes); no setting is that long`,
        }),
      ]);
      expect(ruleRuns).toBe(0);
      expect(JSON.stringify(issues).length).toBeLessThan(1000);
    }
  });

  test('exactly 64 KiB passes to the rules', () => {
    ruleRuns = 0;
    const result = safeLoadConfig(schema, {
      env: { ENVIRONMENT: 'development', NOTE: 'a'.repeat(MAX_VALUE_BYTES) },
    });
    expect(result.ok).toBe(true);
    expect(ruleRuns).toBe(1);
  });
});
