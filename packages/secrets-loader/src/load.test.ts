import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { netraBackendSchema } from '@netra/backend-schema';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { expectNoLeak, type Harness, observeAccessCalls, startHarness } from '../test/helpers.ts';
import { createSecretManagerClient } from './client.ts';
import { loadSecrets, resolveSecretReferences, SecretsError, safeLoadSecrets } from './load.ts';

const P = 'netra-staging-test';
const SM = {
  'jwt-secret-staging': 'sm-jwt-VALUE-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  'database-password-staging': 'sm-db-VALUE-Kp9rT2vX8zQ4',
  'redis-password-staging': 'sm-redis-VALUE-Lm3nB7vC1x',
  'fernet-key-staging': 'sm-fernet-VALUE-aGVsbG8gd29ybGQgaGVsbG8gd29ybGQhIQ==',
  'gemini-api-key-staging': 'sm-gemini-VALUE-AIzaSyD-123',
  'google-oauth-client-id-staging': 'sm-oauth-id-VALUE.apps.googleusercontent.com',
  'google-oauth-client-secret-staging': 'sm-oauth-secret-VALUE-GOCSPX-9',
  'other-project-key': 'sm-other-VALUE-ref-resolved-1',
  'oauth-json': JSON.stringify({ web: { client_id: 'sm-json-VALUE.apps.googleusercontent.com' } }),
  'dev-oauth-client': JSON.stringify({
    web: {
      client_id: 'dev-json-VALUE-id.apps.googleusercontent.com',
      client_secret: 'dev-json-VALUE-GOCSPX-7',
    },
  }),
  'host-with-newline': 'db-host-VALUE.internal\n',
  'slow-setting': 'slow-setting-VALUE-https://issuer',
  'database-host': 'db-host-VALUE-10.0.0.7',
};
const DEV_ID = 'dev-json-VALUE-id.apps.googleusercontent.com';
const DEV_SECRET = 'dev-json-VALUE-GOCSPX-7';
const VARIABLE_OF: Record<string, string> = {
  'jwt-secret-staging': 'JWT_SECRET_STAGING',
  'database-password-staging': 'DATABASE_PASSWORD',
  'redis-password-staging': 'REDIS_PASSWORD',
  'fernet-key-staging': 'FERNET_KEY',
  'gemini-api-key-staging': 'GEMINI_API_KEY',
  'google-oauth-client-id-staging': 'GOOGLE_OAUTH_CLIENT_ID_STAGING',
  'google-oauth-client-secret-staging': 'GOOGLE_OAUTH_CLIENT_SECRET_STAGING',
};
const ENV_VALUE = 'env-VALUE-set-by-cloud-run-123';
const FILE_VALUE = 'file-VALUE-mounted-456789';
const ALL = [...Object.values(SM), ENV_VALUE, FILE_VALUE, DEV_ID, DEV_SECRET, 'db-host-VALUE.internal'];

