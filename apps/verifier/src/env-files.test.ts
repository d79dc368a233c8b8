import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readEnvFilesReporting, variablesCutAtHash } from './env-files';

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

describe('readEnvFilesReporting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netra-env-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  test('one invalid error per cut value, keyed, without the value; a later file that sets it clears it', () => {
    const first = write('a.env', 'JWT=sm://p/jwt#4\nPASS=abc#def\nOTHER=x#y\n');
    const second = write('b.env', 'OTHER="x#y"\n');
    const read = readEnvFilesReporting([first, second], dir, (variable) =>
      variable === 'JWT' ? 'jwtSecret' : '',
    );
    expect(read.issues.map(({ severity, code, key, variable }) => [severity, code, key, variable])).toEqual([
      ['error', 'invalid', 'jwtSecret', 'JWT'],
      ['error', 'invalid', '', 'PASS'],
    ]);
    expect(read.issues[0]!.message).toContain('an sm:// #VERSION is lost');
    expect(read.issues[1]!.message).not.toContain('sm://');
    expect(read.issues[1]!.hint).toBe('Quote the value in a.env: PASS="…".');
    expect(JSON.stringify(read.issues)).not.toMatch(/abc|def/);
    expect(read.values.OTHER).toBe('x#y');
  });
});
