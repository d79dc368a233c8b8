import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadFixture, readExample } from '../test/support/fixtures.ts';
import { loadSettings } from './settings.ts';

interface Fixture {
  env: Record<string, string>;
  seed?: Record<string, Record<string, string>>;
}
const healthy = loadFixture<Fixture>('healthy.json');
const incident = readExample('staging-incident');

let seeded: Emulator;
let empty: Emulator;

beforeAll(async () => {
  [seeded, empty] = await Promise.all([startEmulator({ seed: healthy.seed }), startEmulator()]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), empty?.stop()]);
});

describe('loadSettings', () => {
  test('development with nothing set starts, OAuth disabled', async () => {
    const result = await loadSettings({ env: { ENVIRONMENT: 'development' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.oauth).toBeNull();
    expect(result.config.database.host).toBe('127.0.0.1');
  });

  test('sm:// references are resolved through the emulator and reach the configuration', async () => {
    const result = await loadSettings({
      env: { ...healthy.env, SECRET_MANAGER_EMULATOR_HOST: seeded.address },
    });
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
    if (!result.ok) return;
    const secrets = healthy.seed!['netra-sample-test']!;
    expect(result.config.jwtSecret).toBe(secrets['jwt-secret-test']);
    expect(result.config.fernetKey).toBe(secrets['fernet-key-test']);
    expect(result.sources.JWT_SECRET).toEqual({
      kind: 'reference',
      reference: 'sm://netra-sample-test/jwt-secret-test',
    });
  });

  test('one secret failing does not make the others look missing: exactly its problem is reported', async () => {
    const result = await loadSettings({
      env: {
        ...healthy.env,
        FERNET_KEY: 'sm://netra-sample-test/no-such-secret',
        SECRET_MANAGER_EMULATOR_HOST: seeded.address,
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    expect(errors.map(({ code, variable }) => ({ code, variable }))).toEqual([
      { code: 'secret-not-found', variable: 'FERNET_KEY' },
    ]);
  });

  test('development: an sm:// client ID (not a secret there) is resolved with the secrets, or fails with them', async () => {
    const clientId = 'dev-client-VALUE-1234.apps.googleusercontent.com';
    const clientSecret = 'dev-client-secret-VALUE-GOCSPX-5678';
    const oauthClient = await startEmulator({
      seed: {
        'netra-dev': {
          'oauth-client': JSON.stringify({ web: { client_id: clientId, client_secret: clientSecret } }),
        },
      },
    });
    try {
      const env = {
        ENVIRONMENT: 'development',
        GOOGLE_OAUTH_CLIENT_ID: 'sm://netra-dev/oauth-client?field=web.client_id',
        GOOGLE_OAUTH_CLIENT_SECRET: 'sm://netra-dev/oauth-client?field=web.client_secret',
        SECRET_MANAGER_EMULATOR_HOST: oauthClient.address,
      };
      const result = await loadSettings({ env });
      expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
      if (!result.ok) return;
      expect(result.config.oauth.google.clientId).toBe(clientId);
      expect(result.config.oauth.google.clientSecret).toBe(clientSecret);
      expect(result.sources).toEqual({
        GOOGLE_OAUTH_CLIENT_ID: { kind: 'reference', reference: env.GOOGLE_OAUTH_CLIENT_ID },
        GOOGLE_OAUTH_CLIENT_SECRET: { kind: 'reference', reference: env.GOOGLE_OAUTH_CLIENT_SECRET },
      });

      // The client ID's secret does not exist: the step fails as a whole, and that is the one error.
      const failed = await loadSettings({
        env: { ...env, GOOGLE_OAUTH_CLIENT_ID: 'sm://netra-dev/no-such-client' },
      });
      expect(failed.ok).toBe(false);
      if (failed.ok) return;
      expect(
        failed.issues
          .filter((i) => i.severity === 'error')
          .map(({ code, variable }) => `${variable} ${code}`),
      ).toEqual(['GOOGLE_OAUTH_CLIENT_ID secret-not-found']);
      expect(JSON.stringify(failed.issues)).not.toContain(clientSecret);
    } finally {
      await oauthClient.stop();
    }
  });

  test('secret and configuration problems come together in one list, each once, no value in it', async () => {
    const incidentSecrets = await startEmulator({ seed: incident.seed });
    try {
      for (const address of [empty.address, incidentSecrets.address]) {
        const result = await loadSettings({
          env: { ...incident.env, SECRET_MANAGER_EMULATOR_HOST: address },
        });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const found = result.issues.map(({ code, variable }) => `${variable} ${code}`);
        expect(found).toEqual(
          expect.arrayContaining([
            'REDIS_PASSWORD secret-not-found',
            'FERNET_KEY secret-not-found',
            'GEMINI_API_KEY secret-not-found',
            'DATABASE_HOST loopback-host',
            'REDIS_HOST missing',
          ]),
        );
        expect(new Set(found).size).toBe(found.length);
        // A secret that could not be fetched is not also reported `missing`.
        expect(found).not.toContain('FERNET_KEY missing');
        const text = JSON.stringify(result.issues);
        for (const value of Object.values(incident.seed).flatMap((secrets) => Object.values(secrets))) {
          expect(text).not.toContain(value);
        }
      }
      const withEmpty = await loadSettings({
        env: { ...incident.env, SECRET_MANAGER_EMULATOR_HOST: empty.address },
      });
      expect(!withEmpty.ok && withEmpty.issues.map(({ code, variable }) => `${variable} ${code}`)).toEqual(
        expect.arrayContaining([
          'JWT_SECRET_STAGING secret-not-found',
          'JWT_SECRET_STAGING wrong-name', // JWT_SECRET holds the reference under the development name
          'DATABASE_PASSWORD secret-not-found',
          'GOOGLE_OAUTH_CLIENT_ID_STAGING secret-not-found',
          'GOOGLE_OAUTH_CLIENT_SECRET_STAGING secret-not-found',
        ]),
      );
    } finally {
      await incidentSecrets.stop();
    }
  });

  test('NAME_FILE of a secret is read by the loader, so it is not reported as an unknown, ignored variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netra-settings-'));
    try {
      const jwtFile = join(dir, 'jwt');
      const jwtSecret = 'file-JWT-VALUE-0123456789abcdefghijklmnop';
      await writeFile(jwtFile, jwtSecret);
      const result = await loadSettings({ env: { ENVIRONMENT: 'development', JWT_SECRET_FILE: jwtFile } });
      expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
      if (!result.ok) return;
      expect(result.config.jwtSecret).toBe(jwtSecret);
      expect(result.sources.JWT_SECRET).toEqual({ kind: 'file', path: jwtFile });
      expect(result.warnings.map(({ code, variable }) => `${variable} ${code}`)).toEqual([]);

      // When the secrets step fails, the report names the file problem, not "JWT_SECRET_FILE is ignored".
      const failed = await loadSettings({
        env: { ENVIRONMENT: 'development', JWT_SECRET_FILE: join(dir, 'missing'), FERNET_KEY_FILE: dir },
      });
      expect(failed.ok).toBe(false);
      if (failed.ok) return;
      expect(failed.issues.map(({ code, variable }) => `${variable} ${code}`)).toEqual([
        'FERNET_KEY invalid',
        'JWT_SECRET missing',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a secret with surrounding whitespace is reported once, by the secrets step', async () => {
    const result = await loadSettings({
      env: { ENVIRONMENT: 'development', JWT_SECRET: ' spaced-JWT-VALUE-0123456789abcdefghijklmnop' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(({ code, variable }) => `${variable} ${code}`)).toEqual([
      'JWT_SECRET whitespace',
    ]);
    expect(JSON.stringify(result.issues)).not.toContain('spaced-JWT-VALUE');
  });

  test('an unknown ENVIRONMENT stops before anything is fetched, with a did-you-mean', async () => {
    const result = await loadSettings({ env: { ENVIRONMENT: 'prod' } });
    expect(result).toMatchObject({ ok: false, environment: undefined });
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ code: 'unknown-environment' })]);
    expect(result.issues[0]!.hint + result.issues[0]!.message).toContain('production');
  });
});