let harness: Harness;
let client: SecretManagerServiceClient;
let dir: string;
beforeAll(async () => {
  harness = await startHarness({ [P]: SM });
  client = harness.client;
  dir = await mkdtemp(join(tmpdir(), 'secrets-loader-'));
  await writeFile(join(dir, 'fernet'), FILE_VALUE);
  await writeFile(join(dir, 'newline'), `${FILE_VALUE}\n`);
  await writeFile(join(dir, 'binary'), Buffer.from([0x66, 0x69, 0xff, 0xfe]));
});
afterAll(async () => {
  await harness.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => harness.emulator.faults.reset());

describe('loadSecrets: sources and precedence', () => {
  test('every staging binding from Secret Manager when only projectId is given', async () => {
    const { values, sources, warnings } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: {},
      projectId: P,
      client,
    });
    const expected = Object.fromEntries(
      Object.entries(VARIABLE_OF).map(([secret, variable]) => [variable, SM[secret as keyof typeof SM]]),
    );
    expect(values).toEqual(expected);
    expect(Object.keys(values)).toEqual(Object.keys(expected).sort());
    expect(sources['JWT_SECRET_STAGING']).toEqual({
      kind: 'secret-manager',
      project: P,
      secret: 'jwt-secret-staging',
      version: 'latest',
    });
    expect(warnings).toEqual([]);
  });

  // One variable, every combination of sources: the first in precedence order wins.
  const fernetFile = () => join(dir, 'fernet');
  test.each<[string, () => Record<string, string>, string, string]>([
    ['env value', () => ({ FERNET_KEY: ENV_VALUE }), ENV_VALUE, 'env'],
    [
      'env value over NAME_FILE',
      () => ({ FERNET_KEY: ENV_VALUE, FERNET_KEY_FILE: fernetFile() }),
      ENV_VALUE,
      'env',
    ],
    [
      'sm:// reference over NAME_FILE',
      () => ({ FERNET_KEY: `sm://${P}/other-project-key`, FERNET_KEY_FILE: fernetFile() }),
      SM['other-project-key'],
      'reference',
    ],
    ['NAME_FILE over the binding', () => ({ FERNET_KEY_FILE: fernetFile() }), FILE_VALUE, 'file'],
    ['the binding when nothing else', () => ({}), SM['fernet-key-staging'], 'secret-manager'],
    [
      'an empty value counts as unset',
      () => ({ FERNET_KEY: '', FERNET_KEY_FILE: '' }),
      SM['fernet-key-staging'],
      'secret-manager',
    ],
  ])('%s', async (_name, env, value, kind) => {
    const { values, sources } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: env(),
      projectId: P,
      client,
    });
    expect(values['FERNET_KEY']).toBe(value);
    expect(sources['FERNET_KEY']?.kind).toBe(kind);
  });

  test('both NAME and NAME_FILE set: NAME wins, with a warning', async () => {
    const { warnings } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { FERNET_KEY: ENV_VALUE, FERNET_KEY_FILE: join(dir, 'fernet') },
      projectId: P,
      client,
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        variable: 'FERNET_KEY',
        message: expect.stringContaining('FERNET_KEY_FILE'),
      }),
    ]);
  });

  test('sources say where each came from; a reference keeps its text, a JSON field is selected', async () => {
    const { values, sources } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: {
        JWT_SECRET_STAGING: ENV_VALUE,
        FERNET_KEY_FILE: join(dir, 'fernet'),
        GOOGLE_OAUTH_CLIENT_ID_STAGING: `sm://${P}/oauth-json?field=web.client_id`,
      },
      projectId: P,
      client,
    });
    expect(values['GOOGLE_OAUTH_CLIENT_ID_STAGING']).toBe('sm-json-VALUE.apps.googleusercontent.com');
    expect(sources).toMatchObject({
      JWT_SECRET_STAGING: { kind: 'env' },
      FERNET_KEY: { kind: 'file', path: join(dir, 'fernet') },
      GOOGLE_OAUTH_CLIENT_ID_STAGING: {
        kind: 'reference',
        reference: `sm://${P}/oauth-json?field=web.client_id`,
      },
      DATABASE_PASSWORD: { kind: 'secret-manager', secret: 'database-password-staging' },
    });
  });

  test('env and files only (no projectId): no client is needed', async () => {
    const unusable = new Proxy({} as SecretManagerServiceClient, {
      get() {
        throw new Error('the client must not be used');
      },
    });
    const env = Object.fromEntries(
      Object.values(VARIABLE_OF).map((variable) => [variable, `${ENV_VALUE}-${variable}`]),
    );
    const { values } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env,
      client: unusable,
    });
    expect(Object.keys(values)).toHaveLength(7);
  });

  test("without a client, it follows the loaded env's SECRET_MANAGER_EMULATOR_HOST", async () => {
    expect(process.env['SECRET_MANAGER_EMULATOR_HOST'] ?? '').toBe('');
    const { values } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { SECRET_MANAGER_EMULATOR_HOST: harness.emulator.address },
      projectId: P,
    });
    expect(values['JWT_SECRET_STAGING']).toBe(SM['jwt-secret-staging']);
    expect(
      await resolveSecretReferences({
        SECRET_MANAGER_EMULATOR_HOST: harness.emulator.address,
        K: `sm://${P}/other-project-key`,
      }),
    ).toEqual({ K: SM['other-project-key'] });
  });

  test('development with nothing set: nothing to load, no error', async () => {
    const loaded = await loadSecrets(netraBackendSchema, { environment: 'development', env: {} });
    expect({ ...loaded, values: loaded.values }).toEqual({ values: {}, sources: {}, warnings: [] });
  });

  test('the result shows no secret when logged, spread or cloned; values spread into an env', async () => {
    const secret = `Zq${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '')}`;
    const loaded = await loadSecrets(netraBackendSchema, {
      environment: 'development',
      env: { JWT_SECRET: secret },
    });
    const safe = await safeLoadSecrets(netraBackendSchema, {
      environment: 'development',
      env: { JWT_SECRET: secret },
    });
    expect(loaded.values['JWT_SECRET']).toBe(secret);
    expect({ ...loaded.values }).toEqual({ JWT_SECRET: secret });
    if (!safe.ok) throw new Error('expected a load');
    for (const result of [loaded, safe]) {
      const outputs = [
        JSON.stringify(result),
        inspect(result, { depth: 10 }),
        inspect(result, { depth: 10, showHidden: true }),
        String(result),
        `${result}`,
        JSON.stringify({ ...result }),
        inspect(structuredClone(result), { customInspect: false, depth: 10 }),
        JSON.stringify(Object.entries(result)),
        JSON.stringify(result.values),
        inspect(result.values),
        String(result.values),
        inspect(new Error('x', { cause: result })),
      ];
      for (const output of outputs) expect(output).not.toContain(secret.slice(0, 16));
      expect(JSON.stringify(result)).toContain('[redacted]');
    }
  });

  test('development: sensitive variables from env and files', async () => {
    const { values, sources } = await loadSecrets(netraBackendSchema, {
      environment: 'development',
      env: {
        JWT_SECRET: ENV_VALUE,
        DATABASE_PASSWORD_FILE: join(dir, 'fernet'),
        DATABASE_HOST: 'not-a-secret',
      },
    });
    expect(values).toEqual({ DATABASE_PASSWORD: FILE_VALUE, JWT_SECRET: ENV_VALUE });
    expect(sources).toEqual({
      DATABASE_PASSWORD: { kind: 'file', path: join(dir, 'fernet') },
      JWT_SECRET: { kind: 'env' },
    });
  });
});

