import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '@netra/config-schema';
import { createEmulatorClient, type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

const fernetKey = () => randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
const strong = (length: number) => randomBytes(length).toString('base64url').slice(0, length);

/** Values every staging rule accepts. */
function goodStagingValues(): Record<string, string> {
  return {
    JWT_SECRET_STAGING: strong(48),
    DATABASE_PASSWORD: strong(24),
    REDIS_PASSWORD: strong(24),
    FERNET_KEY: fernetKey(),
    GEMINI_API_KEY: `AIza${strong(35)}`,
    GOOGLE_OAUTH_CLIENT_ID_STAGING: '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING: `GOCSPX-${strong(28)}`,
  };
}

const audited = goodStagingValues();
const badFernet = 'not-a-fernet-key-at-all';
const newlineTerminated = `AIza${strong(35)}\n`;
let emulator: Emulator;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-secrets-'));
  emulator = await startEmulator({
    port: 0,
    seed: {
      'netra-audit': {
        'jwt-secret-staging': audited.JWT_SECRET_STAGING!,
        // database-password-staging: missing
        'redis-password-staging': [{ value: audited.REDIS_PASSWORD!, state: 'DISABLED' }],
        'fernet-key-staging': badFernet,
        'gemini-api-key-staging': newlineTerminated,
        'google-oauth-client-id-staging': audited.GOOGLE_OAUTH_CLIENT_ID_STAGING!,
        'google-oauth-client-secret-staging': audited.GOOGLE_OAUTH_CLIENT_SECRET_STAGING!,
      },
    },
  });
});

afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } });

function expectNoValues(output: string, values: Iterable<string>) {
  for (const value of values) expect(output).not.toContain(value.trim());
}

describe('netra-verify secrets audit', { timeout: 30_000 }, () => {
  test('missing, disabled, invalid-valued and newline-terminated secrets, each with its code', async () => {
    const result = await cli(['secrets', 'audit', '--env', 'staging', '--project', 'netra-audit', '--json']);
    expect(result.code).toBe(1);
    const report = parseJson(result);
    expect(report).toMatchObject({ ok: false, environment: 'staging', project: 'netra-audit' });
    const codesOf = (variable: string) =>
      report.issues
        .filter((i: { variable: string }) => i.variable === variable)
        .map((i: { code: string }) => i.code);
    expect(codesOf('DATABASE_PASSWORD')).toContain('secret-not-found');
    expect(codesOf('REDIS_PASSWORD')).toContain('secret-disabled');
    expect(codesOf('FERNET_KEY')).toContain('secret-invalid-value');
    expect(codesOf('GEMINI_API_KEY')).toContain('whitespace');
    expect(codesOf('JWT_SECRET_STAGING')).toEqual([]);
    expect(codesOf('GOOGLE_OAUTH_CLIENT_ID_STAGING')).toEqual([]);
    const jwt = report.secrets.find((s: { variable: string }) => s.variable === 'JWT_SECRET_STAGING');
    expect(jwt).toMatchObject({
      exists: true,
      enabledVersions: 1,
      fingerprint: fingerprint(audited.JWT_SECRET_STAGING!),
    });
    expect(
      report.secrets.find((s: { variable: string }) => s.variable === 'DATABASE_PASSWORD'),
    ).toMatchObject({
      exists: false,
    });
    expectNoValues(result.stdout + result.stderr, [...Object.values(audited), badFernet, newlineTerminated]);
  });

  test('a Secret Manager that refuses the credentials: every binding "not checked", none "missing"', async () => {
    emulator.faults.failNext('*', { times: 1000, code: 'UNAUTHENTICATED' });
    try {
      const result = await cli(['secrets', 'audit', '--env', 'staging', '--project', 'netra-audit']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/JWT_SECRET_STAGING\s+jwt-secret-staging:latest\s+not checked/);
      expect(result.stdout).toMatch(/DATABASE_PASSWORD\s+database-password-staging:latest\s+not checked/);
      expect(result.stdout).not.toMatch(/:latest\s+missing/);
      expect(result.stdout).toContain('secret-permission-denied');
    } finally {
      emulator.faults.reset();
    }
  });

  test('the human report lists every binding and the problems, never a value', async () => {
    const result = await cli(['secrets', 'audit', '--env', 'staging', '--project', 'netra-audit']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/DATABASE_PASSWORD\s+database-password-staging:latest\s+missing/);
    expect(result.stdout).toMatch(/REDIS_PASSWORD\s+redis-password-staging:latest\s+no enabled version/);
    expect(result.stdout).toContain(`fingerprint ${fingerprint(audited.JWT_SECRET_STAGING!)}`);
    expect(result.stdout).toContain('secret-invalid-value');
    expectNoValues(result.stdout + result.stderr, [...Object.values(audited), badFernet, newlineTerminated]);
  });

  test('usage errors exit 2: no --project, an unknown environment (did-you-mean), --help has an example', async () => {
    expect((await cli(['secrets', 'audit', '--env', 'staging'])).code).toBe(2);
    const stage = await cli(['secrets', 'audit', '--env', 'stage', '--project', 'p']);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain('staging');
    const help = await cli(['secrets', 'audit', '--help']);
    expect(help.stdout).toContain('netra-verify secrets audit --env staging --project');
    expect((await cli(['secrets', 'push', '--help'])).stdout).toContain('--apply');
  });
});

