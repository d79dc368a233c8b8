import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSchema, type Issue, safeLoadConfig, toJSONSchema } from '@netra/config-schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HEALTHY_PRODUCTION, HEALTHY_STAGING } from '../test/fixtures/envs.ts';
import { netraBackendSchema } from './schema.ts';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;
type Environment = (typeof ENVIRONMENTS)[number];

const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary([
  'x-netra-key',
  'x-netra-sensitive',
  'x-netra-secret',
  'x-netra-reserved',
  'x-netra-environment',
  'x-netra-unchecked',
  'x-netra-warnings',
]);
const validators = new Map(
  ENVIRONMENTS.map((env) => [env, ajv.compile(toJSONSchema(netraBackendSchema, env))] as const),
);

const HEALTHY: Record<Environment, Record<string, string>> = {
  development: { ENVIRONMENT: 'development' },
  test: { ENVIRONMENT: 'test' },
  staging: HEALTHY_STAGING,
  production: HEALTHY_PRODUCTION,
};

// Values that exercise every rule somewhere: loopback forms, ports, URLs, placeholders, weak and strong
// secrets, Fernet keys of every fault, JSON documents, whitespace.
const BAD_AND_GOOD = [
  'localhost',
  'LOCALHOST',
  'db.localhost',
  '127.0.0.1',
  '127.1.2.3',
  '::1',
  '[::1]',
  '0.0.0.0',
  '10.0.0.5',
  'db.internal',
  '/cloudsql/p-1:europe-west1:db',
  '/cloudsql/nope',
  '0',
  '1',
  '65535',
  '65536',
  '080',
  '-1',
  'abc',
  'true',
  'no',
  'TRUE',
  'info',
  'verbose',
  'require',
  'http://localhost:8080',
  'https://localhost',
  'https://127.0.0.1:443/x',
  'http://api.example.com',
  'https://api.example.com/v1',
  'https://user@example.com',
  'ftp://example.com',
  'changeme',
  'ChangeMe',
  'secret',
  '<secure-staging-jwt-secret>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an unexpanded shell variable is the input under test
  '${JWT_SECRET}',
  'your-secret-here',
  'passwordpassword',
  'abababababababababababababababababab',
  '12345678901234567890123456789012345',
  'q7Vd1rXk9PzL3mW8sT2yB6nF0hJ4cG5aR1eU9iO3',
  'Zp4uK8wQ2rN6tY1xV9mB3cL7',
  'netra-development-only-jwt-secret-never-deploy',
  'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE=',
  'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE',
  'af6UlIQlh1rYCI2/Z5uVblNV39EKn8aR+ZQFeLOUQgE=',
  'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQ==',
  '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
  '{"web":{"client_id":"x.apps.googleusercontent.com","client_secret":"GOCSPX-abc"}}',
  '{not json',
  'GOCSPX-testOnlyClientSecret0123',
  'netra-staging',
  'Netra_Staging',
  ' padded',
  'trailing\n',
  ' ',
  '',
  'netra_app',
  'staging',
  'production',
  'développement',
];

interface Case {
  environment: Environment;
  env: Record<string, string>;
}

function corpus(): Case[] {
  const cases: Case[] = [];
  for (const environment of ENVIRONMENTS) {
    const healthy = HEALTHY[environment];
    cases.push({ environment, env: healthy });
    const names = new Set<string>();
    for (const env of ENVIRONMENTS) {
      for (const variable of describeSchema(netraBackendSchema, env)) names.add(variable.variable);
    }
    for (const name of names) {
      const { [name]: _, ...without } = healthy;
      cases.push({ environment, env: without });
      for (const value of BAD_AND_GOOD) cases.push({ environment, env: { ...healthy, [name]: value } });
    }
  }
  return cases;
}

// Cross-variable rules JSON Schema cannot express (named in x-netra-unchecked): the only allowed reason for
// ajv to accept what safeLoadConfig rejects.
function explainedByUncheckedRule(issue: Issue, environment: Environment): boolean {
  const unchecked = toJSONSchema(netraBackendSchema, environment)['x-netra-unchecked'] as {
    keys: string[];
  }[];
  const keys = new Set(unchecked.flatMap((rule) => rule.keys));
  return keys.has(issue.key) && /contains the user name|OAuth needs both/.test(issue.message);
}

