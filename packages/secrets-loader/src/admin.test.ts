import { createServer } from 'node:net';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { netraBackendSchema } from '@netra/backend-schema';
import { type Environment, fingerprint } from '@netra/config-schema';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeak, type Harness, startHarness } from '../test/helpers.ts';
import { auditSecrets, pushSecrets } from './admin.ts';
import { createSecretManagerClient } from './client.ts';
import { loadSecrets } from './load.ts';

const P = 'netra-audit-test';
const SA = 'backend@netra-audit-test.iam.gserviceaccount.com';
const GOOD = {
  JWT_SECRET_STAGING: 'jwt-VALUE-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  DATABASE_PASSWORD: 'db-VALUE-Kp9rT2vX8zQ4w',
  REDIS_PASSWORD: 'redis-VALUE-Lm3nB7vC1x',
  FERNET_KEY: `${Buffer.alloc(32, 7).toString('base64url')}=`,
  GEMINI_API_KEY: 'AIzaSyD-gemini-VALUE-123',
  GOOGLE_OAUTH_CLIENT_ID_STAGING: '123-VALUE.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'GOCSPX-VALUE-secret-9',
};
const OLD_DB = 'db-VALUE-old-version-Zx81';
const DISABLED_DB = 'db-VALUE-disabled-Qq12';
const BAD_REDIS = 'changeme';
const ALL = [...Object.values(GOOD), OLD_DB, DISABLED_DB];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('auditSecrets', () => {
  test('exists, enabled versions, value rules by fingerprint, and the runtime account’s access', async () => {
    harness = await startHarness({
      [P]: {
        'jwt-secret-staging': GOOD.JWT_SECRET_STAGING,
        'database-password-staging': [OLD_DB, { value: DISABLED_DB, state: 'DISABLED' }],
        'redis-password-staging': BAD_REDIS,
        // fernet-key-staging does not exist
        'gemini-api-key-staging': `${GOOD.GEMINI_API_KEY}\n`,
        'google-oauth-client-id-staging': GOOD.GOOGLE_OAUTH_CLIENT_ID_STAGING,
        'google-oauth-client-secret-staging': GOOD.GOOGLE_OAUTH_CLIENT_SECRET_STAGING,
      },
    });
    const { client } = harness;
    const grant = (secret: string, condition?: { expression: string; title: string }) =>
      client.setIamPolicy({
        resource: `projects/${P}/secrets/${secret}`,
        policy: {
          bindings: [
            {
              role: 'roles/secretmanager.secretAccessor',
              members: [`serviceAccount:${SA}`],
              ...(condition ? { condition } : {}),
            },
          ],
        },
      });
    await grant('jwt-secret-staging');
    await grant('google-oauth-client-id-staging', {
      expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
      title: 'expires',
    });
    await client.setIamPolicy({
      resource: `projects/${P}/secrets/google-oauth-client-secret-staging`,
      policy: { bindings: [{ role: 'roles/secretmanager.viewer', members: [`serviceAccount:${SA}`] }] },
    });
    await client.setIamPolicy({
      resource: `projects/${P}/secrets/redis-password-staging`,
      policy: {
        bindings: [{ role: 'roles/secretmanager.secretAccessor', members: ['group:backend@example.com'] }],
      },
    });
    await client.setIamPolicy({
      resource: `projects/${P}/secrets/gemini-api-key-staging`,
      policy: {
        bindings: [{ role: 'roles/owner', members: ['user:someone@example.com', `serviceAccount:${SA}`] }],
      },
    });

    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      serviceAccount: SA,
      client,
    });
    expect(report.ok).toBe(false);
    const bySecret = Object.fromEntries(report.secrets.map((s) => [s.secret, s]));
    expect(bySecret['jwt-secret-staging']).toEqual({
      variable: 'JWT_SECRET_STAGING',
      secret: 'jwt-secret-staging',
      version: 'latest',
      exists: true,
      enabledVersions: 1,
      fingerprint: fingerprint(GOOD.JWT_SECRET_STAGING),
      valuePasses: true,
      access: 'granted',
    });
    expect(bySecret['database-password-staging']).toMatchObject({
      exists: true,
      enabledVersions: 1,
      access: 'missing',
    });
    expect(bySecret['database-password-staging']).not.toHaveProperty('fingerprint');
    expect(bySecret['redis-password-staging']).toMatchObject({
      access: 'not-checked', // granted to a group, whose membership is not visible
      enabledVersions: 1,
      fingerprint: fingerprint(BAD_REDIS),
      valuePasses: false,
    });
    expect(bySecret['fernet-key-staging']).toMatchObject({ exists: false, enabledVersions: 0 });
    expect(bySecret['gemini-api-key-staging']).toMatchObject({ valuePasses: false, access: 'granted' }); // roles/owner
    expect(bySecret['google-oauth-client-id-staging']).toMatchObject({
      access: 'not-checked',
      valuePasses: true,
    });
    expect(bySecret['google-oauth-client-secret-staging']).toMatchObject({ access: 'missing' }); // viewer cannot read

    const errors = report.issues.filter((i) => i.severity === 'error').map((i) => [i.variable, i.code]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['DATABASE_PASSWORD', 'secret-disabled'],
        ['REDIS_PASSWORD', 'secret-invalid-value'],
        ['FERNET_KEY', 'secret-not-found'],
        ['GEMINI_API_KEY', 'whitespace'],
      ]),
    );
    expect(errors.filter(([v]) => v === 'JWT_SECRET_STAGING' || v?.startsWith('GOOGLE_OAUTH'))).toEqual([]);
    const redis = report.issues.find(
      (i) => i.variable === 'REDIS_PASSWORD' && i.code === 'secret-invalid-value',
    );
    expect(redis?.message).toContain(`fingerprint ${fingerprint(BAD_REDIS)}`);
    expect(redis?.hint).toContain(`gcloud secrets versions add redis-password-staging --project ${P}`);
    const access = report.issues.filter((i) => i.code === 'secret-permission-denied');
    expect(access.every((i) => i.severity === 'warning')).toBe(true);
    expect(access.find((i) => i.variable === 'GOOGLE_OAUTH_CLIENT_ID_STAGING')?.message).toContain(
      'condition',
    );
    expect(access.find((i) => i.variable === 'REDIS_PASSWORD')?.message).toContain(
      'group:backend@example.com',
    );
    expect(access.find((i) => i.variable === 'DATABASE_PASSWORD')?.message).toContain(
      'project level is not checked',
    );
    expect(access.find((i) => i.variable === 'DATABASE_PASSWORD')?.hint).toContain(
      `--member=serviceAccount:${SA} --role=roles/secretmanager.secretAccessor`,
    );
    expectNoLeak(report, [...ALL.filter((v) => v !== BAD_REDIS)]);
    expect(JSON.stringify(report)).not.toContain(`"${BAD_REDIS}"`);
  });

  test('all good: ok, no access check without a service account', async () => {
    harness = await startHarness({
      [P]: Object.fromEntries(Object.entries(GOOD).map(([variable, value]) => [secretOf(variable), value])),
    });
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      client: harness.client,
    });
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.secrets).toHaveLength(7);
    expect(report.secrets.every((s) => s.access === undefined && s.valuePasses)).toBe(true);
  });

  test('a corrupted checksum and a denied secret are reported, not crashed on', async () => {
    harness = await startHarness({
      [P]: Object.fromEntries(Object.entries(GOOD).map(([variable, value]) => [secretOf(variable), value])),
    });
    harness.emulator.faults.corruptChecksum('jwt-secret-staging');
    harness.emulator.faults.deny('fernet-key-staging');
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      client: harness.client,
    });
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => [i.variable, i.code])).toEqual([
      ['JWT_SECRET_STAGING', 'secret-checksum'],
      ['FERNET_KEY', 'secret-permission-denied'],
    ]);
    expectNoLeak(report, ALL);
  });
});

