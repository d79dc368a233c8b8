import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  ENV_FILE_MAX_BYTES,
  parseEnvFile,
  readEnvFile,
  readEnvFilesReporting,
  variablesCutAtHash,
} from './env-files';
import { InputError } from './errors';

const { parse } = createRequire(import.meta.url)('dotenv') as typeof import('dotenv');

describe('variablesCutAtHash', () => {
  test.each<[string, string[]]>([
    ['A=sm://p/s#4', ['A']],
    ['export A=pass#word', ['A']],
    ['A = x#y\r\nB=ok', ['A']],
    ['A="sm://p/s#4"', []],
    ["A='x#y'", []],
    ['A=info # a comment', []],
    ['A=#starts-with-a-hash', ['A']],
    ['A= # only a comment', []],
    ['# A=x#y', []],
    ['A=plain\nB=two#cut\nC=three', ['B']],
  ])('%j', (text, expected) => {
    expect(variablesCutAtHash(text)).toEqual(expected);
  });

  test('what it reports is what dotenv cuts', () => {
    for (const text of ['A=sm://p/s#4', 'A=pass#word', 'A="x#y"', 'A=info # comment', 'A=#x']) {
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
    expect(read.issues[1]!.hint).toMatch(/^Quote the value in a\.env: PASS='…'/);
    expect(read.issues[1]).toMatchObject({ file: 'a.env', line: 2 });
    expect(JSON.stringify(read.issues)).not.toMatch(/abc|def/);
    expect(read.values.OTHER).toBe('x#y');
  });
});

describe('parseEnvFile: problems with file and line', () => {
  const problems = (text: string) =>
    parseEnvFile(text, 'f.env').problems.map(({ kind, line, variable, lines }) =>
      lines ? [kind, line, variable, lines] : [kind, line, variable],
    );

  test.each<[string, string, unknown[]]>([
    ['clean file', 'A=1\n# comment\n\nexport B="two words" # note\nC=\n', []],
    ['cut at #', 'A=ok\nPASSWORD=Zq8mWv2kLp9xRt4Yb6nQ2#tail\n', [['cut-at-hash', 2, 'PASSWORD']]],
    ['# right after =', 'A=#secret', [['cut-at-hash', 1, 'A']]],
    ['set twice', 'A=1\nB=2\nA=3\n', [['set-twice', 1, 'A', [1, 3]]]],
    ['set three times', 'A=1\nA=2\nA=3', [['set-twice', 1, 'A', [1, 2, 3]]]],
    ['not NAME=value', 'A=1\nthis is not an assignment\nB=2', [['not-an-assignment', 2, '']]],
    ['a name alone', 'JWT_SECRET\n', [['not-an-assignment', 1, '']]],
    ['a space in the name', 'MY VAR=1\n', [['not-an-assignment', 1, '']]],
    ['NAME: value', 'A: 1\n', [['colon-assignment', 1, 'A']]],
    ['unclosed quote', "A='abc\nB=2", [['unclosed-quote', 1, 'A']]],
    ['junk after the closing quote', 'A="abc" junk', [['unclosed-quote', 1, 'A']]],
    [
      'a backslash before the closing quote swallows lines',
      "A='abc\\'\nB='#x'\nC=1",
      [['escaped-closing-quote', 1, 'A', [1, 2]]],
    ],
    ['a backslash before the closing quote on the last line is harmless', "B=1\nA='abc\\'", []],
    [
      'a multi-line value covers its lines',
      'KEY="-----BEGIN-----\nnot=an assignment\n-----END-----"\nB=1',
      [],
    ],
    [
      'CRLF line ends',
      'A=1\r\nnope\r\nA=2\r\n',
      [
        ['set-twice', 1, 'A', [1, 3]],
        ['not-an-assignment', 2, ''],
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  test('a line that is not an assignment is never quoted in the issue (it may be a secret)', () => {
    const read = readEnvFilesReportingText('Zq8mWv2kLp9xRt4Yb6nQ2\n');
    expect(read.issues).toHaveLength(1);
    expect(JSON.stringify(read.issues)).not.toContain('Zq8mWv2kLp9xRt4Yb6nQ2');
    expect(read.issues[0]).toMatchObject({
      severity: 'error',
      code: 'invalid',
      variable: '',
      file: 'x.env',
      line: 1,
    });
  });

  test('a variable set twice: the issue names both lines', () => {
    const read = readEnvFilesReportingText(
      'DATABASE_PASSWORD=first-one-xxxxxxxx\nX=1\nDATABASE_PASSWORD=second-one-yyyyyyy\n',
    );
    expect(read.issues).toEqual([
      expect.objectContaining({
        code: 'invalid',
        variable: 'DATABASE_PASSWORD',
        line: 1,
        message: expect.stringContaining('(lines 1 and 3)'),
      }),
    ]);
    expect(JSON.stringify(read.issues)).not.toMatch(/first-one|second-one/);
  });

  // Differential: the reader's values are dotenv's on any text made of env-file-like lines.
  const token = fc.constantFrom(
    'A',
    'B',
    'export A',
    '#',
    ' ',
    '=',
    ':',
    "'",
    '"',
    '`',
    '\\',
    'n',
    'x',
    '$',
    ';',
    'é',
    '\n',
    '\r\n',
    '\t',
  );
  test('values equal dotenv.parse on any text', () => {
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 60 }).map((parts) => parts.join('')),
        (text) => {
          expect(parseEnvFile(text, 'f.env').values).toEqual({ ...parse(text) });
        },
      ),
      { numRuns: 2000 },
    );
  });
});

function readEnvFilesReportingText(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'netra-env-text-'));
  try {
    writeFileSync(join(dir, 'x.env'), text);
    return readEnvFilesReporting(['x.env'], dir, () => '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('readEnvFile: a file that cannot be read is an InputError (exit 2) naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netra-env-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each<[string, (path: string) => void, RegExp]>([
    ['missing', () => {}, /^cannot read env file missing\.env: no such file$/],
    ['a directory', (path) => mkdirSync(path), /: it is a directory$/],
    [
      'not UTF-8',
      (path) => writeFileSync(path, Buffer.from([0x41, 0x3d, 0xff, 0xfe, 0x0a])),
      /: it is not UTF-8 text/,
    ],
    [
      'over the size limit',
      (path) => writeFileSync(path, `A=${'x'.repeat(ENV_FILE_MAX_BYTES)}\n`),
      /more than the 1048576/,
    ],
  ])('%s', (name, make, message) => {
    const file = `${name === 'missing' ? 'missing' : name.replace(/\W+/g, '-')}.env`;
    make(join(dir, file));
    const error = (() => {
      try {
        readEnvFile(file, dir);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'INPUT_ERROR', file });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  });
});