function agree({ environment, env }: Case): { ajv: boolean; load: boolean; explained: boolean } {
  const ajvOk = validators.get(environment)!(env);
  const result = safeLoadConfig(netraBackendSchema, { env, environment });
  const errors = result.ok ? [] : result.issues.filter((issue) => issue.severity === 'error');
  return {
    ajv: ajvOk,
    load: result.ok,
    explained: ajvOk && !result.ok && errors.every((issue) => explainedByUncheckedRule(issue, environment)),
  };
}

describe('toJSONSchema', () => {
  test('is JSON Schema 2020-12 and names the rules it cannot express', () => {
    const schema = toJSONSchema(netraBackendSchema, 'staging');
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['required']).toContain('JWT_SECRET_STAGING');
    expect(schema['required']).not.toContain('JWT_SECRET');
    expect((schema['x-netra-unchecked'] as { id: string }[]).map((rule) => rule.id)).toEqual([
      'password-not-user',
      'oauth-client-pair',
    ]);
    expect((schema['properties'] as Record<string, unknown>)['OAUTH_ISSUER_URL']).toMatchObject({
      const: '',
    });
    // Development defaults appear only as values to refuse (public by design), never as a default.
    for (const property of Object.values(schema['properties'] as Record<string, Record<string, unknown>>)) {
      if (property['x-netra-sensitive']) expect(property).not.toHaveProperty('default');
    }
  });

  test('ajv agrees with safeLoadConfig on accept/reject over a corpus of env maps of every environment', () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThan(5000);
    let accepted = 0;
    let explained = 0;
    const disagreements: string[] = [];
    for (const item of cases) {
      const outcome = agree(item);
      if (outcome.load) accepted++;
      if (outcome.explained) {
        explained++;
        continue;
      }
      if (outcome.ajv !== outcome.load) {
        disagreements.push(
          `${item.environment}: ajv ${outcome.ajv} load ${outcome.load} ${JSON.stringify(item.env)}`,
        );
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The corpus exercises both outcomes and the cross-variable rules JSON Schema cannot express.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(cases.length - 1000);
    expect(explained).toBeGreaterThan(0);
  });

  test('ajv agrees with safeLoadConfig on random env maps', () => {
    const names = [
      ...new Set(
        ENVIRONMENTS.flatMap((env) => describeSchema(netraBackendSchema, env).map((v) => v.variable)),
      ),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...ENVIRONMENTS),
        fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...BAD_AND_GOOD), { maxKeys: 12 }),
        (environment, changes) => {
          const outcome = agree({ environment, env: { ...HEALTHY[environment], ...changes } });
          expect(outcome.explained || outcome.ajv === outcome.load).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  // The point of the export: the Python backend validates against the same definition. Runs where python3
  // with the `jsonschema` package is installed (it is on the CI image).
  const python = spawnSync('python3', ['-c', 'import jsonschema'], { encoding: 'utf8' });
  test.skipIf(python.status !== 0)(
    'Python jsonschema agrees with ajv on the whole corpus',
    () => {
      const cases = corpus();
      const script = join(
        dirname(fileURLToPath(import.meta.url)),
        '../test/fixtures/validate_with_jsonschema.py',
      );
      const schemas = Object.fromEntries(
        ENVIRONMENTS.map((env) => [env, toJSONSchema(netraBackendSchema, env)]),
      );
      const run = spawnSync('python3', [script], {
        input: JSON.stringify({ schemas, cases }),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(run.stderr).toBe('');
      const verdicts = JSON.parse(run.stdout) as boolean[];
      expect(verdicts).toHaveLength(cases.length);
      const differing = cases.filter(
        (item, index) => validators.get(item.environment)!(item.env) !== verdicts[index],
      );
      expect(differing.slice(0, 3)).toEqual([]);
    },
    60_000,
  );
});
