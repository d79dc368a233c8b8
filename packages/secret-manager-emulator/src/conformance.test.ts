/**
 * Conformance suite: every RPC and every documented error, driven through the official
 * @google-cloud/secret-manager client (not through the emulator's own code) over plaintext gRPC.
 */
import { type protos, SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { crc32c } from '@node-rs/crc32';
import { createBackoffSettings, createRetryOptions } from 'google-gax';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createEmulatorClient, emulatorClientOptions } from './client.ts';
import { SeedError } from './seed.ts';
import { type Emulator, startEmulator } from './server.ts';

const Code = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

const PROJECT = 'conformance-project';
const NUMBER = '123456789012';
const automatic = { replication: { automatic: {} } };

/** No retries, so an injected error reaches the test as is. */
const once = { retry: createRetryOptions([], createBackoffSettings(1, 1, 1, 5000, 1, 5000, 5000)) };

async function failure(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; details: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

let emulator: Emulator;
let client: SecretManagerServiceClient;

beforeAll(async () => {
  emulator = await startEmulator({
    projectNumbers: { [PROJECT]: NUMBER },
    seed: {
      [PROJECT]: {
        'jwt-secret': 'seeded-jwt-value',
        history: ['one', { value: 'two', state: 'DISABLED' }, { value: 'three', state: 'DESTROYED' }],
        'disabled-latest': ['ok', { value: 'off', state: 'DISABLED' }],
        empty: [],
      },
    },
  });
  client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
});

afterAll(async () => {
  await client.close();
  await emulator.stop();
});

afterEach(() => emulator.faults.reset());

let counter = 0;
/** A fresh secret with the given versions; returns its name (with the project ID). */
async function freshSecret(values: string[] = [], labels: Record<string, string> = {}): Promise<string> {
  counter += 1;
  const secretId = `s${counter}-${Date.now()}`;
  await client.createSecret({ parent: `projects/${PROJECT}`, secretId, secret: { ...automatic, labels } });
  for (const value of values) {
    await client.addSecretVersion({
      parent: `projects/${PROJECT}/secrets/${secretId}`,
      payload: { data: Buffer.from(value) },
    });
  }
  return `projects/${PROJECT}/secrets/${secretId}`;
}

describe('connection', () => {
  test('the official client reaches the emulator with no credentials, also via SECRET_MANAGER_EMULATOR_HOST', async () => {
    const fromEnv = await createEmulatorClient(undefined, { SECRET_MANAGER_EMULATOR_HOST: emulator.address });
    const [response] = await fromEnv.accessSecretVersion({
      name: `projects/${PROJECT}/secrets/jwt-secret/versions/1`,
    });
    expect(response.payload?.data?.toString()).toBe('seeded-jwt-value');
    await fromEnv.close();
  });

  test('methods the emulator does not serve answer UNIMPLEMENTED', async () => {
    const error = await failure(
      client.rotateSecret({ parent: `projects/${PROJECT}/secrets/jwt-secret` }, once),
    );
    expect(error.code).toBe(Code.UNIMPLEMENTED);
  });
});

describe('CreateSecret', () => {
  test('returns the secret named with the project number, with create time, etag and the given fields', async () => {
    const before = Date.now() / 1000;
    const [secret] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'created-secret',
      secret: { ...automatic, labels: { env: 'test' }, annotations: { owner: 'team-a' } },
    });
    expect(secret.name).toBe(`projects/${NUMBER}/secrets/created-secret`);
    expect(Number(secret.createTime?.seconds)).toBeGreaterThanOrEqual(Math.floor(before));
    expect(secret.etag).toMatch(/^".+"$/);
    expect(secret.labels).toEqual({ env: 'test' });
    expect(secret.annotations).toEqual({ owner: 'team-a' });
    expect(secret.replication?.automatic).toBeDefined();
  });

  test('ALREADY_EXISTS for an existing secret ID, by project ID or number', async () => {
    for (const parent of [`projects/${PROJECT}`, `projects/${NUMBER}`]) {
      const error = await failure(client.createSecret({ parent, secretId: 'jwt-secret', secret: automatic }));
      expect(error.code).toBe(Code.ALREADY_EXISTS);
      expect(error.details).toBe(`Secret [projects/${NUMBER}/secrets/jwt-secret] already exists.`);
    }
  });

  test.each([
    ['empty', ''],
    ['a space', 'has space'],
    ['a dot', 'dotted.name'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'ümlaut'],
    ['256 characters', 'a'.repeat(256)],
  ])('INVALID_ARGUMENT for a secret ID with %s', async (_, secretId) => {
    const error = await failure(
      client.createSecret({ parent: `projects/${PROJECT}`, secretId, secret: automatic }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toContain('letters, digits, underscores (_) and hyphens (-)');
  });

  test.each(['a'.repeat(255), 'A_b-9', '_', '-'])('accepts the secret ID %s', async (secretId) => {
    const [secret] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId,
      secret: automatic,
    });
    expect(secret.name).toBe(`projects/${NUMBER}/secrets/${secretId}`);
  });

  test.each(['project/x', 'projects/', 'projects/a/b', 'organizations/1', ''])(
    'INVALID_ARGUMENT for the malformed parent "%s"',
    async (parent) => {
      const error = await failure(client.createSecret({ parent, secretId: 'x', secret: automatic }));
      expect(error.code).toBe(Code.INVALID_ARGUMENT);
    },
  );

  test('INVALID_ARGUMENT without a replication policy, or with an empty user-managed one', async () => {
    const parent = `projects/${PROJECT}`;
    expect((await failure(client.createSecret({ parent, secretId: 'no-rep', secret: {} }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    const empty = { replication: { userManaged: { replicas: [] } } };
    expect((await failure(client.createSecret({ parent, secretId: 'no-rep', secret: empty }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    const [userManaged] = await client.createSecret({
      parent,
      secretId: 'user-managed',
      secret: { replication: { userManaged: { replicas: [{ location: 'europe-west1' }] } } },
    });
    expect(userManaged.replication?.userManaged?.replicas?.[0]?.location).toBe('europe-west1');
  });

  test('INVALID_ARGUMENT for an invalid label', async () => {
    const error = await failure(
      client.createSecret({
        parent: `projects/${PROJECT}`,
        secretId: 'bad-label',
        secret: { ...automatic, labels: { Env: 'x' } },
      }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toContain('Invalid label key "Env"');
  });
});

describe('UpdateSecret', () => {
  // A stale etag is FAILED_PRECONDITION: https://cloud.google.com/secret-manager/docs/etags
  test('updates the fields in the mask and changes the etag; FAILED_PRECONDITION for a stale etag', async () => {
    const name = await freshSecret(['a'], { env: 'dev' });
    const [before] = await client.getSecret({ name });
    const [after] = await client.updateSecret({
      secret: { name, labels: { env: 'prod' }, annotations: { note: 'x' } },
      updateMask: { paths: ['labels'] },
    });
    expect(after.labels).toEqual({ env: 'prod' });
    expect(after.annotations).toEqual({});
    expect(after.etag).not.toBe(before.etag);
    const stale = await failure(
      client.updateSecret({
        secret: { name, labels: {}, etag: before.etag! },
        updateMask: { paths: ['labels'] },
      }),
    );
    expect(stale.code).toBe(Code.FAILED_PRECONDITION);
  });

  test('a ttl (input only) is returned as expire_time, on create and on update', async () => {
    const [created] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'with-ttl',
      secret: { ...automatic, ttl: { seconds: 3600 } },
    });
    const now = Date.now() / 1000;
    expect(Number(created.expireTime?.seconds)).toBeGreaterThan(now + 3500);
    expect(created.ttl ?? null).toBeNull();
    const [updated] = await client.updateSecret({
      secret: { name: created.name!, ttl: { seconds: 60 } },
      updateMask: { paths: ['ttl'] },
    });
    expect(Number(updated.expireTime?.seconds)).toBeLessThan(now + 120);
  });

  test('INVALID_ARGUMENT for an empty or immutable mask; NOT_FOUND for a missing secret', async () => {
    const name = await freshSecret();
    expect((await failure(client.updateSecret({ secret: { name }, updateMask: { paths: [] } }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    expect(
      (
        await failure(
          client.updateSecret({ secret: { name, ...automatic }, updateMask: { paths: ['replication'] } }),
        )
      ).code,
    ).toBe(Code.INVALID_ARGUMENT);
    const missing = `projects/${PROJECT}/secrets/never-created`;
    expect(
      (await failure(client.updateSecret({ secret: { name: missing }, updateMask: { paths: ['labels'] } })))
        .code,
    ).toBe(Code.NOT_FOUND);
  });

  test('version aliases: set through UpdateSecret, used by GetSecretVersion and AccessSecretVersion', async () => {
    const name = await freshSecret(['first', 'second']);
    await client.updateSecret({
      secret: { name, versionAliases: { stable: 1 } },
      updateMask: { paths: ['version_aliases'] },
    });
    const [access] = await client.accessSecretVersion({ name: `${name}/versions/stable` });
    expect(access.payload?.data?.toString()).toBe('first');
    const [version] = await client.getSecretVersion({ name: `${name}/versions/stable` });
    expect(version.name).toMatch(/\/versions\/1$/);
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/unknown` }, once))).code).toBe(
      Code.NOT_FOUND,
    );
    const bad = await failure(
      client.updateSecret({
        secret: { name, versionAliases: { nope: 9 } },
        updateMask: { paths: ['version_aliases'] },
      }),
    );
    expect(bad.code).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('DeleteSecret', () => {
  test('deletes the secret and its versions; a re-created secret numbers versions from 1 again', async () => {
    const name = await freshSecret(['a', 'b']);
    await client.deleteSecret({ name });
    expect((await failure(client.getSecret({ name }))).code).toBe(Code.NOT_FOUND);
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/1` }, once))).code).toBe(
      Code.NOT_FOUND,
    );
    expect((await failure(client.deleteSecret({ name }))).code).toBe(Code.NOT_FOUND);
    const secretId = name.split('/').at(-1)!;
    await client.createSecret({ parent: `projects/${PROJECT}`, secretId, secret: automatic });
    const [version] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('c') } });
    expect(version.name).toMatch(/\/versions\/1$/);
  });

  test('FAILED_PRECONDITION when the etag does not match (docs/etags); succeeds with the current etag', async () => {
    const name = await freshSecret();
    expect((await failure(client.deleteSecret({ name, etag: '"stale"' }))).code).toBe(
      Code.FAILED_PRECONDITION,
    );
    const [secret] = await client.getSecret({ name });
    await client.deleteSecret({ name, etag: secret.etag! });
  });
});

describe('AddSecretVersion', () => {
  test('numbers versions from 1 and records the checksum', async () => {
    const name = await freshSecret();
    const [first] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('v1') } });
    const [second] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('v2') } });
    const secretId = name.split('/').at(-1);
    expect(first.name).toBe(`projects/${NUMBER}/secrets/${secretId}/versions/1`);
    expect(second.name).toBe(`projects/${NUMBER}/secrets/${secretId}/versions/2`);
    expect(first.state).toBe('ENABLED');
    expect(first.clientSpecifiedPayloadChecksum).toBe(false);
    const data = Buffer.from('checked');
    const [third] = await client.addSecretVersion({
      parent: name,
      payload: { data, dataCrc32c: crc32c(data) },
    });
    expect(third.clientSpecifiedPayloadChecksum).toBe(true);
  });

  test('INVALID_ARGUMENT when the client checksum does not match the data', async () => {
    const name = await freshSecret();
    const data = Buffer.from('payload');
    const error = await failure(
      client.addSecretVersion({ parent: name, payload: { data, dataCrc32c: crc32c(data) ^ 1 } }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
  });

  test('INVALID_ARGUMENT above 64 KiB; exactly 64 KiB is accepted', async () => {
    const name = await freshSecret();
    const [ok] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.alloc(65536, 1) } });
    expect(ok.state).toBe('ENABLED');
    const error = await failure(
      client.addSecretVersion({ parent: name, payload: { data: Buffer.alloc(65537, 1) } }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
  });

  test('NOT_FOUND for a missing secret', async () => {
    const error = await failure(
      client.addSecretVersion({
        parent: `projects/${PROJECT}/secrets/missing`,
        payload: { data: Buffer.from('x') },
      }),
    );
    expect(error.code).toBe(Code.NOT_FOUND);
  });
});

