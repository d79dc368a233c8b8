// Another service's schema, composed from the exported fragments plus its own variables, exercised the way a
// consumer would: load in every environment, generate docs/.env.example/JSON Schema, describe, validate values —
// and misuse the DSL. The defects it found are pinned here.
import { inspect } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { describeSchema } from './describe.ts';
import { renderDocs, renderEnvExample } from './docs.ts';
import { type CrossRule, defineSchema, group, type Rule, SchemaDefinitionError, variable } from './dsl.ts';
import { formatIssues } from './format.ts';
import { databaseFragment, environmentVariable, googleOAuthFragment, redisFragment } from './fragments.ts';
import { toJSONSchema } from './json-schema.ts';
import { ConfigError, loadConfig, safeLoadConfig, validateValue } from './load.ts';
import { minStrength, noPlaceholder } from './policies.ts';
import type { Issue } from './types.ts';
import { boolean, expecting, httpUrl, oneOf, port, text } from './values.ts';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;

const LEAKY_VALUE = 'pk_live_SUPERSECRET_0123456789';

/** A custom rule written carelessly: it quotes the value it checks. */
const startsWithSk: Rule = {
  id: 'sk-prefix',
  description: 'starts with sk_',
  check: (value) =>
    value.startsWith('sk_')
      ? undefined
      : { code: 'invalid', message: `API key ${value} must start with sk_`, hint: `Replace ${value}.` },
};

/** A careless cross-variable rule: it quotes a sensitive value it reads. */
const keyNotForMode: CrossRule = {
  id: 'key-matches-mode',
  description: 'a test key only in mode a',
  keys: ['mode', 'apiKey'],
  check: (values) =>
    values['mode'] === 'b' && String(values['apiKey']).startsWith('sk_test')
      ? {
          key: 'apiKey',
          code: 'invalid',
          message: `mode b cannot use ${String(values['apiKey'])}`,
          hint: 'x',
        }
      : undefined,
};

const urlList = expecting(
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  'comma-separated http(s) URLs',
);

const worker = defineSchema(
  {
    environment: environmentVariable(),
    db: databaseFragment(),
    cache: redisFragment(),
    queue: redisFragment({ prefix: 'QUEUE_REDIS_' }),
    oauth: googleOAuthFragment(),
    workers: variable({
      name: 'WORKERS',
      schema: z.coerce.number().int().min(1).max(64),
      description: 'Worker threads.',
      default: '4',
    }),
    port: variable({ name: 'WORKER_PORT', schema: port(), description: 'Port.', default: '9090' }),
    featureX: variable({ name: 'FEATURE_X', schema: boolean(), description: 'Feature X.', default: 'false' }),
    mode: variable({ name: 'MODE', schema: oneOf(['a', 'b']), description: 'Mode.', default: 'a' }),
    webhooks: variable({
      name: 'WEBHOOK_URLS',
      schema: urlList,
      description: 'Where to post events.',
      required: ['staging', 'production'],
      default: { development: 'http://localhost:9999/hook', test: 'http://localhost:9999/hook' },
    }),
    callback: variable({ name: 'CALLBACK_URL', schema: httpUrl(), description: 'Callback.' }),
    apiKey: variable({
      name: 'API_KEY',
      suffixed: ['staging', 'production'],
      schema: text(),
      sensitive: true,
      description: 'Upstream API key.',
      required: ['staging', 'production'],
      default: { development: 'sk_test_development_only_0123' },
      secret: 'api-key-{env}',
      rules: [minStrength(24), noPlaceholder(), startsWithSk],
    }),
  },
  { title: 'Worker', rules: [keyNotForMode] },
);

