/**
 * Regional secrets (`projects/P/locations/L/secrets/S`, https://cloud.google.com/secret-manager/regional-secrets/)
 * through the verifier: `secrets push/audit --location L`, and `check` reading `sm://P/locations/L/S#V`
 * references — against an emulator that, as Google, serves a regional name only through its location's endpoint.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorClient, type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

const strong = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
const values = {
  JWT_SECRET_STAGING: strong(48),
  DATABASE_PASSWORD: strong(24),
  REDIS_PASSWORD: strong(24),
  FERNET_KEY: randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  GEMINI_API_KEY: `AIza${strong(35)}`,
  GOOGLE_OAUTH_CLIENT_ID_STAGING: '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: `GOCSPX-${strong(28)}`,
};
const PROJECT = 'netra-regional';
const LOCATION = 'europe-west1';

let emulator: Emulator;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-regional-'));
  emulator = await startEmulator({ strictEndpoints: true });
});
afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { env: { SECRET_MANAGER_EMULATOR_HOST: emulator.address } });

describe('secrets push / audit --location', { timeout: 60_000 }, () => {
  test('push --apply creates regional secrets; audit --location finds them all; the global ones stay absent', async () => {
    const file = join(work, 'staging.env');
    await writeFile(
      file,
      Object.entries(values)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n'),
    );
    const push = await cli([
      'secrets',
      'push',
      '--env',
      'staging',
      '--project',
      PROJECT,
      '--location',
      LOCATION,
      '--from-file',
      file,
      '--apply',
      '--json',
    ]);
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(parseJson(push).applied).toBe(true);

    const audit = await cli([
      'secrets',
      'audit',
      '--env',
      'staging',
      '--project',
      PROJECT,
      '--location',
      LOCATION,
      '--json',
    ]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    const report = parseJson(audit);
    expect(report.secrets).toHaveLength(7);
    expect(report.secrets.every((s: { exists: boolean }) => s.exists)).toBe(true);

    const global = await cli(['secrets', 'audit', '--env', 'staging', '--project', PROJECT, '--json']);
    expect(global.code).toBe(1);
    expect(new Set(parseJson(global).issues.map((i: { code: string }) => i.code))).toEqual(
      new Set(['secret-not-found']),
    );
    for (const output of [push, audit, global]) {
      for (const value of Object.values(values)) expect(output.stdout + output.stderr).not.toContain(value);
    }
  });

  test('a --location that is not a location ID is a usage error (exit 2)', async () => {
    const result = await cli([
      'secrets',
      'audit',
      '--env',
      'staging',
      '--project',
      PROJECT,
      '--location',
      'Europe West',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--location must be a location ID such as europe-west1');
  });
});

describe('check reads sm://PROJECT/locations/LOCATION/SECRET#V through the location’s endpoint', {
  timeout: 60_000,
}, () => {
  test('a regional reference is read (no secret-* issue); a missing one is secret-not-found', async () => {
    const client = await createEmulatorClient(
      emulator.address,
      {},
      {
        apiEndpoint: `secretmanager.${LOCATION}.rep.googleapis.com`,
      },
    );
    await client.createSecret({
      parent: `projects/${PROJECT}/locations/${LOCATION}`,
      secretId: 'pinned-jwt',
      secret: {},
    });
    await client.addSecretVersion({
      parent: `projects/${PROJECT}/locations/${LOCATION}/secrets/pinned-jwt`,
      payload: { data: Buffer.from(values.JWT_SECRET_STAGING) },
    });
    await client.close();
    const file = join(work, 'check.env');
    await writeFile(
      file,
      [
        `JWT_SECRET_STAGING="sm://${PROJECT}/locations/${LOCATION}/pinned-jwt#1"`,
        `GEMINI_API_KEY="sm://${PROJECT}/locations/${LOCATION}/no-such-secret#1"`,
      ].join('\n'),
    );
    const result = await cli([
      'check',
      '--env',
      'staging',
      '--env-file',
      file,
      '--project',
      PROJECT,
      '--json',
    ]);
    const issues = parseJson(result).issues as { code: string; variable: string }[];
    const of = (variable: string) => issues.filter((i) => i.variable === variable).map((i) => i.code);
    expect(of('JWT_SECRET_STAGING').filter((code) => code.startsWith('secret-'))).toEqual([]);
    expect(of('GEMINI_API_KEY')).toContain('secret-not-found');
    expect(result.stdout + result.stderr).not.toContain(values.JWT_SECRET_STAGING);
  });
});
