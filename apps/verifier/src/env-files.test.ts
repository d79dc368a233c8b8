import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { variablesCutAtHash } from './env-files';

const { parse } = createRequire(import.meta.url)('dotenv') as typeof import('dotenv');

describe('variablesCutAtHash', () => {
  test.each<[string, string[]]>([
    ['A=sm://p/s#4', ['A']],
    ['export A=pass#word', ['A']],
    ['A = x#y\r\nB=ok', ['A']],
    ['A="sm://p/s#4"', []],
    ["A='x#y'", []],
    ['A=info # a comment', []],
    ['A=#starts-with-a-hash', []],
    ['# A=x#y', []],
    ['A=plain\nB=two#cut\nC=three', ['B']],
  ])('%j', (text, expected) => {
    expect(variablesCutAtHash(text)).toEqual(expected);
  });

  test('what it reports is what dotenv cuts', () => {
    for (const text of ['A=sm://p/s#4', 'A=pass#word', 'A="x#y"', 'A=info # comment']) {
      const cut = variablesCutAtHash(text).length > 0;
      const raw = text.slice(2).replace(/^"|"$/g, '');
      expect(cut).toBe(parse(text).A !== raw && !/\s#/.test(raw));
    }
  });
});