const STAGING: Record<string, string> = {
  ENVIRONMENT: 'staging',
  DATABASE_HOST: '10.0.0.5',
  DATABASE_USER: 'worker',
  DATABASE_PASSWORD: 'Zx9-qWe7-rTy3-uIo1-pAs5',
  REDIS_HOST: '10.0.0.6',
  REDIS_PASSWORD: '3f1c2a9e-7b64-4d0c-9a55',
  QUEUE_REDIS_HOST: '10.0.0.7',
  QUEUE_REDIS_PASSWORD: '9a55-2e8f6b7c1d40-7b64',
  GOOGLE_OAUTH_CLIENT_ID_STAGING: '123-abc.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'GOCSPX-testOnlyClientSecret0123',
  WEBHOOK_URLS: 'https://a.example/hook, https://b.example',
  API_KEY_STAGING: 'sk_live_9f8e7d6c5b4a39281706',
  MODE: 'b',
};

const printed = (issues: readonly Issue[]) => [JSON.stringify(issues), formatIssues(issues)].join('\n');

describe('a composed schema loads in every environment', () => {
  test('development and test from defaults alone; staging and production from their env', () => {
    const development = loadConfig(worker, { env: { ENVIRONMENT: 'development' } });
    expect(development).toMatchObject({
      db: { host: '127.0.0.1', port: 5432 },
      queue: { host: '127.0.0.1', tls: false },
      workers: 4,
      featureX: false,
      webhooks: ['http://localhost:9999/hook'],
      apiKey: 'sk_test_development_only_0123',
    });
    expect(loadConfig(worker, { env: { ENVIRONMENT: 'test' } }).apiKey).toBeUndefined();
    const staging = loadConfig(worker, { env: STAGING });
    expect(staging.webhooks).toEqual(['https://a.example/hook', 'https://b.example']);
    expect(staging.apiKey).toBe('sk_live_9f8e7d6c5b4a39281706');
    expect(JSON.stringify(staging)).not.toContain('sk_live');
    expect(inspect(staging)).not.toContain('sk_live');
    const production = safeLoadConfig(worker, { env: { ENVIRONMENT: 'production' } });
    expect(!production.ok && production.issues.map((issue) => issue.variable)).toContain(
      'API_KEY_PRODUCTION',
    );
  });

  test.each([
    ['REDIS_TLS', 'TRUE', 'invalid'],
    ['REDIS_TLS', '1', null],
    ['REDIS_TLS', 'yes', null],
    ['WORKER_PORT', '08080', 'invalid'],
    ['WORKER_PORT', '1e3', 'invalid'],
    ['WORKER_PORT', ' 80', 'whitespace'],
    ['WORKER_PORT', '65536', 'invalid'],
  ])('%s=%j → %s', (name, value, code) => {
    const result = safeLoadConfig(worker, { env: { ...STAGING, [name]: value } });
    expect(result.ok ? null : result.issues.map((issue) => issue.code)[0]).toBe(code);
  });

  test('the describe/generate APIs cover the new variables', () => {
    const staging = describeSchema(worker, 'staging');
    expect(staging.find((entry) => entry.key === 'apiKey')).toMatchObject({
      variable: 'API_KEY_STAGING',
      sensitive: true,
      required: true,
      secret: { secret: 'api-key-staging', version: 'latest' },
      otherNames: ['API_KEY', 'API_KEY_PRODUCTION'],
    });
    expect(Object.keys(renderDocs(worker))).toEqual(['index.md', ...ENVIRONMENTS.map((env) => `${env}.md`)]);
    expect(renderEnvExample(worker, 'staging')).toContain('API_KEY_STAGING=');
    expect(renderEnvExample(worker, 'development')).not.toContain('sk_test_development_only_0123');
    const jsonSchema = toJSONSchema(worker, 'staging');
    const validate = new Ajv2020({ strict: false }).compile(jsonSchema);
    expect(validate(STAGING)).toBe(true);
    expect(validate({ ...STAGING, WORKER_PORT: '08080' })).toBe(false);
    expect(JSON.stringify(jsonSchema['x-netra-unchecked'])).toContain('key-matches-mode');
    expect(
      validateValue(worker, {
        environment: 'staging',
        variable: 'API_KEY_STAGING',
        value: 'x'.repeat(30),
      }).map((issue) => issue.code),
    ).toEqual(['weak-secret', 'invalid']);
  });
});

