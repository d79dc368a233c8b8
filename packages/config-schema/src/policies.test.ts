import { describe, expect, test } from 'vitest';
import type { RuleContext } from './dsl.ts';
import {
  base64UrlBytes,
  httpsUrl,
  minStrength,
  noPlaceholder,
  notJsonDocument,
  notLoopbackHost,
} from './policies.ts';

const context: RuleContext = {
  environment: 'staging',
  key: 'key',
  variable: 'VAR',
  sensitive: true,
  developmentDefaults: ['the-dev-default-value'],
};
const code = (rule: ReturnType<typeof minStrength>, value: string) =>
  rule.check(value, context)?.code ?? 'ok';

describe('base64UrlBytes(n) for other sizes', () => {
  const key = (bytes: number) => Buffer.alloc(bytes, 0xfb).toString('base64url');
  test.each([
    [16, `${key(16)}==`, 'ok'],
    [16, key(16), 'invalid'],
    [30, key(30), 'ok'],
    [31, `${key(31)}==`, 'ok'],
    [32, `${key(32)}=`, 'ok'],
    [32, `${key(31)}=`, 'invalid'],
    [64, `${key(64)}==`, 'ok'],
  ])('%i bytes: %s → %s', (bytes, value, expected) => {
    expect(code(base64UrlBytes(bytes), value)).toBe(expected);
    const { pattern } = base64UrlBytes(bytes).jsonSchema as { pattern: string };
    expect(new RegExp(pattern, 'u').test(value)).toBe(expected === 'ok');
  });
});

describe('policies apply where they say', () => {
  test.each([
    ['notLoopbackHost', notLoopbackHost(), ['deployed']],
    ['httpsUrl', httpsUrl(), ['deployed']],
    ['noPlaceholder', noPlaceholder(), ['deployed']],
    ['minStrength', minStrength(32), ['deployed']],
    ['base64UrlBytes (everywhere)', base64UrlBytes(32), undefined],
    ['notJsonDocument (everywhere)', notJsonDocument({ field: 'client_id' }), undefined],
    ['custom environments', minStrength(8, { environments: ['production'] }), ['production']],
  ])('%s', (_name, rule, environments) => {
    expect(rule.environments).toEqual(environments);
  });
});

describe('minStrength and noPlaceholder', () => {
  test.each([
    ['x'.repeat(31), 'weak-secret'],
    ['ab'.repeat(16), 'weak-secret'],
    ['12345678'.repeat(4), 'weak-secret'],
    ['Welcome12345678901234567890123456789', 'weak-secret'],
    ['q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5a', 'ok'],
    ['😀'.repeat(31), 'weak-secret'], // 31 code points, 62 UTF-16 units
  ])('minStrength(32) %j → %s', (value, expected) => {
    expect(code(minStrength(32), value)).toBe(expected);
  });
  test.each([
    ['changeme', 'placeholder'],
    ['CHANGEME', 'placeholder'],
    ['prefix-change-me-suffix-0123456789', 'placeholder'],
    ['<jwt-secret>', 'placeholder'],
    ['{{ secret }}', 'placeholder'],
    ['the-dev-default-value', 'placeholder'],
    ['ſecret', 'ok'], // not ASCII: the JSON Schema pattern agrees
    ['q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5a', 'ok'],
  ])('noPlaceholder %j → %s', (value, expected) => {
    expect(code(noPlaceholder(), value)).toBe(expected);
  });
});
