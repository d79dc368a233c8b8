import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import {
  ConfigError,
  describeSchema,
  type Environment,
  formatIssues,
  loadConfig,
  safeLoadConfig,
  validateValue,
} from '@netra/config-schema';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HEALTHY_PRODUCTION, HEALTHY_STAGING } from '../test/fixtures/envs.ts';
import { netraBackendSchema } from './schema.ts';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;

const ALL_NAMES = [
  ...new Set(ENVIRONMENTS.flatMap((env) => describeSchema(netraBackendSchema, env).map((v) => v.variable))),
  'OAUTH_ISSUER_URL',
];
const ODD_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'é',
];

/** An object whose own properties are exactly `entries`, in order — `__proto__` included as an own key. */
function envOf(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of entries) {
    Object.defineProperty(env, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return env;
}

const name = fc.oneof(
  fc.constantFrom(...ALL_NAMES),
  fc.constantFrom(...ODD_NAMES),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const value = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\n', 'localhost', 'changeme', '{"web":{}}', 'https://x.example', '8080', 'true'),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);
const entries = fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, maxLength: 25 });
const environment = fc.oneof(
  fc.constantFrom(...ENVIRONMENTS),
  fc.constant(undefined),
  fc.string({ maxLength: 12 }),
);

describe('safeLoadConfig on arbitrary env maps', () => {
  test('never throws; loadConfig throws only ConfigError; nothing is polluted', () => {
    fc.assert(
      fc.property(entries, environment, (list, env) => {
        const map = envOf(list);
        const options = env === undefined ? { env: map } : { env: map, environment: env };
        const result = safeLoadConfig(netraBackendSchema, options);
        if (result.ok) expect(Object.isFrozen(result.config)).toBe(true);
        else expect(result.issues.some((issue) => issue.severity === 'error')).toBe(true);
        try {
          loadConfig(netraBackendSchema, options);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
        formatIssues(result.ok ? result.warnings : result.issues, { color: true });
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 300 },
    );
  });

  test('`__proto__` as an own key neither crashes nor changes the result', () => {
    const base = Object.entries(HEALTHY_STAGING);
    const withProto = envOf([...base, ['__proto__', 'x'], ['constructor', 'y']]);
    const result = safeLoadConfig(netraBackendSchema, { env: withProto });
    expect(result.ok).toBe(true);
    const parsed = safeLoadConfig(netraBackendSchema, {
      env: JSON.parse('{"__proto__":{"ENVIRONMENT":"staging"}}'),
    });
    expect(!parsed.ok && parsed.issues[0]?.code).toBe('unknown-environment');
  });

  test('the result does not depend on the order of the variables', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENVIRONMENTS), entries, fc.func(fc.integer()), (env, list, rank) => {
        const healthy = Object.entries(env === 'production' ? HEALTHY_PRODUCTION : HEALTHY_STAGING).filter(
          ([key]) => key !== 'ENVIRONMENT',
        );
        const all = [...new Map([...healthy, ...list]).entries()];
        const shuffled = [...all].sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1));
        const first = safeLoadConfig(netraBackendSchema, { env: envOf(all), environment: env });
        const second = safeLoadConfig(netraBackendSchema, { env: envOf(shuffled), environment: env });
        const third = safeLoadConfig(netraBackendSchema, {
          env: envOf([...all].reverse()),
          environment: env,
        });
        const view = (result: typeof first) =>
          result.ok ? { ok: true, warnings: result.warnings, config: JSON.stringify(result.config) } : result;
        expect(view(second)).toEqual(view(first));
        expect(view(third)).toEqual(view(first));
      }),
      { numRuns: 200 },
    );
  });
});

const SENSITIVE = (env: Environment) =>
  describeSchema(netraBackendSchema, env).filter((variable) => variable.sensitive);

// A distinctive random core (never a substring of any message), in shapes that trip different rules — or,
// in 'valid' mode, values that pass, so the loaded config's outputs are scanned too.
const secretCore = fc.stringMatching(/^[A-Za-z0-9]{34,50}$/).map((core) => `Q${core}Z`);
const fernetKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => `${Buffer.from(bytes).toString('base64url')}=`);
const shapes = (core: string) => [
  core,
  `${core}\n`,
  ` ${core}`,
  core.slice(0, 12),
  `<${core}>`,
  `changeme${core}`,
  JSON.stringify({ web: { client_id: core, client_secret: core } }),
  `${core}+/=`,
];

function captureConsole(value: unknown): string {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  new Console({ stdout: stream, stderr: stream }).log(value);
  return out;
}

describe('no secret value in any output', () => {
  test('messages, hints, thrown error, formatIssues, JSON, inspect, String, console.log', () => {
    let loaded = 0;
    let failed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<Environment>('staging', 'production', 'development'),
        fc.boolean(),
        fc.array(secretCore, { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(7), { minLength: 8, maxLength: 8 }),
        fernetKey,
        (env, valid, cores, shapeIndexes, fernet) => {
          const base =
            env === 'development'
              ? { ENVIRONMENT: 'development' }
              : env === 'staging'
                ? HEALTHY_STAGING
                : HEALTHY_PRODUCTION;
          const map: Record<string, string> = { ...base };
          const needles: string[] = [];
          SENSITIVE(env).forEach((variable, index) => {
            const core = cores[index]!;
            if (variable.variable === 'FERNET_KEY' && (valid || index % 2 === 0)) {
              map[variable.variable] = fernet;
              needles.push(fernet.slice(0, 16));
              return;
            }
            map[variable.variable] = valid ? core : shapes(core)[shapeIndexes[index]!]!;
            needles.push(core.slice(0, 12));
          });
          // The same secrets under other environments' names and misspelled names.
          map['JWT_SECRET_STAGNG'] = cores[0]!;
          if (env !== 'development') map['JWT_SECRET'] = cores[1]!;
          const outputs: string[] = [];
          const result = safeLoadConfig(netraBackendSchema, { env: map });
          const issues = result.ok ? result.warnings : result.issues;
          outputs.push(JSON.stringify(issues), formatIssues(issues), formatIssues(issues, { color: true }));
          try {
            const config = loadConfig(netraBackendSchema, { env: map });
            loaded++;
            outputs.push(
              JSON.stringify(config),
              inspect(config, { depth: 10 }),
              String(config),
              `${config.database}`,
              captureConsole(config),
              captureConsole(config.oauth),
              JSON.stringify({ nested: config }),
              inspect({ nested: config }, { depth: 10 }),
            );
            expect(config.jwtSecret).toBe(map[SENSITIVE(env)[0]!.variable]);
          } catch (error) {
            failed++;
            if (!(error instanceof ConfigError)) throw error;
            const configError = error as ConfigError;
            outputs.push(
              configError.message,
              String(configError.stack),
              inspect(configError),
              JSON.stringify(configError),
            );
          }
          for (const variable of SENSITIVE(env)) {
            const issues = validateValue(netraBackendSchema, {
              environment: env,
              variable: variable.variable,
              value: map[variable.variable]!,
            });
            outputs.push(JSON.stringify(issues));
          }
          const all = outputs.join('\n');
          for (const needle of needles) expect(all).not.toContain(needle);
          expect(all).not.toContain(cores[0]!.slice(0, 12));
        },
      ),
      { numRuns: 300 },
    );
    // Both paths were exercised: loaded configs and thrown errors.
    expect(loaded).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(20);
  });
});