describe('generated artefacts of a schema with custom zod schemas', () => {
  const strictAjv = () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajv.addVocabulary(['x-netra-key', 'x-netra-sensitive', 'x-netra-secret', 'x-netra-reserved']);
    ajv.addVocabulary(['x-netra-environment', 'x-netra-unchecked', 'x-netra-warnings']);
    return ajv;
  };

  test('JSON Schema: a value schema whose input is not a plain string schema never rejects what loads', () => {
    // WORKERS is z.coerce.number() (zod exports `type: integer`, which no env string is), WEBHOOK_URLS pipes into
    // z.array(z.url()) (zod exports `format: uri`, unknown to a strict validator).
    const validate = strictAjv().compile(toJSONSchema(worker, 'staging'));
    for (const env of [STAGING, { ...STAGING, WORKERS: '8' }, { ...STAGING, FEATURE_X: 'yes' }]) {
      expect(safeLoadConfig(worker, { env }).ok).toBe(true);
      expect(validate(env)).toBe(true);
    }
    expect(validate({ ...STAGING, WORKER_PORT: '08080' })).toBe(false);
  });

  test('JSON Schema: refinements, pipes and string formats are named as unchecked', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      refined: variable({
        name: 'REFINED',
        schema: z.string().refine((value) => value.length % 2 === 0),
        description: 'Even length.',
      }),
      email: variable({ name: 'EMAIL', schema: z.email(), description: 'An address.' }),
      regex: variable({ name: 'REGEX', schema: z.string().regex(/^a+$/), description: 'a…' }),
      webhooks: worker.shape.webhooks,
      port: variable({ name: 'PORT', schema: port(), description: 'Port.', default: '1' }),
    });
    const jsonSchema = toJSONSchema(schema, 'staging');
    const unchecked = (jsonSchema['x-netra-unchecked'] as { id: string; variables: string[] }[])
      .filter((rule) => rule.id === 'value-schema')
      .flatMap((rule) => rule.variables);
    expect(unchecked).toEqual(['REFINED', 'EMAIL', 'WEBHOOK_URLS']);
    const validate = strictAjv().compile(jsonSchema);
    const env = {
      ENVIRONMENT: 'staging',
      REFINED: 'ab',
      EMAIL: 'a@b.example',
      REGEX: 'aa',
      WEBHOOK_URLS: 'https://a.example',
    };
    expect(safeLoadConfig(schema, { env }).ok).toBe(true);
    expect(validate(env)).toBe(true);
    expect(validate({ ...env, REGEX: 'b' })).toBe(false);
  });

  test('.env.example: a multi-line description or hint stays inside its comment', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      token: variable({
        name: 'TOKEN',
        schema: text(),
        sensitive: true,
        description: `The upstream token.
Rotate it monthly.`,
        obtain: { copyFrom: 'the upstream console\n(Settings → Tokens)' },
        required: true,
      }),
    });
    const example = renderEnvExample(schema, 'staging');
    const stray = example
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#') && !/^[A-Z_]+=/.test(line));
    expect(stray).toEqual([]);
    expect(example).toContain('Rotate it monthly.');
  });
});

