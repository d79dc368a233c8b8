/**
 * Regional secrets (`projects/P/locations/L/secrets/S`, https://cloud.google.com/secret-manager/regional-secrets/):
 * `sm://PROJECT/locations/LOCATION/SECRET#V` references, a schema's bindings with `location`, audit and push —
 * each location read through a client for its endpoint (secretmanager.L.rep.googleapis.com), here the emulator
 * playing those endpoints.
 */
import { netraBackendSchema } from '@netra/backend-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoLeak, type Harness, startHarness } from '../test/helpers.ts';
import { auditSecrets, pushSecrets } from './admin.ts';
import { createSecretManagerClient } from './client.ts';
import { resolveSecretReferences, SecretsError, safeLoadSecrets } from './load.ts';

const P = 'netra-regional-test';
const VALUES = {
  global: 'global-VALUE-0123456789abcdef',
  europe: 'europe-VALUE-0123456789abcdef',
  us: 'us-central-VALUE-0123456789abc',
  europeV1: 'europe-VALUE-first-version-01',
};

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(
    {
      [P]: { api: VALUES.global },
      [`${P}/locations/europe-west1`]: { api: [VALUES.europeV1, VALUES.europe] },
      [`${P}/locations/us-central1`]: { api: VALUES.us },
      // As Google: a regional name is served only through its location's endpoint, so reading one with the
      // wrong client fails here too.
    },
    { strictEndpoints: true },
  );
});
afterAll(async () => {
  await harness.close();
});

describe('sm://PROJECT/locations/LOCATION/SECRET', () => {
  test('each location and the global secret of one ID resolve to their own values, versions pinned', async () => {
    const resolved = await resolveSecretReferences({
      GLOBAL: `sm://${P}/api`,
      EUROPE: `sm://${P}/locations/europe-west1/api`,
      EUROPE_FIRST: `sm://${P}/locations/europe-west1/api#1`,
      US: `sm://${P}/locations/us-central1/api#latest`,
      SECRET_MANAGER_EMULATOR_HOST: harness.emulator.address,
    });
    expect({ ...resolved }).toEqual({
      EUROPE: VALUES.europe,
      EUROPE_FIRST: VALUES.europeV1,
      GLOBAL: VALUES.global,
      US: VALUES.us,
    });
  });

  test('a missing regional secret is secret-not-found naming its location, with a gcloud hint that has --location', async () => {
    const error = await resolveSecretReferences({
      KEY: `sm://${P}/locations/asia-east1/api`,
      SECRET_MANAGER_EMULATOR_HOST: harness.emulator.address,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretsError);
    const [issue] = (error as SecretsError).issues;
    expect(issue?.code).toBe('secret-not-found');
    expect(issue?.message).toContain('location asia-east1');
    expect(issue?.hint).toContain(
      `gcloud secrets create api --project ${P} --location asia-east1 --data-file=-`,
    );
    expect(issue?.hint).not.toContain('--replication-policy');
    expectNoLeak(error, Object.values(VALUES));
  });

  test('a malformed location is a bad reference naming the rule', async () => {
    const error = (await resolveSecretReferences({ KEY: `sm://${P}/locations/Europe/api` }).catch(
      (caught: unknown) => caught,
    )) as SecretsError;
    expect(error.issues[0]?.message).toMatch(/"Europe" is not a location ID/);
  });
});

describe('createSecretManagerClient({ location })', () => {
  test('talks to the location’s endpoint: the emulator, playing it, refuses another location', async () => {
    const client = await createSecretManagerClient({
      emulatorHost: harness.emulator.address,
      location: 'europe-west1',
    });
    try {
      const [version] = await client.accessSecretVersion({
        name: `projects/${P}/locations/europe-west1/secrets/api/versions/latest`,
      });
      expect(version.payload?.data?.toString()).toBe(VALUES.europe);
      const error = (await client
        .getSecret({ name: `projects/${P}/locations/us-central1/secrets/api` })
        .catch((caught: unknown) => caught)) as { code: number };
      expect(error.code).toBe(3);
    } finally {
      await client.close();
    }
  });
});

describe('a schema’s bindings as regional secrets: load, audit, push', () => {
  const GOOD = {
    JWT_SECRET_STAGING: 'jwt-VALUE-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    DATABASE_PASSWORD: 'db-VALUE-Kp9rT2vX8zQ4w',
    REDIS_PASSWORD: 'redis-VALUE-Lm3nB7vC1x',
    FERNET_KEY: `${Buffer.alloc(32, 9).toString('base64url')}=`,
    GEMINI_API_KEY: 'AIzaSyD-gemini-VALUE-123',
    GOOGLE_OAUTH_CLIENT_ID_STAGING: '123-VALUE.apps.googleusercontent.com',
    GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'GOCSPX-VALUE-secret-9',
  };

  test('push creates regional secrets (no replication policy), audit finds them, the loader reads them', async () => {
    const env = { SECRET_MANAGER_EMULATOR_HOST: harness.emulator.address };
    const location = 'europe-west4';
    const previous = process.env['SECRET_MANAGER_EMULATOR_HOST'];
    process.env['SECRET_MANAGER_EMULATOR_HOST'] = harness.emulator.address;
    try {
      const plan = await pushSecrets(netraBackendSchema, {
        environment: 'staging',
        projectId: P,
        location,
        values: GOOD,
        apply: true,
      });
      expect(plan.ok).toBe(true);
      expect(plan.applied).toBe(true);
      expect(new Set(plan.actions.map((a) => a.action))).toEqual(new Set(['create-secret-and-version']));
      const regional = await createSecretManagerClient({ emulatorHost: harness.emulator.address, location });
      const [secret] = await regional.getSecret({
        name: `projects/${P}/locations/${location}/secrets/jwt-secret-staging`,
      });
      await regional.close();
      expect(secret.replication).toBeNull();
      // Not created as global secrets.
      const global = (await harness.client
        .getSecret({ name: `projects/${P}/secrets/jwt-secret-staging` })
        .catch((caught: unknown) => caught)) as { code: number };
      expect(global.code).toBe(5);

      const report = await auditSecrets(netraBackendSchema, {
        environment: 'staging',
        projectId: P,
        location,
      });
      expect(report.issues).toEqual([]);
      expect(report.secrets.every((s) => s.exists === true && s.enabledVersions === 1)).toBe(true);

      const loaded = await safeLoadSecrets(netraBackendSchema, {
        environment: 'staging',
        projectId: P,
        location,
        env,
      });
      expect(loaded.ok).toBe(true);
      if (loaded.ok) {
        expect({ ...loaded.values }).toEqual(GOOD);
        expect(loaded.sources['JWT_SECRET_STAGING']).toEqual({
          kind: 'secret-manager',
          project: P,
          location,
          secret: 'jwt-secret-staging',
          version: 'latest',
        });
      }
    } finally {
      if (previous === undefined) delete process.env['SECRET_MANAGER_EMULATOR_HOST'];
      else process.env['SECRET_MANAGER_EMULATOR_HOST'] = previous;
    }
  });

  test('audit of a location that holds none of them: every secret missing, named with its location', async () => {
    const client = await createSecretManagerClient({
      emulatorHost: harness.emulator.address,
      location: 'southamerica-east1',
    });
    const report = await auditSecrets(netraBackendSchema, {
      environment: 'staging',
      projectId: P,
      location: 'southamerica-east1',
      client,
    });
    await client.close();
    expect(report.ok).toBe(false);
    expect(report.secrets.every((s) => s.exists === false)).toBe(true);
    expect(report.issues.every((i) => i.message.includes('location southamerica-east1'))).toBe(true);
  });
});