describe('AccessSecretVersion', () => {
  test('returns the data with its CRC32C as a decimal string, by number and by latest', async () => {
    const name = await freshSecret(['old', 'new']);
    const [latest] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    expect(latest.name).toMatch(new RegExp(`^projects/${NUMBER}/secrets/.+/versions/2$`));
    expect(latest.payload?.data?.toString()).toBe('new');
    expect(latest.payload?.dataCrc32c).toBe(String(crc32c(Buffer.from('new'))));
    const [first] = await client.accessSecretVersion({ name: `${name}/versions/1` });
    expect(first.payload?.data?.toString()).toBe('old');
  });

  test('binary payloads round-trip byte for byte', async () => {
    const name = await freshSecret();
    const data = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await client.addSecretVersion({ parent: name, payload: { data } });
    const [response] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    expect(Buffer.from(response.payload!.data as Uint8Array).equals(data)).toBe(true);
  });

  test('latest is the most recently created version, even when disabled: FAILED_PRECONDITION', async () => {
    const error = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/disabled-latest/versions/latest` }),
    );
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.details).toBe(
      `Secret Version [projects/${NUMBER}/secrets/disabled-latest/versions/2] is in DISABLED state.`,
    );
  });

  test('DISABLED and DESTROYED versions: FAILED_PRECONDITION, directly and through latest', async () => {
    const history = `projects/${PROJECT}/secrets/history`;
    const disabled = await failure(client.accessSecretVersion({ name: `${history}/versions/2` }));
    expect(disabled.code).toBe(Code.FAILED_PRECONDITION);
    const destroyed = await failure(client.accessSecretVersion({ name: `${history}/versions/latest` }));
    expect(destroyed.code).toBe(Code.FAILED_PRECONDITION);
    expect(destroyed.details).toBe(
      `Secret Version [projects/${NUMBER}/secrets/history/versions/3] is in DESTROYED state.`,
    );
    const [first] = await client.accessSecretVersion({ name: `${history}/versions/1` });
    expect(first.payload?.data?.toString()).toBe('one');
  });

  test('NOT_FOUND for a missing version, for latest of a secret without versions, and for a missing secret', async () => {
    const missingVersion = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/jwt-secret/versions/9` }),
    );
    expect(missingVersion.code).toBe(Code.NOT_FOUND);
    expect(missingVersion.details).toBe(
      `Secret Version [projects/${NUMBER}/secrets/jwt-secret/versions/9] not found.`,
    );
    const noVersions = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/empty/versions/latest` }),
    );
    expect(noVersions.code).toBe(Code.NOT_FOUND);
    expect(noVersions.details).toBe(
      `Secret [projects/${NUMBER}/secrets/empty] not found or has no versions.`,
    );
    const missingSecret = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/nope/versions/latest` }),
    );
    expect(missingSecret.code).toBe(Code.NOT_FOUND);
  });

  test.each([
    'projects/p/secrets/s/versions/0',
    'projects/p/secrets/s/versions/-1',
    'projects/p/secrets/s/versions/1.5',
    'projects/p/secrets/s/versions/',
    'projects/p/secrets/s',
    'projects/p/secrets/bad$id/versions/1',
    'projects/p/secret/s/versions/1',
  ])('INVALID_ARGUMENT for the malformed version name "%s"', async (name) => {
    const error = await failure(client.accessSecretVersion({ name }, once));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('GetSecretVersion and ListSecretVersions', () => {
  test('GetSecretVersion returns metadata (no payload); latest resolves to the newest number', async () => {
    const name = await freshSecret(['a', 'b', 'c']);
    const [version] = await client.getSecretVersion({ name: `${name}/versions/latest` });
    expect(version.name).toMatch(/\/versions\/3$/);
    expect(version.state).toBe('ENABLED');
    expect(version.createTime?.seconds).toBeDefined();
    expect(version).not.toHaveProperty('payload');
    expect((await failure(client.getSecretVersion({ name: `${name}/versions/4` }))).code).toBe(
      Code.NOT_FOUND,
    );
  });

  test('lists newest first; destroyed versions stay listed with their state and destroy time', async () => {
    const [versions] = await client.listSecretVersions({ parent: `projects/${PROJECT}/secrets/history` });
    expect(versions.map((v) => [v.name?.split('/').at(-1), v.state])).toEqual([
      ['3', 'DESTROYED'],
      ['2', 'DISABLED'],
      ['1', 'ENABLED'],
    ]);
    expect(versions[0]?.destroyTime?.seconds).toBeDefined();
    expect(versions[1]?.destroyTime).toBeNull();
  });

  test('pages with page_size and page_token; filters by state', async () => {
    const name = await freshSecret(['1', '2', '3', '4', '5']);
    const [page1, next1, raw1] = await client.listSecretVersions(
      { parent: name, pageSize: 2 },
      { autoPaginate: false },
    );
    expect(page1.map((v) => v.name?.split('/').at(-1))).toEqual(['5', '4']);
    expect(raw1?.totalSize).toBe(5);
    const [page2, next2] = await client.listSecretVersions(next1!, { autoPaginate: false });
    expect(page2.map((v) => v.name?.split('/').at(-1))).toEqual(['3', '2']);
    const [page3, next3] = await client.listSecretVersions(next2!, { autoPaginate: false });
    expect(page3.map((v) => v.name?.split('/').at(-1))).toEqual(['1']);
    expect(next3).toBeNull();
    await client.disableSecretVersion({ name: `${name}/versions/2` });
    const [enabled, , raw] = await client.listSecretVersions(
      { parent: name, filter: 'state:ENABLED' },
      { autoPaginate: false },
    );
    expect(enabled.map((v) => v.name?.split('/').at(-1))).toEqual(['5', '4', '3', '1']);
    expect(raw?.totalSize).toBe(0);
  });

  test('NOT_FOUND for a missing secret; INVALID_ARGUMENT for a bad page token or negative page size', async () => {
    expect(
      (await failure(client.listSecretVersions({ parent: `projects/${PROJECT}/secrets/nope` }))).code,
    ).toBe(Code.NOT_FOUND);
    const parent = `projects/${PROJECT}/secrets/history`;
    expect((await failure(client.listSecretVersions({ parent, pageToken: 'garbage' }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    const negative = await failure(
      client.listSecretVersions({ parent, pageSize: -1 }, { autoPaginate: false }),
    );
    expect(negative).toMatchObject({
      code: Code.INVALID_ARGUMENT,
      details: 'page_size must not be negative (got -1).',
    });
  });
});

describe('Enable, Disable, DestroySecretVersion', () => {
  test('disable → enable → destroy, with etags and destroy time', async () => {
    const name = await freshSecret(['value']);
    const version = `${name}/versions/1`;
    const [disabled] = await client.disableSecretVersion({ name: version });
    expect(disabled.state).toBe('DISABLED');
    expect((await failure(client.accessSecretVersion({ name: version }))).code).toBe(
      Code.FAILED_PRECONDITION,
    );
    expect((await failure(client.enableSecretVersion({ name: version, etag: '"stale"' }))).code).toBe(
      Code.FAILED_PRECONDITION,
    );
    const [enabled] = await client.enableSecretVersion({ name: version, etag: disabled.etag! });
    expect(enabled.state).toBe('ENABLED');
    expect(enabled.etag).not.toBe(disabled.etag);
    const [access] = await client.accessSecretVersion({ name: version });
    expect(access.payload?.data?.toString()).toBe('value');
    const [destroyed] = await client.destroySecretVersion({ name: version });
    expect(destroyed.state).toBe('DESTROYED');
    expect(Number(destroyed.destroyTime?.seconds)).toBeGreaterThan(0);
  });

  test('a destroyed version cannot be enabled, disabled or destroyed again (FAILED_PRECONDITION)', async () => {
    const version = `projects/${PROJECT}/secrets/history/versions/3`;
    for (const call of [
      client.enableSecretVersion({ name: version }),
      client.disableSecretVersion({ name: version }),
      client.destroySecretVersion({ name: version }),
    ]) {
      expect((await failure(call)).code).toBe(Code.FAILED_PRECONDITION);
    }
  });

  test('NOT_FOUND and INVALID_ARGUMENT', async () => {
    expect(
      (
        await failure(
          client.disableSecretVersion({ name: `projects/${PROJECT}/secrets/jwt-secret/versions/7` }),
        )
      ).code,
    ).toBe(Code.NOT_FOUND);
    expect(
      (await failure(client.enableSecretVersion({ name: 'projects/p/secrets/s/versions/x.y' }))).code,
    ).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('ListSecrets', () => {
  let listing: Emulator;
  let listClient: SecretManagerServiceClient;
  beforeEach(async () => {
    listing = await startEmulator({
      seed: { 'list-project': { 'app-a': 'x', 'app-b': 'x', 'db-password': 'x', 'app-c': 'x', other: 'x' } },
    });
    listClient = new SecretManagerServiceClient(emulatorClientOptions(listing.address));
  });
  afterEach(async () => {
    await listClient.close();
    await listing.stop();
  });
  const ids = (secrets: { name?: string | null }[]) => secrets.map((s) => s.name?.split('/').at(-1));

  test('lists newest first; pages follow page tokens to the end', async () => {
    const parent = 'projects/list-project';
    const [all] = await listClient.listSecrets({ parent });
    expect(ids(all)).toEqual(['other', 'app-c', 'db-password', 'app-b', 'app-a']);
    const seen: string[] = [];
    let request: protos.google.cloud.secretmanager.v1.IListSecretsRequest | null = { parent, pageSize: 2 };
    let pages = 0;
    while (request) {
      const [page, next, raw]: [
        protos.google.cloud.secretmanager.v1.ISecret[],
        protos.google.cloud.secretmanager.v1.IListSecretsRequest | null,
        protos.google.cloud.secretmanager.v1.IListSecretsResponse,
      ] = await listClient.listSecrets(request, { autoPaginate: false });
      expect(raw.totalSize).toBe(5);
      seen.push(...(ids(page) as string[]));
      request = next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids(all));
  });

  test('the async iterator walks every page', async () => {
    const seen: string[] = [];
    for await (const secret of listClient.listSecretsAsync({
      parent: 'projects/list-project',
      pageSize: 1,
    })) {
      seen.push(secret.name!.split('/').at(-1)!);
    }
    expect(seen).toHaveLength(5);
  });

  test.each([
    ['name:app-*', ['app-c', 'app-b', 'app-a']],
    ['name:password', ['db-password']],
    ['name:app-a OR name:other', ['other', 'app-a']],
    ['name:app-* AND NOT name:app-b', ['app-c', 'app-a']],
    ['name=other', ['other']],
  ])('filter %s', async (filter, expected) => {
    const [secrets, , raw] = await listClient.listSecrets(
      { parent: 'projects/list-project', filter },
      { autoPaginate: false },
    );
    expect(ids(secrets)).toEqual(expected);
    expect(raw?.totalSize).toBe(0);
  });

  test('filter on labels', async () => {
    await listClient.createSecret({
      parent: 'projects/list-project',
      secretId: 'labelled',
      secret: { ...automatic, labels: { env: 'prod' } },
    });
    const [prod] = await listClient.listSecrets({
      parent: 'projects/list-project',
      filter: 'labels.env=prod',
    });
    expect(ids(prod)).toEqual(['labelled']);
    const [any] = await listClient.listSecrets({ parent: 'projects/list-project', filter: 'labels.env:*' });
    expect(ids(any)).toEqual(['labelled']);
  });

  test('INVALID_ARGUMENT for an unknown filter field, a bad page token, a malformed parent', async () => {
    const parent = 'projects/list-project';
    expect((await failure(listClient.listSecrets({ parent, filter: 'colour:red' }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    expect((await failure(listClient.listSecrets({ parent, pageToken: 'bm9wZQ' }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    expect((await failure(listClient.listSecrets({ parent: 'projects/a/b' }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
  });

  test('a project with no secrets lists nothing', async () => {
    const [secrets] = await listClient.listSecrets({ parent: 'projects/empty-project' });
    expect(secrets).toEqual([]);
  });
});

describe('IAM policies', () => {
  test('an unset policy is empty; SetIamPolicy stores it per secret with a new etag', async () => {
    const resource = await freshSecret();
    const [initial] = await client.getIamPolicy({ resource });
    expect(initial.bindings).toEqual([]);
    const binding = {
      role: 'roles/secretmanager.secretAccessor',
      members: ['serviceAccount:run@p.iam.gserviceaccount.com'],
    };
    const [set] = await client.setIamPolicy({
      resource,
      policy: { bindings: [binding], etag: initial.etag },
    });
    expect(set.bindings).toEqual([expect.objectContaining(binding)]);
    expect(Buffer.from(set.etag as Uint8Array).equals(Buffer.from(initial.etag as Uint8Array))).toBe(false);
    const [got] = await client.getIamPolicy({ resource });
    expect(got.bindings).toEqual([expect.objectContaining(binding)]);
    const other = await freshSecret();
    const [otherPolicy] = await client.getIamPolicy({ resource: other });
    expect(otherPolicy.bindings).toEqual([]);
  });

  test('ABORTED for a stale etag; INVALID_ARGUMENT for a bad member or role; NOT_FOUND for a missing secret', async () => {
    const resource = await freshSecret();
    const [initial] = await client.getIamPolicy({ resource });
    await client.setIamPolicy({ resource, policy: { bindings: [] } });
    const stale = await failure(
      client.setIamPolicy({ resource, policy: { bindings: [], etag: initial.etag } }),
    );
    expect(stale.code).toBe(Code.ABORTED);
    const badMember = { role: 'roles/secretmanager.secretAccessor', members: ['someone@example.com'] };
    expect((await failure(client.setIamPolicy({ resource, policy: { bindings: [badMember] } }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    const badRole = { role: 'secretAccessor', members: ['user:a@example.com'] };
    expect((await failure(client.setIamPolicy({ resource, policy: { bindings: [badRole] } }))).code).toBe(
      Code.INVALID_ARGUMENT,
    );
    const missing = `projects/${PROJECT}/secrets/missing`;
    expect((await failure(client.getIamPolicy({ resource: missing }))).code).toBe(Code.NOT_FOUND);
  });

  test('TestIamPermissions echoes the permissions (the emulator grants everything not denied)', async () => {
    const resource = await freshSecret();
    const permissions = ['secretmanager.versions.access', 'secretmanager.secrets.get'];
    const [response] = await client.testIamPermissions({ resource, permissions });
    expect(response.permissions).toEqual(permissions);
  });
});

describe('projects', () => {
  test('an undeclared project gets a stable 12-digit number that addresses it too', async () => {
    await client.createSecret({ parent: 'projects/other-project', secretId: 'k', secret: automatic });
    const [secret] = await client.getSecret({ name: 'projects/other-project/secrets/k' });
    const number = secret.name!.split('/')[1]!;
    expect(number).toMatch(/^[1-9][0-9]{11}$/);
    const [again] = await client.getSecret({ name: `projects/${number}/secrets/k` });
    expect(again.name).toBe(secret.name);
    const second = await startEmulator({ seed: { 'other-project': { k: 'v' } } });
    const secondClient = new SecretManagerServiceClient(emulatorClientOptions(second.address));
    const [fromSecond] = await secondClient.getSecret({ name: 'projects/other-project/secrets/k' });
    expect(fromSecond.name).toBe(secret.name);
    await secondClient.close();
    await second.stop();
  });

  test('a seed keyed by the project number is the same project as its declared ID', async () => {
    const byNumber = await startEmulator({
      seed: { [NUMBER]: { k: 'v' } },
      projectNumbers: { [PROJECT]: NUMBER },
    });
    const numberClient = new SecretManagerServiceClient(emulatorClientOptions(byNumber.address));
    const [response] = await numberClient.accessSecretVersion({
      name: `projects/${PROJECT}/secrets/k/versions/latest`,
    });
    expect(response.payload?.data?.toString()).toBe('v');
    await numberClient.close();
    await byNumber.stop();
  });
});

describe('seed', () => {
  test('startEmulator rejects a bad seed with every problem and no value', async () => {
    const seed = { p: { 'bad id': 'super-secret-value', ok: [{ value: 'x', state: 'PAUSED' }] } };
    const error = await startEmulator({ seed: seed as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).problems).toHaveLength(2);
    expect((error as Error).message).not.toContain('super-secret-value');
  });
});

describe('fault API', () => {
  test('failNext fails exactly the next N calls of a method with the code, then recovers', async () => {
    const name = `projects/${PROJECT}/secrets/jwt-secret/versions/latest`;
    emulator.faults.failNext('AccessSecretVersion', { times: 2, code: 'INTERNAL' });
    const [first, second] = [
      await failure(client.accessSecretVersion({ name }, once)),
      await failure(client.accessSecretVersion({ name }, once)),
    ];
    expect(first.code).toBe(Code.INTERNAL);
    expect(second.details).toBe('Injected fault: INTERNAL');
    await client.getSecret({ name: `projects/${PROJECT}/secrets/jwt-secret` });
    const [ok] = await client.accessSecretVersion({ name }, once);
    expect(ok.payload?.data?.toString()).toBe('seeded-jwt-value');
  });

  test('failNext for one secret leaves other secrets alone; numeric codes and messages work', async () => {
    emulator.faults.failNext('AccessSecretVersion', { code: 8, secret: 'history', message: 'quota' });
    const [other] = await client.accessSecretVersion(
      { name: `projects/${PROJECT}/secrets/jwt-secret/versions/1` },
      once,
    );
    expect(other.payload?.data?.toString()).toBe('seeded-jwt-value');
    const error = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/history/versions/1` }, once),
    );
    expect(error).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, details: 'quota' });
  });

  test("failNext('*') fails any method; a secret given as a full name matches by project ID or number", async () => {
    emulator.faults.failNext('*', { code: 'UNAVAILABLE', secret: `projects/${NUMBER}/secrets/jwt-secret` });
    expect(
      (await failure(client.getSecret({ name: `projects/${PROJECT}/secrets/jwt-secret` }, once))).code,
    ).toBe(Code.UNAVAILABLE);
    await client.getSecret({ name: `projects/${PROJECT}/secrets/jwt-secret` }, once);
  });

  test("the official client's own retry policy recovers from transient UNAVAILABLE answers", async () => {
    emulator.faults.failNext('AccessSecretVersion', { times: 2, code: 'UNAVAILABLE' });
    const fastRetry = {
      retry: createRetryOptions([Code.UNAVAILABLE], createBackoffSettings(5, 1, 5, 5000, 1, 5000, 10000)),
    };
    const [response] = await client.accessSecretVersion(
      { name: `projects/${PROJECT}/secrets/jwt-secret/versions/1` },
      fastRetry,
    );
    expect(response.payload?.data?.toString()).toBe('seeded-jwt-value');
  });

  test('deny: PERMISSION_DENIED for every call about the secret, with the API message', async () => {
    emulator.faults.deny('jwt-secret');
    const error = await failure(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/jwt-secret/versions/latest` }),
    );
    expect(error.code).toBe(Code.PERMISSION_DENIED);
    expect(error.details).toBe(
      `Permission 'secretmanager.versions.access' denied for resource 'projects/${PROJECT}/secrets/jwt-secret/versions/latest' (or it may not exist).`,
    );
    expect((await failure(client.getSecret({ name: `projects/${PROJECT}/secrets/jwt-secret` }))).code).toBe(
      Code.PERMISSION_DENIED,
    );
    await client.getSecret({ name: `projects/${PROJECT}/secrets/history` });
  });

  test('corruptChecksum: data_crc32c no longer matches the data', async () => {
    emulator.faults.corruptChecksum('jwt-secret');
    const [response] = await client.accessSecretVersion({
      name: `projects/${PROJECT}/secrets/jwt-secret/versions/1`,
    });
    const data = Buffer.from(response.payload!.data as Uint8Array);
    expect(data.toString()).toBe('seeded-jwt-value');
    expect(response.payload?.dataCrc32c).not.toBe(String(crc32c(data)));
  });

  test('latency is a timer: a slow secret does not hold up other calls; deadlines expire', async () => {
    emulator.faults.setLatency(1000, { secret: 'history' });
    const order: string[] = [];
    const slow = client
      .accessSecretVersion({ name: `projects/${PROJECT}/secrets/history/versions/1` })
      .then(() => order.push('slow'));
    const fast = client
      .accessSecretVersion({ name: `projects/${PROJECT}/secrets/jwt-secret/versions/1` })
      .then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast', 'slow']);
    const deadline = await failure(
      client.accessSecretVersion(
        { name: `projects/${PROJECT}/secrets/history/versions/1` },
        { ...once, timeout: 50 },
      ),
    );
    expect(deadline.code).toBe(Code.DEADLINE_EXCEEDED);
  });

  test('the most specific latency rule wins (method+secret > secret > method > global); reset clears them', async () => {
    emulator.faults.setLatency(1000);
    emulator.faults.setLatency(0, { method: 'GetSecret' });
    const order: string[] = [];
    await Promise.all([
      client
        .getSecretVersion({ name: `projects/${PROJECT}/secrets/jwt-secret/versions/1` })
        .then(() => order.push('global')),
      client.getSecret({ name: `projects/${PROJECT}/secrets/jwt-secret` }).then(() => order.push('method')),
    ]);
    expect(order).toEqual(['method', 'global']);
    emulator.faults.setLatency(1000, { secret: 'history' });
    emulator.faults.setLatency(0, { secret: 'history', method: 'GetSecret' });
    const second: string[] = [];
    await Promise.all([
      client
        .getSecretVersion({ name: `projects/${PROJECT}/secrets/history/versions/1` })
        .then(() => second.push('secret')),
      client
        .getSecret({ name: `projects/${PROJECT}/secrets/history` })
        .then(() => second.push('method+secret')),
    ]);
    expect(second).toEqual(['method+secret', 'secret']);
    emulator.faults.reset();
    const deadline = { ...once, timeout: 300 };
    await client.getSecretVersion({ name: `projects/${PROJECT}/secrets/history/versions/1` }, deadline);
  });

  test('startEmulator latencyMs delays every call', async () => {
    const slow = await startEmulator({ latencyMs: 500, seed: { p1234: { k: 'v' } } });
    const slowClient = new SecretManagerServiceClient(emulatorClientOptions(slow.address));
    const error = await failure(
      slowClient.getSecret({ name: 'projects/p1234/secrets/k' }, { ...once, timeout: 100 }),
    );
    expect(error.code).toBe(Code.DEADLINE_EXCEEDED);
    slow.faults.reset();
    await slowClient.getSecret({ name: 'projects/p1234/secrets/k' });
    await slowClient.close();
    await slow.stop();
  });

  test('invalid fault arguments throw TypeErrors naming the rule', () => {
    expect(() => emulator.faults.failNext('Nope' as never, { code: 'INTERNAL' })).toThrow(
      /Unknown method "Nope"/,
    );
    expect(() => emulator.faults.failNext('GetSecret', { code: 'NOPE' as never })).toThrow(
      /Invalid gRPC status code/,
    );
    expect(() => emulator.faults.failNext('GetSecret', { code: 0 })).toThrow(/Invalid gRPC status code/);
    expect(() => emulator.faults.failNext('GetSecret', { code: 'INTERNAL', times: 0 })).toThrow(
      /positive integer/,
    );
    expect(() => emulator.faults.setLatency(-1)).toThrow(/non-negative/);
  });
});

describe('a long-lived client', () => {
  test('keeps working across many sequential and concurrent calls of every kind', async () => {
    const name = await freshSecret();
    for (let i = 1; i <= 150; i++) {
      const [version] = await client.addSecretVersion({
        parent: name,
        payload: { data: Buffer.from(`value-${i}`) },
      });
      expect(version.name).toMatch(new RegExp(`/versions/${i}$`));
    }
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        client
          .accessSecretVersion({ name: `${name}/versions/${(i % 150) + 1}` })
          .then(([r]) => r.payload?.data?.toString()),
      ),
    );
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => `value-${(i % 150) + 1}`));
    const [versions] = await client.listSecretVersions({ parent: name });
    expect(versions).toHaveLength(150);
    const [latest] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    expect(latest.payload?.data?.toString()).toBe('value-150');
    // Every other kind of call, interleaved and concurrent, on the same client; some of them fail on purpose.
    const mixed = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const version = `${name}/versions/${(i % 150) + 1}`;
        switch (i % 8) {
          case 0:
            return (await client.getSecret({ name }))[0].name?.endsWith(name.split('/').at(-1)!);
          case 1:
            return (await client.getSecretVersion({ name: version }))[0].state === 'ENABLED';
          case 2:
            return (
              (
                await client.listSecrets(
                  { parent: `projects/${PROJECT}`, pageSize: 5 },
                  { autoPaginate: false },
                )
              )[0].length === 5
            );
          case 3:
            return (await client.getIamPolicy({ resource: name }))[0].bindings?.length === 0;
          case 4:
            return (await failure(client.getSecret({ name: `${name}-missing` }))).code === Code.NOT_FOUND;
          case 5:
            return (
              (await client.testIamPermissions({ resource: name, permissions: ['p.q.r'] }))[0].permissions
                ?.length === 1
            );
          case 6:
            return (
              (
                await client.updateSecret({
                  secret: { name, labels: { n: String(i) } },
                  updateMask: { paths: ['labels'] },
                })
              )[0].labels?.['n'] === String(i)
            );
          default:
            return (
              (await failure(client.accessSecretVersion({ name: `${name}/versions/999` }, once))).code ===
              Code.NOT_FOUND
            );
        }
      }),
    );
    expect(mixed).toEqual(Array.from({ length: 40 }, () => true));
    const [stillWorks] = await client.accessSecretVersion({ name: `${name}/versions/1` });
    expect(stillWorks.payload?.data?.toString()).toBe('value-1');
  });
});

describe('stop', () => {
  test('fails delayed calls with UNAVAILABLE and releases the port', async () => {
    const temporary = await startEmulator({ seed: { p1234: { k: 'v' } } });
    const temporaryClient = new SecretManagerServiceClient(emulatorClientOptions(temporary.address));
    temporary.faults.setLatency(5000);
    const pending = failure(temporaryClient.getSecret({ name: 'projects/p1234/secrets/k' }, once));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await temporary.stop();
    expect((await pending).code).toBe(Code.UNAVAILABLE);
    await temporaryClient.close();
    const again = await startEmulator({ port: temporary.port });
    expect(again.port).toBe(temporary.port);
    await again.stop();
  });
});