describe('schema code that throws on a bad value is an issue, not a crash with the value in it', () => {
  const JSON_VALUE = 'hunter2-not-json';
  const throwing = defineSchema(
    {
      environment: environmentVariable(),
      settings: variable({
        name: 'SETTINGS_JSON',
        sensitive: true,
        description: 'JSON settings.',
        schema: z.string().transform((value) => JSON.parse(value) as unknown),
      }),
      token: variable({
        name: 'TOKEN',
        sensitive: true,
        description: 'Token.',
        schema: text(),
        rules: [
          { id: 'json-token', description: 'JSON', check: (value): undefined => void JSON.parse(value) },
        ],
      }),
      other: variable({ name: 'OTHER', schema: text(), description: 'Other.', default: 'x' }),
    },
    {
      rules: [
        {
          id: 'throws',
          description: 'throws',
          keys: ['token', 'other'],
          check: (values) => {
            throw new Error(`cannot compare ${String(values['token'])}`);
          },
        },
      ],
    },
  );

  test.each([
    ['a transform that throws', { SETTINGS_JSON: JSON_VALUE }, 'SETTINGS_JSON', 'its value schema'],
    ['a rule that throws', { TOKEN: JSON_VALUE }, 'TOKEN', 'rule json-token'],
    ['a cross-variable rule that throws', { TOKEN: '"quoted"' }, 'TOKEN', 'rule throws'],
  ])('%s', (_, values, name, what) => {
    const env = { ENVIRONMENT: 'test', ...values };
    const result = safeLoadConfig(throwing, { env });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    const issue = issues.find((entry) => entry.variable === name);
    expect(issue?.code).toBe('invalid');
    expect(issue?.message).toContain(`${what} threw`);
    expect(printed(issues)).not.toContain('hunter2');
    expect(printed(issues)).not.toContain('quoted');
    expect(() => loadConfig(throwing, { env })).toThrow(ConfigError);
    expect(
      validateValue(throwing, { environment: 'test', variable: name, value: Object.values(values)[0]! }),
    ).toBeInstanceOf(Array);
  });
});

describe('copies of the config skip its sensitive fields', () => {
  // Sensitive fields are not own properties (see config-object.ts): a copy holds only the other settings.
  const config = loadConfig(worker, { env: STAGING });
  test.each([
    ['spread', () => ({ ...config })],
    ['structuredClone', () => structuredClone(config)],
    ['Object.assign', () => Object.assign({}, config)],
  ])('%s holds no secret', (_, copy) => {
    expect(JSON.stringify(copy())).not.toContain(STAGING['API_KEY_STAGING']);
    expect(JSON.stringify({ ...config }.db)).not.toContain(STAGING['DATABASE_PASSWORD']);
    expect(JSON.stringify(structuredClone(config).db)).not.toContain(STAGING['DATABASE_PASSWORD']);
    expect(JSON.stringify(structuredClone(config.db))).not.toContain(STAGING['DATABASE_PASSWORD']);
  });
  test('the application still reads them by name', () => {
    expect(config.apiKey).toBe(STAGING['API_KEY_STAGING']);
    expect(config.db.password).toBe(STAGING['DATABASE_PASSWORD']);
  });
});

