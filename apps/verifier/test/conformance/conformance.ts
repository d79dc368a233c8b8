/**
 * Test support shared by the conformance tests: run a generated Python module over cases, build random
 * environments from a schema's portable description. Not part of the CLI (tests import it).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Issue, PortableSchema } from '@netra/config-schema';
import fc from 'fast-check';

/** One case: the variables and, optionally, the environment argument. */
export interface ConformanceCase {
  name?: string;
  env: Record<string, string>;
  environment?: string;
}

/** What a loader answered. */
export interface LoaderAnswer {
  ok: boolean;
  issues: Issue[];
}

const runner = fileURLToPath(new URL('./python-runner.py', import.meta.url));

/** `safe_load` of the module at `modulePath` over every case, in one `python3` process. */
export function runPython(modulePath: string, cases: readonly ConformanceCase[]): LoaderAnswer[] {
  const result = spawnSync('python3', [runner, modulePath], {
    input: JSON.stringify(cases.map(({ env, environment }) => ({ env, environment }))),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as LoaderAnswer[];
}

/** `VARIABLE:code` of every error, sorted: what the corpus records. */
export function errorPairs(answer: LoaderAnswer): string[] {
  return answer.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => `${issue.variable}:${issue.code}`)
    .sort();
}

const awkward = [
  '',
  ' ',
  'localhost',
  '127.0.0.1',
  '::1',
  '[::1]',
  '0.0.0.0',
  'changeme',
  'Password',
  '<secret>',
  '$\u007bJWT_SECRET}', // an unexpanded shell variable
  '{{ secret }}',
  'your-key-here',
  '{"web":{"client_id":"1-a.apps.googleusercontent.com"}}',
  '{"installed":{}}',
  '{not json}',
  'http://api.example.com',
  'https://localhost:8443/x',
  'https://user:pw@api.example.com/',
  'redis://10.0.0.3:6379',
  '10.0.0.3:5432',
  '/cloudsql/p-1:us-central1:db',
  'TRUE',
  'Yes',
  '0',
  '65535',
  '65536',
  '08080',
  'abcabcabcabcabcabcabcabcabcabcabcabc',
  '11111111111111111111111111111111111111',
  'qwerty123!',
  'xQmlxFtKAkeo-z0NozbSitZC2GVHYzaVOehhW0jzX9s=',
  'xQmlxFtKAkeo+z0NozbSitZC2GVHYzaVOehhW0jzX9s=',
  'xQmlxFtKAkeo-z0NozbSitZC2GVHYzaVOehhW0jzX9s',
  'ａｄｍｉｎ',
  'pässwörd-with-ümlauts-and-more-than-32-characters',
  'line\nbreak',
  '\u00a0padded\u00a0',
  // Numbers as JavaScript's Number() reads them (z.coerce.number()).
  '1e3',
  '0x10',
  '0b11',
  '1.5',
  '-0',
  '+5',
  '.5e1',
  '1_000',
  'Infinity',
  '9007199254740993',
  '00012',
];

function valuesFor(
  variable: PortableSchema['byEnvironment'][string]['variables'][number],
): fc.Arbitrary<string> {
  const known = [
    variable.example,
    variable.default?.value,
    ...variable.developmentDefaults,
    ...(variable.value?.type === 'one-of' ? variable.value.values : []),
    ...(variable.value?.type === 'boolean' ? [...variable.value.true, ...variable.value.false] : []),
  ].filter((value): value is string => value !== undefined);
  const base = known.length > 0 ? fc.constantFrom(...known) : fc.constant('value');
  return fc.oneof(
    { weight: 4, arbitrary: base },
    { weight: 3, arbitrary: fc.constantFrom(...awkward) },
    { weight: 2, arbitrary: fc.base64String({ minLength: 8, maxLength: 64 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(base, fc.constantFrom(' ', '\n', '\t', 'X', '#x', '@', '.'), fc.boolean())
        .map(([value, extra, before]) => (before ? `${extra}${value}` : `${value}${extra}`)),
    },
    { weight: 1, arbitrary: base.map((value) => value.toUpperCase()) },
  );
}

/** Near misses of a name: one letter dropped, doubled, swapped or in lower case. */
function misspell(name: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(name.length - 1), fc.constantFrom('drop', 'double', 'lower', 'suffix', 'astral', 'wide'))
    .map(([at, how]) => {
      if (how === 'drop') return name.slice(0, at) + name.slice(at + 1);
      // A character outside the BMP counts twice in JavaScript's lengths and edit distances.
      if (how === 'astral') return `${name.slice(0, at)}\u{1F600}${name.slice(at)}`;
      if (how === 'wide')
        return name.replace(/[A-Z]/, (letter) => String.fromCodePoint(letter.codePointAt(0)! + 0xfee0));
      if (how === 'double') return name.slice(0, at) + name[at] + name.slice(at);
      if (how === 'lower') return name.toLowerCase();
      return `${name}_EXTRA`;
    });
}

/**
 * Random environments built from the schema: for an environment of the schema (or, sometimes, a near miss), each
 * variable absent, valid, awkward or misspelled, other environments' names, strays under the schema's prefixes.
 */
export function environmentsOf(portable: PortableSchema): fc.Arbitrary<ConformanceCase> {
  return fc.constantFrom(...portable.environments).chain((environment) => {
    const described = portable.byEnvironment[environment]!;
    const entries = described.variables.map((variable) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<[string, string][]>([]) },
        {
          weight: 6,
          arbitrary: valuesFor(variable).map((value): [string, string][] => [[variable.name, value]]),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(
              variable.otherNames.length > 0
                ? fc.constantFrom(...variable.otherNames)
                : misspell(variable.name),
              valuesFor(variable),
            )
            .map(([name, value]): [string, string][] => [[name, value]]),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(misspell(variable.name), valuesFor(variable))
            .map(([name, value]): [string, string][] => [[name, value]]),
        },
      ),
    );
    const strays = fc.array(
      fc.tuple(
        fc.oneof(
          described.prefixes.length > 0
            ? fc.constantFrom(...described.prefixes).map((prefix) => `${prefix}TIMEOUT`)
            : fc.constant('STRAY_SETTING'),
          fc.constantFrom('HOME', 'PATH', 'NODE_ENV', 'UNRELATED_THING', 'X'),
          fc.constantFrom(...described.notAllowed.map((entry) => entry.name), 'NOT_A_SETTING'),
        ),
        fc.constantFrom('1', 'value', ''),
      ),
      { maxLength: 3 },
    );
    const environmentValue = fc.oneof(
      { weight: 8, arbitrary: fc.constant(environment) },
      { weight: 1, arbitrary: fc.constantFrom(...portable.environments) },
      { weight: 1, arbitrary: fc.constantFrom('', 'stage', 'prod', 'Staging', 'qa-2') },
    );
    return fc
      .tuple(fc.tuple(...entries), strays, environmentValue, fc.boolean())
      .map(([pairs, extra, environmentName, asArgument]) => {
        const env: Record<string, string> = Object.fromEntries([...pairs.flat(), ...extra]);
        if (asArgument) return { env, environment: environmentName };
        env['ENVIRONMENT'] = environmentName;
        return { env };
      });
  });
}
