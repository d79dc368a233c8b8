import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema } from '@netra/config-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoLeak, type Harness, startHarness } from '../test/helpers.ts';
import { safeLoadStartup } from './startup.ts';

const P = 'netra-startup-test';
const SM = {
  'jwt-secret-staging': 'sm-jwt-VALUE-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  'database-password-staging': 'sm-db-VALUE-Kp9rT2vX8zQ4',
  'redis-password-staging': 'sm-redis-VALUE-Lm3nB7vC1x',
  'fernet-key-staging': 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
  'gemini-api-key-staging': 'sm-gemini-VALUE-AIzaSyD-123',
  'google-oauth-client-id-staging': '1234-startup.apps.googleusercontent.com',
  'google-oauth-client-secret-staging': 'sm-oauth-secret-VALUE-GOCSPX-9',
};
const FILE_VALUE = 'file-VALUE-mounted-jwt-0123456789abcdef0123';
const SETTINGS = {
  ENVIRONMENT: 'staging',
  DATABASE_HOST: '10.0.0.5',
  DATABASE_USER: 'netra',
  REDIS_HOST: '10.0.0.6',
  API_BASE_URL: 'https://api.staging.example.test',
  FRONTEND_URL: 'https://app.staging.example.test',
};
const codes = (issues: readonly { variable: string; code: string; severity: string }[]) =>
  issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => `${issue.variable}:${issue.code}`)
    .sort();

let harness: Harness;
let dir: string;
beforeAll(async () => {
  harness = await startHarness({ [P]: SM });
  dir = await mkdtemp(join(tmpdir(), 'startup-'));
  await writeFile(join(dir, 'jwt'), FILE_VALUE);
  await writeFile(join(dir, 'host'), '10.0.0.9');
});
afterAll(async () => {
  await harness.close();
  await rm(dir, { recursive: true, force: true });
});

describe('safeLoadStartup: the one start-up verdict', () => {
  test('every problem at once: a value read beside a missing secret is judged in the same run, never shown', async () => {
    await writeFile(join(dir, 'weak'), 'short');
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: {
        ...SETTINGS,
        GCP_PROJECT_ID: P,
        // Fetched beside the failure below: its weakness is reported now, not after the next fix.
        DATABASE_PASSWORD_FILE: join(dir, 'weak'),
        GEMINI_API_KEY: `sm://${P}/no-such-secret`,
      },
      client: harness.client,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(codes(verdict.issues)).toEqual([
      'DATABASE_PASSWORD:weak-secret',
      'GEMINI_API_KEY:secret-not-found',
    ]);
    expectNoLeak(verdict, Object.values(SM));
    expect(JSON.stringify(verdict)).not.toContain('short"');
  });

  test('every binding fetched from GCP_PROJECT_ID: a configuration, values never in the result’s print forms', async () => {
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: { ...SETTINGS, GCP_PROJECT_ID: P },
      client: harness.client,
    });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.environment).toBe('staging');
    expect(verdict.sources.JWT_SECRET_STAGING).toEqual({
      kind: 'secret-manager',
      project: P,
      secret: 'jwt-secret-staging',
      version: 'latest',
    });
    // The client ID is not a secret (it appears in every OAuth redirect); every other value is.
    const { 'google-oauth-client-id-staging': _clientId, ...secrets } = SM;
    expectNoLeak({ ...verdict, text: JSON.stringify(verdict.config) }, Object.values(secrets));
    // The values, for a caller that hands them on (netra-verify run), readable by name and by no print form.
    expect(verdict.values.JWT_SECRET_STAGING).toBe(SM['jwt-secret-staging']);
    const printed = [inspect(verdict, { depth: 9 }), String(verdict.values), JSON.stringify(verdict.values)];
    for (const value of Object.values(secrets)) for (const text of printed) expect(text).not.toContain(value);
  });

  test('a bound secret missing from Secret Manager is secret-not-found, as start-up says (not missing)', async () => {
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: { ...SETTINGS, GCP_PROJECT_ID: 'netra-startup-empty' },
      client: harness.client,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(codes(verdict.issues)).toContain('JWT_SECRET_STAGING:secret-not-found');
    expect(codes(verdict.issues)).not.toContain('JWT_SECRET_STAGING:missing');
  });

  test('ENVIRONMENT empty is an unknown-environment error, never a fallback', async () => {
    const verdict = await safeLoadStartup(netraBackendSchema, { env: { ...SETTINGS, ENVIRONMENT: '' } });
    expect(verdict).toMatchObject({ ok: false, environment: undefined });
    if (verdict.ok) return;
    expect(codes(verdict.issues)).toEqual(['ENVIRONMENT:unknown-environment']);
  });

  test('notRead: provided but not readable here counts as provided and is never judged', async () => {
    const notRead = Object.fromEntries(
      describeSchema(netraBackendSchema, 'staging')
        .filter((description) => description.secret !== undefined)
        .map((description) => [description.variable, { kind: 'binding' as const, reason: 'no --project' }]),
    );
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: { ...SETTINGS, GCP_PROJECT_ID: P },
      projectId: null,
      notRead,
    });
    expect(verdict.ok ? [] : codes(verdict.issues)).toEqual([]);
    // The same without notRead and without fetching: every secret is missing.
    const unread = await safeLoadStartup(netraBackendSchema, { env: SETTINGS, projectId: null });
    expect(unread.ok).toBe(false);
    if (unread.ok) return;
    expect(codes(unread.issues)).toEqual(
      expect.arrayContaining(['JWT_SECRET_STAGING:missing', 'FERNET_KEY:missing']),
    );
  });

  test('NAME_FILE is read for secrets only: a mounted JWT secret loads, a DATABASE_HOST_FILE does not stand in for DATABASE_HOST', async () => {
    const { DATABASE_HOST: _host, ...withoutHost } = SETTINGS;
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: {
        ...withoutHost,
        GCP_PROJECT_ID: P,
        JWT_SECRET_STAGING_FILE: join(dir, 'jwt'),
        DATABASE_HOST_FILE: join(dir, 'host'),
      },
      client: harness.client,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(codes(verdict.issues)).toEqual(['DATABASE_HOST:missing']);
    expectNoLeak(verdict, [FILE_VALUE]);
  });

  test('a missing mounted file is the loader’s error for that secret, once', async () => {
    const verdict = await safeLoadStartup(netraBackendSchema, {
      env: { ...SETTINGS, GCP_PROJECT_ID: P, JWT_SECRET_STAGING_FILE: join(dir, 'absent') },
      client: harness.client,
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    const jwt = verdict.issues.filter((issue) => issue.variable === 'JWT_SECRET_STAGING');
    expect(jwt).toHaveLength(1);
    expect(jwt[0]?.severity).toBe('error');
  });
});