describe('no value in any output, whatever a custom rule writes', () => {
  test('a custom rule quoting a sensitive value: the value is redacted in issues, reports and errors', () => {
    const env = { ...STAGING, API_KEY_STAGING: LEAKY_VALUE };
    const result = safeLoadConfig(worker, { env });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.find((issue) => issue.variable === 'API_KEY_STAGING')?.message).toBe(
      'API key [redacted] must start with sk_',
    );
    expect(printed(issues)).not.toContain(LEAKY_VALUE);
    expect(() => loadConfig(worker, { env })).toThrow(ConfigError);
    try {
      loadConfig(worker, { env });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(LEAKY_VALUE);
    }
    const single = validateValue(worker, {
      environment: 'staging',
      variable: 'API_KEY_STAGING',
      value: LEAKY_VALUE,
    });
    expect(single).toHaveLength(1);
    expect(printed(single)).not.toContain(LEAKY_VALUE);
  });

  test('a custom cross-variable rule quoting a sensitive value is redacted too', () => {
    const key = 'sk_test_abcdefghijklmnopqrstuvwxyz';
    const result = safeLoadConfig(worker, { env: { ...STAGING, API_KEY_STAGING: key } });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.message)).toContain('mode b cannot use [redacted]');
    expect(printed(issues)).not.toContain(key);
  });

  test('a zod message of a sensitive variable that quotes the input is redacted', () => {
    const schema = defineSchema({
      environment: environmentVariable(),
      token: variable({
        name: 'TOKEN',
        sensitive: true,
        description: 'Token.',
        schema: z
          .string()
          .refine((value) => value.length > 40, { error: (issue) => `${String(issue.input)} is short` }),
      }),
    });
    const result = safeLoadConfig(schema, { env: { ENVIRONMENT: 'test', TOKEN: LEAKY_VALUE } });
    expect(result.ok).toBe(false);
    expect(printed(result.ok ? [] : result.issues)).not.toContain(LEAKY_VALUE);
  });

  test('property: whatever value a leaky rule, cross rule or zod message quotes, no output contains it', () => {
    const quoteAll: Rule = {
      id: 'quote-all',
      description: 'quotes the value',
      check: (value) => ({ code: 'invalid', message: `bad ${value}!`, hint: `not "${value}"` }),
    };
    const quoteBoth: CrossRule = {
      id: 'quote-both',
      description: 'quotes both values',
      keys: ['a', 'b'],
      check: (values) => ({
        key: 'b',
        code: 'invalid',
        message: `${String(values['a'])}/${String(values['b'])}`,
        hint: '',
      }),
    };
    const leaky = defineSchema(
      {
        environment: environmentVariable(),
        a: variable({
          name: 'A',
          schema: text(),
          sensitive: true,
          description: 'A.',
          rules: [{ ...quoteAll, severity: 'warning' }],
        }),
        b: variable({ name: 'B', schema: text(), sensitive: true, description: 'B.' }),
        c: variable({ name: 'C', schema: text(), sensitive: true, description: 'C.', rules: [quoteAll] }),
        d: variable({
          name: 'D',
          sensitive: true,
          description: 'D.',
          schema: z.string().refine(() => false, { error: (issue) => `no: ${String(issue.input)}` }),
        }),
      },
      { rules: [quoteBoth] },
    );
    const core = fc.stringMatching(/^[A-Za-z0-9+/=_-]{16,40}$/).map((value) => `Q${value}Z`);
    fc.assert(
      fc.property(fc.array(core, { minLength: 4, maxLength: 4 }), fc.boolean(), (values, padded) => {
        const [a, b, c, d] = values as [string, string, string, string];
        const env = { ENVIRONMENT: 'test', A: a, B: b, C: padded ? ` ${c}\n` : c, D: d };
        const result = safeLoadConfig(leaky, { env });
        const issues = result.ok ? result.warnings : result.issues;
        const outputs = [printed(issues)];
        try {
          loadConfig(leaky, { env });
        } catch (error) {
          outputs.push((error as Error).message);
        }
        for (const name of ['A', 'C', 'D'] as const) {
          outputs.push(
            JSON.stringify(validateValue(leaky, { environment: 'test', variable: name, value: env[name] })),
          );
        }
        const all = outputs.join('\n');
        for (const value of values) expect(all).not.toContain(value.slice(0, 12));
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    ['CALLBACK_URL', 'https://user:hunter2-pass@host.example'],
    ['CALLBACK_URL', 'http://admin:hunter2-pass@host.example:8080/x'],
    ['DATABASE_HOST', 'postgres://app:hunter2-pass@db.example'],
    ['ENVIRONMENT', 'https://u:hunter2-pass@x.example'],
  ])('%s with credentials in a URL: the password is never printed (%s)', (name, value) => {
    const options = name === 'ENVIRONMENT' ? { environment: 'staging' } : {};
    const result = safeLoadConfig(worker, { ...options, env: { ...STAGING, [name]: value } });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    const issue = issues.find((entry) => entry.variable === name);
    expect(issue?.message).toContain(':****@');
    expect(printed(issues)).not.toContain('hunter2');
  });
});

describe('names from the environment cannot drive the terminal', () => {
  test('control characters in a reported variable name are escaped in messages and in formatIssues', () => {
    const name = 'DATABASE_\u001b[2J\u001b]0;owned\u0007X\nY';
    const result = safeLoadConfig(worker, { env: { ...STAGING, [name]: 'x' } });
    const issues = result.ok ? result.warnings : result.issues;
    const issue = issues.find((entry) => entry.code === 'unknown-variable');
    expect(issue?.variable).toBe(name); // the data keeps the real name
    expect(issue?.message).toBe(
      'DATABASE_\\x1b[2J\\x1b]0;owned\\x07X\\nY is not a setting of this schema and is ignored',
    );
    expect(formatIssues(issues)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe('look-alike variable names', () => {
  const warningFor = (name: string) => {
    const result = safeLoadConfig(worker, { env: { ...STAGING, [name]: 'x' } });
    return (result.ok ? result.warnings : result.issues).find((issue) => issue.code === 'unknown-variable');
  };

  test('an invisible character in a name is shown, not printed invisibly', () => {
    const issue = warningFor('DATABASE_HOST\u200b');
    expect(issue?.message).toBe(
      'DATABASE_HOST\\u{200b} is not a setting of this schema; did you mean DATABASE_HOST?',
    );
    expect(issue?.hint).toBe(
      'Rename DATABASE_HOST\\u{200b} to DATABASE_HOST (the name contains invisible or look-alike characters).',
    );
  });

  test('full-width letters (NFKC-equal to a name) get a did-you-mean too', () => {
    const issue = warningFor('ＲＥＤＩＳ_HOST');
    expect(issue?.message).toBe('ＲＥＤＩＳ_HOST is not a setting of this schema; did you mean REDIS_HOST?');
    expect(issue?.hint).toBe(
      'Rename ＲＥＤＩＳ_HOST to REDIS_HOST (the name contains invisible or look-alike characters).',
    );
  });

  test('a lower-case name still says names are case-sensitive', () => {
    expect(warningFor('redis_host')?.hint).toBe(
      'Rename redis_host to REDIS_HOST (names are case-sensitive).',
    );
  });
});

describe('errors a consumer understands', () => {
  test.each([
    ['REDIS_TLS', 'TRUE', 'true'],
    ['QUEUE_REDIS_TLS', 'Yes', 'yes'],
    ['MODE', 'B', 'b'],
    ['DATABASE_SSL_MODE', 'REQUIRE', 'require'],
  ])(
    '%s=%s: the hint says values are case-sensitive and gives the accepted spelling',
    (name, value, fixed) => {
      const result = safeLoadConfig(worker, { env: { ...STAGING, [name]: value } });
      const issue = result.ok ? undefined : result.issues.find((entry) => entry.variable === name);
      expect(issue?.code).toBe('invalid');
      expect(issue?.hint).toBe(`Values are case-sensitive: set ${name}=${fixed}.`);
    },
  );

  test('a zod schema without a described expectation: its message is not glued to "expected"', () => {
    const result = safeLoadConfig(worker, { env: { ...STAGING, WORKERS: '80' } });
    const issue = result.ok ? undefined : result.issues.find((entry) => entry.variable === 'WORKERS');
    expect(issue?.message).toBe("WORKERS is '80', which is invalid: too big: expected number to be <=64");
    expect(issue?.hint).toBe('Set WORKERS to a valid value (see the schema’s documentation of WORKERS).');
  });
});

describe('misusing the DSL is a clear error at definition time', () => {
  // Lists are checked against the schema's environments when the schema is defined.
  const defineWith = (options: Record<string, unknown>) =>
    defineSchema({
      environment: environmentVariable(),
      token: variable({ name: 'TOKEN', schema: text(), description: 'Token.', ...options } as never),
    });

  test.each([
    [{ secret: '' }, "TOKEN's secret binding has no secret name"],
    [{ secret: { version: '3' } }, "TOKEN's secret binding has no secret name"],
    [{ secret: { secret: 'token-{env}', version: 'newest' } }, "TOKEN's secret version 'newest' is not"],
    [{ secret: 'my token/{env}' }, "TOKEN's secret name 'my token/{env}' is not a Secret Manager secret ID"],
    [
      { secret: { secret: 'token-{env}', environments: ['stage'] } },
      "Variable TOKEN's secret binding names 'stage', which is not an environment of this schema (development, test, staging, production) nor a tier (local, deployed); did you mean 'staging'? Declare it",
    ],
  ])('secret %j', (options, message) => {
    expect(() => defineWith(options)).toThrow(SchemaDefinitionError);
    expect(() => defineWith(options)).toThrow(message);
  });

  test.each([
    [
      'a default its schema rejects',
      { schema: port(), default: 'abc' },
      "Variable TOKEN's default ('abc') does not pass its own schema: expected an integer from 1 to 65535.",
    ],
    [
      'a per-environment default its schema rejects',
      { schema: port(), default: { test: '0' } },
      "Variable TOKEN's default in test ('0') does not pass its own schema",
    ],
    [
      'a sensitive default its schema rejects',
      { schema: z.string().min(40), sensitive: true, default: { development: 'short' } },
      "Variable TOKEN's default in development does not pass its own schema",
    ],
    ['an empty default', { default: '' }, "Variable TOKEN's default is empty"],
    [
      'a default whose transform throws',
      { schema: z.string().transform((value) => JSON.parse(value) as unknown), default: 'nope' },
      "Variable TOKEN's default ('nope') does not pass its own schema.",
    ],
    [
      'a default for a misspelled environment',
      { default: { stage: 'x' } },
      "Variable TOKEN's default names 'stage', which is not an environment of this schema",
    ],
    [
      'required in a misspelled environment',
      { required: ['prod'] },
      "Variable TOKEN's required names 'prod', which is not an environment of this schema",
    ],
    [
      'suffixed in a misspelled environment',
      { suffixed: ['Staging'] },
      "Variable TOKEN's suffixed names \"Staging\", which is neither an environment name (lower-case, e.g. 'staging') nor a tier",
    ],
    [
      'allowed in a misspelled environment',
      { environments: ['dev'] },
      "Variable TOKEN's environments names 'dev', which is not an environment of this schema",
    ],
  ])('%s', (_, options, message) => {
    expect(() => defineWith(options)).toThrow(SchemaDefinitionError);
    expect(() => defineWith(options)).toThrow(message);
  });

  test('a sensitive default that fails its schema is refused without printing it', () => {
    expect(() =>
      defineWith({ schema: z.string().min(40), sensitive: true, default: { development: 'short-secret' } }),
    ).not.toThrow(/short-secret/);
  });

  test.each([
    ['describeSchema', () => describeSchema(worker, 'prod' as never)],
    ['renderEnvExample', () => renderEnvExample(worker, 'stage' as never)],
    ['toJSONSchema', () => toJSONSchema(worker, 'Staging' as never)],
  ])('%s with an unknown environment throws, with a did-you-mean', (_, call) => {
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/Did you mean '(production|staging)'\?/);
  });

  test('validateValue with an unknown environment returns the unknown-environment issue', () => {
    const issues = validateValue(worker, { environment: 'prod' as never, variable: 'WORKERS', value: '4' });
    expect(issues.map((issue) => issue.code)).toEqual(['unknown-environment']);
    expect(issues[0]?.hint).toContain("Did you mean 'production'?");
  });

  test('a cross-variable rule reading a key its group does not have (a typo would disable it silently)', () => {
    const rule: CrossRule = { ...keyNotForMode, keys: ['mode', 'apiKye'] };
    const shape = { mode: worker.shape.mode, apiKey: worker.shape.apiKey };
    expect(() => group(shape, { rules: [rule] })).toThrow(
      "Cross-variable rule key-matches-mode reads 'apiKye', which is not a key of its group (keys: mode, apiKey).",
    );
    expect(() => defineSchema({ environment: environmentVariable(), ...shape }, { rules: [rule] })).toThrow(
      SchemaDefinitionError,
    );
    // Nested keys are paths into the group.
    const nested: CrossRule = { ...keyNotForMode, keys: ['oauth.google.clientId', 'mode'] };
    expect(() =>
      defineSchema({ oauth: googleOAuthFragment(), mode: worker.shape.mode }, { rules: [nested] }),
    ).not.toThrow();
  });

  test.each([
    ['without an id', { description: 'x', check: (): undefined => undefined }],
    ['without a check function', { id: 'x', description: 'x' }],
    ['without a description', { id: 'x', check: (): undefined => undefined }],
  ])('a custom rule %s', (_, rule) => {
    expect(() => defineWith({ rules: [rule] })).toThrow(SchemaDefinitionError);
    expect(() => defineWith({ rules: [rule] })).toThrow("Variable TOKEN's rule");
  });

  test('a sensitive default in staging', () => {
    expect(() => defineWith({ sensitive: true, default: { staging: 'x' } })).toThrow(
      'Variable TOKEN is sensitive but has a default in staging',
    );
  });

  test('the same variable name from two fragments names both keys and how to fix it', () => {
    expect(() =>
      defineSchema({ environment: environmentVariable(), cache: redisFragment(), queue: redisFragment() }),
    ).toThrow(/REDIS_HOST is used by both cache\.host and queue\.host in development.*prefix/);
  });

  test('two fragments of one kind get their own secrets from their prefix, and a shared secret is refused', () => {
    const staging = describeSchema(worker, 'staging');
    const secretOf = (key: string) => staging.find((entry) => entry.key === key)?.secret?.secret;
    expect(secretOf('cache.password')).toBe('redis-password-staging');
    expect(secretOf('queue.password')).toBe('queue-redis-password-staging');
    expect(secretOf('db.password')).toBe('database-password-staging');
    expect(() =>
      defineSchema({
        environment: environmentVariable(),
        cache: redisFragment(),
        queue: redisFragment({ prefix: 'QUEUE_REDIS_', passwordSecret: 'redis-password-{env}' }),
      }),
    ).toThrow('REDIS_PASSWORD and QUEUE_REDIS_PASSWORD are both bound to secret redis-password-staging');
  });

  test.each(['__proto__', 'toJSON', 'toString', 'constructor', 'a.b', ''])('key %j is refused', (key) => {
    const shape = Object.defineProperty({}, key, {
      value: variable({ name: 'VALUE', schema: text(), description: 'Value.', default: 'x' }),
      enumerable: true,
    });
    expect(() => defineSchema(shape)).toThrow(SchemaDefinitionError);
    expect(() => defineSchema(shape)).toThrow(`key ${JSON.stringify(key)}`);
    expect(() => group(shape)).toThrow(SchemaDefinitionError);
  });

  test('`__proto__:` written as an object-literal key (which sets the prototype) is refused, not dropped', () => {
    const shape = {
      environment: environmentVariable(),
      __proto__: variable({ name: 'VALUE', schema: text(), description: 'Value.', default: 'x' }),
    };
    expect(() => defineSchema(shape)).toThrow(/__proto__/);
  });

  test('unicode and lower-case names are refused', () => {
    expect(() => variable({ name: 'ÜBER', schema: text(), description: 'x' })).toThrow(SchemaDefinitionError);
    expect(() => variable({ name: '__proto__', schema: text(), description: 'x' })).toThrow(
      SchemaDefinitionError,
    );
  });
});