describe('loadSecrets: sm:// references in settings that are neither sensitive nor bound', () => {
  test('development: GOOGLE_OAUTH_CLIENT_ID=sm://… is resolved in the same pass, one call per secret version', async () => {
    const observed = await createSecretManagerClient({ emulatorHost: harness.emulator.address });
    try {
      const calls = observeAccessCalls(observed);
      const { values, sources, warnings } = await loadSecrets(netraBackendSchema, {
        environment: 'development',
        env: {
          // GOOGLE_OAUTH_CLIENT_ID is not sensitive and has no binding in development.
          GOOGLE_OAUTH_CLIENT_ID: `sm://${P}/dev-oauth-client?field=web.client_id`,
          GOOGLE_OAUTH_CLIENT_SECRET: `sm://${P}/dev-oauth-client?field=web.client_secret`,
          JWT_SECRET: ENV_VALUE,
          DATABASE_HOST: 'db.internal',
          API_BASE_URL: 'https://api.example.test',
          NOT_IN_THE_SCHEMA: `sm://${P}/other-project-key`,
        },
        client: observed,
      });
      expect(values).toEqual({
        GOOGLE_OAUTH_CLIENT_ID: DEV_ID,
        GOOGLE_OAUTH_CLIENT_SECRET: DEV_SECRET,
        JWT_SECRET: ENV_VALUE,
      });
      expect(sources).toEqual({
        GOOGLE_OAUTH_CLIENT_ID: {
          kind: 'reference',
          reference: `sm://${P}/dev-oauth-client?field=web.client_id`,
        },
        GOOGLE_OAUTH_CLIENT_SECRET: {
          kind: 'reference',
          reference: `sm://${P}/dev-oauth-client?field=web.client_secret`,
        },
        JWT_SECRET: { kind: 'env' },
      });
      expect(warnings).toEqual([]);
      // The setting and the secret share one secret version: fetched once, in one pass.
      expect(calls.started()).toBe(1);
    } finally {
      await observed.close();
    }
  });

  test('staging: a plain setting given as a reference is fetched alongside the bindings', async () => {
    const { values, sources } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { DATABASE_HOST: `sm://${P}/database-host#1`, REDIS_HOST: '10.0.0.8' },
      projectId: P,
      client,
    });
    expect(values['DATABASE_HOST']).toBe(SM['database-host']);
    expect(sources['DATABASE_HOST']).toEqual({ kind: 'reference', reference: `sm://${P}/database-host#1` });
    expect(values['JWT_SECRET_STAGING']).toBe(SM['jwt-secret-staging']);
    expect(Object.keys(values)).toHaveLength(8);
    expect(values).not.toHaveProperty('REDIS_HOST');
  });

  // Two references that resolve (one on a setting, one on a secret) beside one that fails in each way: nothing
  // is returned, and exactly the failing setting is named.
  test.each<[string, string, string, string, (() => void)?]>([
    ['not found', 'DATABASE_HOST', `sm://${P}/no-such-host`, 'secret-not-found'],
    ['malformed', 'API_BASE_URL', 'sm://Bad_Project/x', 'invalid'],
    ['a trailing newline', 'REDIS_HOST', `sm://${P}/host-with-newline`, 'whitespace'],
    [
      'permission denied',
      'FRONTEND_URL',
      `sm://${P}/database-host`,
      'secret-permission-denied',
      () => harness.emulator.faults.deny('database-host'),
    ],
    [
      'past the deadline',
      'OAUTH_ISSUER_URL',
      `sm://${P}/slow-setting`,
      'secret-deadline',
      () => harness.emulator.faults.setLatency(30_000, { secret: 'slow-setting' }),
    ],
  ])('development, one reference %s: nothing returned', async (_name, variable, reference, code, fault) => {
    fault?.();
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'development',
      env: {
        GOOGLE_OAUTH_CLIENT_ID: `sm://${P}/dev-oauth-client?field=web.client_id`,
        JWT_SECRET: `sm://${P}/jwt-secret-staging`,
        FERNET_KEY: ENV_VALUE,
        [variable]: reference,
      },
      client,
      deadlineMs: 1_500,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.variable, i.code])).toEqual([[variable, code]]);
    expect(result).not.toHaveProperty('values');
    expect(result).not.toHaveProperty('sources');
    expectNoLeak(result, ALL);
  });

  test('development with plain settings only: no client is used', async () => {
    const unusable = new Proxy({} as SecretManagerServiceClient, {
      get() {
        throw new Error('the client must not be used');
      },
    });
    const { values } = await loadSecrets(netraBackendSchema, {
      environment: 'development',
      env: {
        GOOGLE_OAUTH_CLIENT_ID: 'x.apps.googleusercontent.com',
        DATABASE_HOST: 'db',
        JWT_SECRET: ENV_VALUE,
      },
      client: unusable,
    });
    expect(values).toEqual({ JWT_SECRET: ENV_VALUE });
  });
});

