import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import {
  defineSchema,
  environmentVariable,
  expecting,
  minStrength,
  noPlaceholder,
  text,
  variable,
} from '@netra/config-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { generatePython, snakeCase } from './python';
import { toPythonRegex, UntranslatableRegex } from './python-regex';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-codegen-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs `script` with the generated module importable as `config`; returns stdout (throws with stderr). */
async function python(source: string, script: string): Promise<string> {
  const directory = await mkdtemp(join(work, 'module-'));
  await writeFile(join(directory, 'config.py'), source);
  const result = spawnSync('python3', ['-c', script], { cwd: directory, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

const backend = generatePython(netraBackendSchema, { schemaSpec: 'backend' }).source;

describe('the generated module', () => {
  test('load() returns a frozen dataclass tree in snake_case; sensitive fields print as [redacted]', async () => {
    const out = await python(
      backend,
      `
import dataclasses, config
c = config.load({"ENVIRONMENT": "development", "JWT_SECRET": "a-very-long-development-secret-value-123", "REDIS_TLS": "yes"})
print(type(c).__name__, c.database.port + 1, c.redis.tls, c.oauth.google.client_id, c.log_level)
print(repr(c.jwt_secret == "a-very-long-development-secret-value-123"))
print("a-very-long" in repr(c), "a-very-long" in str(c), "jwt_secret=[redacted]" in str(c))
try:
    c.port = 1
except dataclasses.FrozenInstanceError:
    print("frozen")
`,
    );
    expect(out).toBe('Config 5433 True None info\nTrue\nFalse False True\nfrozen\n');
  });

  test('load() raises ConfigError with .issues (six fields, no value); safe_load returns them', async () => {
    const out = await python(
      backend,
      `
import json, config
env = {"ENVIRONMENT": "staging", "JWT_SECRET": "s3cr3t-value-that-must-not-leak", "DATABASE_PASSWORD": "hunter2x"}
try:
    config.load(env)
except config.ConfigError as error:
    print(error.code, error.environment, sorted(error.issues[0].keys()))
    print("s3cr3t" in str(error), "hunter2x" in str(error), str(error).splitlines()[0])
ok, cfg, issues = config.safe_load(env)
print(ok, cfg, len(issues) > 5)
print(config.safe_load({}, "qa")[2][0]["code"])
`,
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      "CONFIG_INVALID staging ['code', 'hint', 'key', 'message', 'severity', 'variable']",
    );
    expect(lines[1]).toMatch(/^False False Invalid configuration for staging: \d+ errors$/);
    expect(lines[2]).toBe('False None True');
    expect(lines[3]).toBe('unknown-environment');
  });

  test('reads os.environ and ENVIRONMENT by default', async () => {
    const directory = await mkdtemp(join(work, 'environ-'));
    await writeFile(join(directory, 'config.py'), backend);
    const result = spawnSync(
      'python3',
      ['-c', 'import config; ok, c, i = config.safe_load(); print(ok, c.environment, c.database.host)'],
      {
        cwd: directory,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ENVIRONMENT: 'test', DATABASE_HOST: 'db' },
      },
    );
    expect(result.stdout).toBe('True test db\n');
  });

  test('a custom rule or value schema it cannot translate is listed as not checked in Python, never dropped silently', async () => {
    const custom = defineSchema({
      environment: environmentVariable(),
      token: variable({
        name: 'TOKEN',
        schema: text(),
        description: 'A token.',
        sensitive: true,
        required: ['staging', 'production'],
        rules: [
          minStrength(20),
          noPlaceholder(),
          {
            id: 'no-underscore',
            description: 'no _',
            check: (value) =>
              value.includes('_')
                ? { code: 'invalid', message: 'TOKEN has _', hint: 'Remove it.' }
                : undefined,
          },
        ],
      }),
      region: variable({
        name: 'REGION',
        schema: expecting(z.string().regex(/^\p{Ll}+-\p{Ll}+\d$/u), 'a Google Cloud region'),
        description: 'Region.',
        default: 'europe-west1',
      }),
      count: variable({
        name: 'COUNT',
        schema: z.coerce.number().multipleOf(5),
        description: 'A count.',
        default: '5',
      }),
      batch: variable({
        name: 'BATCH',
        schema: z.coerce.number().int().min(1).max(1000),
        description: 'A batch size (a coerced number: translated, zod messages included).',
        default: '100',
      }),
    });
    const generated = generatePython(custom, { schemaSpec: 'custom.ts' });
    expect(generated.notChecked).toEqual([
      'token: rule no-underscore (development, test, staging, production)',
      'count: value schema (development, test, staging, production)',
      'region: value schema (a Unicode property escape has no Python equivalent) (development, test, staging, production)',
    ]);
    expect(generated.source).toContain('Not checked in Python (custom code the generator cannot translate');
    expect(generated.source).toContain(
      '  - token: rule no-underscore (development, test, staging, production)',
    );
    const out = await python(
      generated.source,
      `
import config
print(len(config.NOT_CHECKED_IN_PYTHON))
ok, c, issues = config.safe_load({"ENVIRONMENT": "staging", "TOKEN": "changeme"})
print(ok, sorted(i["code"] for i in issues))
ok, c, issues = config.safe_load({"ENVIRONMENT": "staging", "TOKEN": "a_long_enough_random_token_value", "COUNT": "7", "BATCH": "0x10"})
print(ok, c.count, c.region, c.batch)
print(config.safe_load({"ENVIRONMENT": "test", "BATCH": "1001"})[2][0]["message"])
`,
    );
    expect(out).toBe(
      "3\nFalse ['placeholder', 'weak-secret']\nTrue 7 europe-west1 16\nBATCH is '1001', which is invalid: too big: expected number to be <=1000\n",
    );
  });

  test('snake_case names and Python keywords', () => {
    expect(['jwtSecret', 'apiBaseURL', 'sslMode', 'class', 'gcpProjectId', 'x'].map(snakeCase)).toEqual([
      'jwt_secret',
      'api_base_url',
      'ssl_mode',
      'class_',
      'gcp_project_id',
      'x',
    ]);
  });
});

describe('toPythonRegex', () => {
  test.each([
    ['^[0-9]+$', '', '^[0-9]+\\Z'],
    [
      '^\\d\\s\\w.$',
      'u',
      String.raw`^[0-9][\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][A-Za-z0-9_][^\n\r\u2028\u2029]\Z`,
    ],
    ['^([\\s\\S]{1,8})\\1+$', 'u', '^([\\s\\S]{1,8})(?:\\1)+\\Z'],
    [
      '^[^/\\s[\\]]*\\/x',
      '',
      String.raw`^[^/\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\[\]]*/x`,
    ],
    ['(?<year>[0-9]{4})', '', '(?P<year>[0-9]{4})'],
    ['^(?![0-9.]+$)a', '', '^(?![0-9.]+\\Z)a'],
    ['abc', 'i', '(?i)abc'],
  ])('%s /%s', (source, flags, expected) => {
    expect(toPythonRegex(source, flags)).toBe(expected);
  });

  test.each([
    ['a', 'g'],
    ['a', 'm'],
    ['\\p{L}', 'u'],
    ['[\\S_]', ''],
    ['\\cA', ''],
  ])('refuses %s /%s', (source, flags) => {
    expect(() => toPythonRegex(source, flags)).toThrow(UntranslatableRegex);
  });

  test('the translated patterns match what JavaScript matches (checked in Python)', async () => {
    const cases: [string, string, string[]][] = [
      ['^[0-9]+$', '', ['123', '12\n', '١٢٣', '']],
      ['^\\s+$', 'u', [' \u00a0\ufeff', '\u0085', '\u2028', '\x1c']],
      ['^.$', '', ['a', '\n', '\r', '\u2028', '\u0085']],
      ['^\\w+$', 'u', ['abc_1', 'é', 'ａ']],
    ];
    const payload = cases.flatMap(([source, flags, inputs]) =>
      inputs.map((input) => ({
        python: toPythonRegex(source, flags),
        input,
        expected: new RegExp(source, flags).test(input),
      })),
    );
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import json,re,sys\nfor c in json.load(sys.stdin): print(bool(re.search(c["python"], c["input"])) == c["expected"])',
      ],
      { input: JSON.stringify(payload), encoding: 'utf8' },
    );
    expect(result.stdout.trim().split('\n')).toEqual(payload.map(() => 'True'));
  });
});