describe('netra-verify secrets push', { timeout: 30_000 }, () => {
  test('plan, then --apply, then a clean audit', async () => {
    const values = goodStagingValues();
    // The project already holds one value as it is, and an old FERNET_KEY.
    const project = 'netra-push';
    await emulator.stop();
    emulator = await startEmulator({
      port: 0,
      seed: {
        'netra-push': { 'jwt-secret-staging': values.JWT_SECRET_STAGING!, 'fernet-key-staging': fernetKey() },
      },
    });
    const file = join(work, 'staging-secrets.env');
    await writeFile(
      file,
      Object.entries(values)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n'),
    );

    const plan = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      project,
      '--from-file',
      file,
      '--json',
    ]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const planned = parseJson(plan);
    expect(planned.applied).toBe(false);
    const actionOf = (variable: string) =>
      planned.actions.find((a: { variable: string }) => a.variable === variable);
    expect(actionOf('JWT_SECRET_STAGING')).toMatchObject({
      action: 'unchanged',
      fingerprint: fingerprint(values.JWT_SECRET_STAGING!),
    });
    expect(actionOf('FERNET_KEY')).toMatchObject({ action: 'add-version', secret: 'fernet-key-staging' });
    expect(actionOf('DATABASE_PASSWORD')).toMatchObject({ action: 'create-secret-and-version' });
    expectNoValues(plan.stdout + plan.stderr, Object.values(values));

    // a plan changes nothing
    const before = await cli(['secrets', 'audit', '--env', 'staging', '--project', project, '--json']);
    expect(before.code).toBe(1);
    expect(parseJson(before).issues.map((i: { code: string }) => i.code)).toContain('secret-not-found');

    const humanPlan = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      project,
      '--from-file',
      file,
    ]);
    expect(humanPlan.stdout).toContain('plan, nothing changed');
    expect(humanPlan.stdout).toContain('--apply');

    const applied = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      project,
      '--from-file',
      file,
      '--apply',
    ]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('applied');
    expectNoValues(applied.stdout + applied.stderr, Object.values(values));

    const after = await cli(['secrets', 'audit', '--env', 'staging', '--project', project, '--json']);
    expect(after.code, after.stdout).toBe(0);
    const report = parseJson(after);
    expect(report.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    for (const [variable, value] of Object.entries(values)) {
      const entry = report.secrets.find((s: { variable: string }) => s.variable === variable);
      expect(entry, variable).toMatchObject({ exists: true, fingerprint: fingerprint(value) });
    }
    // --service-account: a grant on the secret itself is "granted"; none is a warning, not a failure
    const account = 'backend@netra-push.iam.gserviceaccount.com';
    const admin = await createEmulatorClient(emulator.address);
    try {
      await admin.setIamPolicy({
        resource: `projects/${project}/secrets/jwt-secret-staging`,
        policy: {
          bindings: [{ role: 'roles/secretmanager.secretAccessor', members: [`serviceAccount:${account}`] }],
        },
      });
    } finally {
      await admin.close();
    }
    const withAccount = await cli([
      'secrets',
      'audit',
      '--env',
      'staging',
      '--project',
      project,
      '--service-account',
      account,
      '--json',
    ]);
    expect(withAccount.code, withAccount.stdout).toBe(0);
    const accessReport = parseJson(withAccount);
    const accessOf = (variable: string) =>
      accessReport.secrets.find((s: { variable: string }) => s.variable === variable).access;
    expect(accessOf('JWT_SECRET_STAGING')).toBe('granted');
    expect(accessOf('FERNET_KEY')).toBe('missing');
    const denied = accessReport.issues.filter((i: { code: string }) => i.code === 'secret-permission-denied');
    expect(denied.length).toBe(Object.keys(values).length - 1);
    expect(denied.every((i: { severity: string }) => i.severity === 'warning')).toBe(true);

    // pushing again is a no-op plan
    const again = parseJson(
      await cli(['secrets', 'push', '--env', 'staging', '--project', project, '--from-file', file, '--json']),
    );
    expect(new Set(again.actions.map((a: { action: string }) => a.action))).toEqual(new Set(['unchanged']));
  });

  test('a value that fails the rule is refused, and nothing is applied', async () => {
    const file = join(work, 'weak.env');
    await writeFile(file, `JWT_SECRET_STAGING=short-jwt-7q\nDATABASE_PASSWORD=${strong(24)}\n`);
    const result = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      'netra-weak',
      '--from-file',
      file,
      '--apply',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/REFUSED\s+jwt-secret-staging/);
    expect(result.stdout + result.stderr).not.toContain('short-jwt-7q');
    const audit = parseJson(
      await cli(['secrets', 'audit', '--env', 'staging', '--project', 'netra-weak', '--json']),
    );
    const database = audit.secrets.find((s: { variable: string }) => s.variable === 'DATABASE_PASSWORD');
    expect(database.exists).toBe(false);
  });

  test('an unreadable --from-file is exit 2 naming it', async () => {
    const result = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      'p',
      '--from-file',
      join(work, 'nope.env'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.env');
  });
});