describe('loadSecrets: all or nothing', () => {
  test('an unknown environment (from JavaScript or an env string) is an issue with a did-you-mean', async () => {
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'prod' as 'production',
      env: {},
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        expect.objectContaining({ code: 'unknown-environment', hint: expect.stringContaining('production') }),
      ],
    });
  });

  test('every problem at once, nothing returned, no value in the error', async () => {
    harness.emulator.faults.deny('redis-password-staging');
    const error = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: {
        JWT_SECRET_STAGING: `${ENV_VALUE}\n`,
        FERNET_KEY_FILE: join(dir, 'does-not-exist'),
        GEMINI_API_KEY: 'sm://Bad_Project/x',
        GOOGLE_OAUTH_CLIENT_ID_STAGING: `sm://${P}/missing-secret`,
      },
      projectId: P,
      client,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsError);
    const secretsError = error as SecretsError;
    expect(secretsError.code).toBe('SECRETS_UNAVAILABLE');
    expect(secretsError.issues.map((i) => [i.variable, i.code])).toEqual([
      ['FERNET_KEY', 'missing'],
      ['GEMINI_API_KEY', 'invalid'],
      ['GOOGLE_OAUTH_CLIENT_ID_STAGING', 'secret-not-found'],
      ['JWT_SECRET_STAGING', 'whitespace'],
      ['REDIS_PASSWORD', 'secret-permission-denied'],
    ]);
    expect(secretsError.message).toContain('5 errors');
    expect(secretsError.message).toContain('FERNET_KEY_FILE points at');
    expect(secretsError.issues[1]?.hint).toContain(
      'sm://PROJECT/[locations/LOCATION/]SECRET[#VERSION][?field=a.b]',
    );
    expectNoLeak(secretsError, ALL);
  });

  test('a required binding with no source and no projectId is missing, with every way to provide it', async () => {
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'production',
      env: { JWT_SECRET_PRODUCTION: ENV_VALUE },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.variable)).toEqual([
      'DATABASE_PASSWORD',
      'FERNET_KEY',
      'GEMINI_API_KEY',
      'GOOGLE_OAUTH_CLIENT_ID_PRODUCTION',
      'GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION',
      'REDIS_PASSWORD',
    ]);
    expect(result.issues[0]).toMatchObject({
      code: 'missing',
      secret: 'database-password-production',
      hint: expect.stringContaining('--set-secrets=DATABASE_PASSWORD=database-password-production:latest'),
    });
    expect(result.issues[0]?.hint).toContain('DATABASE_PASSWORD_FILE');
    expect(result).not.toHaveProperty('values');
  });

  test('a NAME_FILE that is a directory or not UTF-8', async () => {
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { FERNET_KEY_FILE: join(dir, 'binary'), GEMINI_API_KEY_FILE: dir },
      projectId: P,
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'invalid',
        variable: 'FERNET_KEY',
        message: expect.stringContaining('is not UTF-8 text'),
      }),
      expect.objectContaining({
        code: 'invalid',
        variable: 'GEMINI_API_KEY',
        message: expect.stringContaining('is a directory'),
      }),
    ]);
  });

  test('an empty NAME_FILE is an error, not a value that counts as unset', async () => {
    await writeFile(join(dir, 'empty'), '');
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { FERNET_KEY_FILE: join(dir, 'empty') },
      projectId: P,
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'invalid',
        variable: 'FERNET_KEY',
        file: join(dir, 'empty'),
        message: `FERNET_KEY_FILE points at ${join(dir, 'empty')}, which is empty.`,
      }),
    ]);
  });

  test('a NAME_FILE that is not a regular file (a FIFO, a device) is refused at once, not read forever', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { FERNET_KEY_FILE: fifo, GEMINI_API_KEY_FILE: '/dev/zero' },
      projectId: P,
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'invalid',
        variable: 'FERNET_KEY',
        message: `FERNET_KEY_FILE points at ${fifo}, which is not a regular file.`,
      }),
      expect.objectContaining({
        code: 'invalid',
        variable: 'GEMINI_API_KEY',
        message: 'GEMINI_API_KEY_FILE points at /dev/zero, which is not a regular file.',
      }),
    ]);
  });

  test('a NAME_FILE larger than a secret can be (64 KiB) is refused without reading it', async () => {
    const big = join(dir, 'big');
    await writeFile(big, 'x'.repeat(64 * 1024 + 1));
    await writeFile(join(dir, 'largest'), 'y'.repeat(64 * 1024));
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { FERNET_KEY_FILE: big, GEMINI_API_KEY_FILE: join(dir, 'largest') },
      projectId: P,
      client,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'invalid',
        variable: 'FERNET_KEY',
        message: `FERNET_KEY_FILE points at ${big}, which is larger than 64 KiB (65537 bytes; a secret holds at most 65536).`,
      }),
    ]);
  });

  test('a file ending in one newline (as echo writes it) holds the value without it; more is whitespace', async () => {
    const read = async (text: string) => {
      const path = join(dir, `eol-${text.length}-${text.endsWith('\r\n') ? 'crlf' : 'lf'}`);
      await writeFile(path, text);
      return safeLoadSecrets(netraBackendSchema, {
        environment: 'staging',
        env: { FERNET_KEY_FILE: path },
        projectId: P,
        client,
      });
    };
    for (const text of [`${FILE_VALUE}\n`, `${FILE_VALUE}\r\n`]) {
      const result = await read(text);
      expect(result.ok && result.values.FERNET_KEY).toBe(FILE_VALUE);
    }
    const result = await read(`${FILE_VALUE}\n\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toEqual([
        expect.objectContaining({ code: 'whitespace', variable: 'FERNET_KEY' }),
      ]);
      expectNoLeak(result, ALL);
    }
    const newlineOnly = await read('\n');
    expect(newlineOnly.ok).toBe(false);
    if (!newlineOnly.ok) expect(newlineOnly.issues[0]?.message).toContain('is empty');
  });

  test('GOOGLE_SDK_NODE_LOGGING refuses fetching in staging but not loading from env', async () => {
    const refused = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { GOOGLE_SDK_NODE_LOGGING: 'secret-manager' },
      projectId: P,
      client,
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.issues.map((i) => i.variable)).toEqual(['GOOGLE_SDK_NODE_LOGGING']);
    const env = Object.fromEntries(
      Object.values(VARIABLE_OF).map((variable) => [variable, `${ENV_VALUE}-${variable}`]),
    );
    const fromEnv = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: { ...env, GOOGLE_SDK_NODE_LOGGING: 'secret-manager' },
    });
    expect(fromEnv.ok).toBe(true);
  });

  test('the whole load has one deadline', async () => {
    harness.emulator.faults.setLatency(30_000, { secret: 'gemini-api-key-staging' });
    const started = performance.now();
    const result = await safeLoadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: {},
      projectId: P,
      client,
      deadlineMs: 1_500,
    });
    expect(performance.now() - started).toBeLessThan(5_000); // not the 30 s answer
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => [i.variable, i.code])).toEqual([['GEMINI_API_KEY', 'secret-deadline']]);
  });
});

describe('resolveSecretReferences', () => {
  test('resolves only the sm:// variables', async () => {
    const resolved = await resolveSecretReferences(
      {
        PLAIN: 'plain',
        UNSET: undefined,
        B_KEY: `sm://${P}/other-project-key#1`,
        A_ID: `sm://${P}/oauth-json?field=web.client_id`,
      },
      { client },
    );
    expect(resolved).toEqual({
      A_ID: 'sm-json-VALUE.apps.googleusercontent.com',
      B_KEY: SM['other-project-key'],
    });
  });

  test('all or nothing, every problem named', async () => {
    const error = await resolveSecretReferences(
      { OK: `sm://${P}/other-project-key`, BAD: 'sm://nope', GONE: `sm://${P}/gone#3` },
      { client },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as SecretsError).issues.map((i) => [i.variable, i.code])).toEqual([
      ['BAD', 'invalid'],
      ['GONE', 'secret-not-found'],
    ]);
    expectNoLeak(error, ALL);
  });

  test('refuses in staging with GOOGLE_SDK_NODE_LOGGING, reading ENVIRONMENT from env', async () => {
    await expect(
      resolveSecretReferences(
        { ENVIRONMENT: 'staging', GOOGLE_SDK_NODE_LOGGING: '*', KEY: `sm://${P}/other-project-key` },
        { client },
      ),
    ).rejects.toThrow(/GOOGLE_SDK_NODE_LOGGING is set in staging/);
  });

  test('no references: nothing fetched', async () => {
    expect(await resolveSecretReferences({ A: 'a' })).toEqual({});
  });
});