/** A loopback port nothing listens on: bound to learn a free one, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('auditSecrets when Secret Manager does not answer: the cause, never "not found"', () => {
  let unreachableClient: SecretManagerServiceClient | undefined;
  afterEach(async () => {
    await unreachableClient?.close().catch(() => {});
    unreachableClient = undefined;
  });

  test('nothing listens at the address: one secret-deadline per secret naming it, existence unknown', async () => {
    const port = await closedPort();
    unreachableClient = await createSecretManagerClient({ emulatorHost: `127.0.0.1:${port}` });
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      client: unreachableClient,
      callTimeoutMs: 1500,
    });
    expect(report.ok).toBe(false);
    expect(report.secrets).toHaveLength(7);
    expect(report.secrets.every((s) => s.exists === null && s.enabledVersions === 0)).toBe(true);
    expect(report.issues.map((i) => i.variable).sort()).toEqual(report.secrets.map((s) => s.variable).sort());
    for (const issue of report.issues) {
      expect(issue).toMatchObject({ severity: 'error', code: 'secret-deadline' });
      expect(issue.message).toContain(`no connection to Secret Manager at 127.0.0.1:${port}`);
      expect(issue.message).not.toMatch(/does not exist|not found/i);
      expect(issue.hint).toContain('SECRET_MANAGER_EMULATOR_HOST');
    }
  });

  test('credentials refused (UNAUTHENTICATED): one secret-permission-denied per secret, existence unknown', async () => {
    harness = await startHarness({
      [P]: Object.fromEntries(Object.entries(GOOD).map(([variable, value]) => [secretOf(variable), value])),
    });
    harness.emulator.faults.failNext('*', { times: 1000, code: 'UNAUTHENTICATED' });
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      client: harness.client,
      serviceAccount: SA,
    });
    expect(report.ok).toBe(false);
    expect(report.secrets.every((s) => s.exists === null)).toBe(true);
    expect(report.issues).toHaveLength(7);
    for (const issue of report.issues) {
      expect(issue).toMatchObject({
        severity: 'error',
        code: 'secret-permission-denied',
        status: 'UNAUTHENTICATED',
      });
      expect(issue.message).toContain('credentials');
      expect(issue.message).not.toMatch(/does not exist|not found/i);
      expect(issue.hint).toContain('gcloud auth application-default login');
    }
    expectNoLeak(report, ALL);
  });

  test('a failure other than NOT_FOUND from GetSecret is secret-access-failed, not a missing secret', async () => {
    harness = await startHarness({
      [P]: Object.fromEntries(Object.entries(GOOD).map(([variable, value]) => [secretOf(variable), value])),
    });
    harness.emulator.faults.failNext('GetSecret', {
      times: 1,
      code: 'INTERNAL',
      secret: 'fernet-key-staging',
    });
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      client: harness.client,
    });
    expect(report.issues.map((i) => [i.variable, i.code])).toEqual([['FERNET_KEY', 'secret-access-failed']]);
    expect(report.secrets.find((s) => s.variable === 'FERNET_KEY')?.exists).toBeNull();
  });
});

describe('an unknown environment is an issue in the report, not a throw', () => {
  test.each([
    ['prod', 'production'],
    ['stage', 'staging'],
  ])('%s → unknown-environment (did you mean %s?)', async (environment, suggestion) => {
    harness = await startHarness({ [P]: {} });
    const report = await auditSecrets(netraBackendSchema, {
      environment: environment as Environment,
      projectId: P,
      client: harness.client,
    });
    expect(report).toMatchObject({ ok: false, secrets: [] });
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ severity: 'error', code: 'unknown-environment' });
    expect(report.issues[0]?.hint).toContain(`'${suggestion}'`);

    const plan = await pushSecrets(netraBackendSchema, {
      environment: environment as Environment,
      projectId: P,
      values: GOOD,
      client: harness.client,
      apply: true,
    });
    expect(plan).toMatchObject({ ok: false, applied: false, actions: [] });
    expect(plan.issues.map((i) => i.code)).toEqual(['unknown-environment']);
    expect(plan.issues[0]?.hint).toContain(`'${suggestion}'`);
    const [secrets] = await harness.client.listSecrets({ parent: `projects/${P}` });
    expect(secrets).toEqual([]);
  });
});

describe('pushSecrets', () => {
  test('plans create / add-version / unchanged, applies, and the loader then reads them', async () => {
    harness = await startHarness({
      [P]: {
        'jwt-secret-staging': GOOD.JWT_SECRET_STAGING, // unchanged
        'database-password-staging': OLD_DB, // add-version
        'redis-password-staging': [], // exists, no version: add-version
      },
    });
    const { client } = harness;
    const plan = await pushSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      values: GOOD,
      client,
    });
    expect(plan.ok).toBe(true);
    expect(plan.applied).toBe(false);
    expect(plan.actions).toEqual(
      Object.entries(GOOD)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([variable, value]) => ({
          variable,
          secret: secretOf(variable),
          action:
            variable === 'JWT_SECRET_STAGING'
              ? 'unchanged'
              : variable === 'DATABASE_PASSWORD' || variable === 'REDIS_PASSWORD'
                ? 'add-version'
                : 'create-secret-and-version',
          fingerprint: fingerprint(value),
        })),
    );
    // A plan changes nothing.
    await expect(
      loadSecrets(netraBackendSchema, { environment: 'staging', env: {}, projectId: P, client }),
    ).rejects.toThrow(/secret-not-found|does not exist/);

    const applied = await pushSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      values: GOOD,
      client,
      apply: true,
    });
    expect(applied).toMatchObject({ ok: true, applied: true, issues: [] });
    const { values } = await loadSecrets(netraBackendSchema, {
      environment: 'staging',
      env: {},
      projectId: P,
      client,
    });
    expect(values).toEqual(GOOD);
    const [versions] = await client.listSecretVersions({
      parent: `projects/${P}/secrets/database-password-staging`,
    });
    expect(versions).toHaveLength(2);

    const again = await pushSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      values: GOOD,
      client,
    });
    expect(again.actions.every((a) => a.action === 'unchanged')).toBe(true);
    expectNoLeak([plan, applied, again], ALL);
  });

  test('refuses values that fail the rules, and then applies nothing', async () => {
    harness = await startHarness({ [P]: {} });
    const { client } = harness;
    const values = {
      ...GOOD,
      JWT_SECRET_STAGING: 'changeme',
      FERNET_KEY: `${GOOD.FERNET_KEY}\n`,
      JWT_SECRET: GOOD.JWT_SECRET_STAGING,
      DATABASE_HOST: '10.1.2.3',
      NOT_A_VARIABLE: 'xyz-VALUE-unknown-123',
    };
    const plan = await pushSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      values,
      client,
      apply: true,
    });
    expect(plan.ok).toBe(false);
    expect(plan.applied).toBe(false);
    expect(plan.actions.filter((a) => a.action === 'refused').map((a) => a.variable)).toEqual([
      'DATABASE_HOST',
      'FERNET_KEY',
      'JWT_SECRET',
      'JWT_SECRET_STAGING',
      'NOT_A_VARIABLE',
    ]);
    const codes = plan.issues.map((i) => [i.variable, i.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['DATABASE_HOST', 'invalid'],
        ['FERNET_KEY', 'whitespace'],
        ['JWT_SECRET', 'wrong-name'],
        ['JWT_SECRET_STAGING', 'secret-invalid-value'],
        ['NOT_A_VARIABLE', 'unknown-variable'],
      ]),
    );
    expect(plan.issues.find((i) => i.code === 'wrong-name')?.hint).toContain('JWT_SECRET_STAGING');
    const [secrets] = await client.listSecrets({ parent: `projects/${P}` });
    expect(secrets).toEqual([]);
    expectNoLeak(plan, [...ALL, 'xyz-VALUE-unknown-123']);
  });

  test('refuses to push while GOOGLE_SDK_NODE_LOGGING is set', async () => {
    harness = await startHarness({ [P]: {} });
    process.env['GOOGLE_SDK_NODE_LOGGING'] = 'secret-manager';
    try {
      const plan = await pushSecrets(netraBackendSchema, {
        environment: 'staging',
        projectId: P,
        values: GOOD,
        client: harness.client,
        apply: true,
      });
      expect(plan).toMatchObject({ ok: false, applied: false, actions: [] });
      expect(plan.issues[0]?.variable).toBe('GOOGLE_SDK_NODE_LOGGING');
    } finally {
      delete process.env['GOOGLE_SDK_NODE_LOGGING'];
    }
    const [secrets] = await harness.client.listSecrets({ parent: `projects/${P}` });
    expect(secrets).toEqual([]);
  });
});

function secretOf(variable: string): string {
  const names: Record<string, string> = {
    JWT_SECRET_STAGING: 'jwt-secret-staging',
    DATABASE_PASSWORD: 'database-password-staging',
    REDIS_PASSWORD: 'redis-password-staging',
    FERNET_KEY: 'fernet-key-staging',
    GEMINI_API_KEY: 'gemini-api-key-staging',
    GOOGLE_OAUTH_CLIENT_ID_STAGING: 'google-oauth-client-id-staging',
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'google-oauth-client-secret-staging',
  };
  return names[variable] as string;
}
