import { describe, expect, test } from 'vitest';
import { parseEnvironment } from './environment.ts';

const FOUR = ['development', 'test', 'staging', 'production'];

describe('parseEnvironment', () => {
  test.each(['development', 'test', 'staging', 'production'])('%s is accepted', (value) => {
    expect(parseEnvironment(value, FOUR)).toEqual({ ok: true, environment: value });
  });

  test.each([
    ['stage', 'staging'],
    ['prod', 'production'],
    ['Staging', 'staging'],
    ['PRODUCTION', 'production'],
    ['dev', 'development'],
    ['stagign', 'staging'],
    ['productoin', 'production'],
    ['testing', 'test'],
  ])('%s → did you mean %s', (value, suggestion) => {
    const result = parseEnvironment(value, FOUR);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({
      code: 'unknown-environment',
      variable: 'ENVIRONMENT',
      severity: 'error',
    });
    expect(result.issue.hint).toBe(`Did you mean '${suggestion}'? Set ENVIRONMENT=${suggestion}.`);
    expect(result.suggestion).toBe(suggestion);
  });

  test('unset and empty are said so', () => {
    const unset = parseEnvironment(undefined, FOUR);
    const empty = parseEnvironment('', FOUR);
    expect(!unset.ok && unset.issue.message).toMatch(/^ENVIRONMENT is not set/);
    expect(!empty.ok && empty.issue.message).toMatch(/empty string, which counts as not set/);
  });

  test('a far-off value gets no suggestion', () => {
    const result = parseEnvironment('qa-cluster-7', FOUR);
    expect(!result.ok && result.issue.hint).toBe(
      'Set ENVIRONMENT to one of development, test, staging, production.',
    );
    expect(!result.ok && result.suggestion).toBeUndefined();
  });
});
