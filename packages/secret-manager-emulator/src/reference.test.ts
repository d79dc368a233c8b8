/**
 * Behaviours the Secret Manager v1 reference documents, each checked through the official client:
 * - RPC and field reference: https://cloud.google.com/secret-manager/docs/reference/rpc/google.cloud.secretmanager.v1
 *   (the same text as resources.proto / service.proto shipped in @google-cloud/secret-manager)
 * - etags: https://cloud.google.com/secret-manager/docs/etags (a mismatch is FAILED_PRECONDITION)
 * - filters: https://cloud.google.com/secret-manager/docs/filtering
 * - delayed destruction: https://cloud.google.com/secret-manager/docs/delay-destruction-of-secret-versions
 * - version aliases: https://cloud.google.com/secret-manager/docs/assign-alias-to-secret-version
 * - regional secrets: https://cloud.google.com/secret-manager/regional-secrets/ (endpoint secretmanager.LOCATION.rep.googleapis.com)
 * - field masks: https://google.aip.dev/161 ; page tokens: https://google.aip.dev/158
 */
import { type protos, SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emulatorClientOptions } from './client.ts';
import { type Emulator, startEmulator } from './server.ts';

type Secret = protos.google.cloud.secretmanager.v1.ISecret;

const Code = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;
const PROJECT = 'reference-project';
const NUMBER = '111122223333';
const TOPIC = `projects/${PROJECT}/topics/t`;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

let emulator: Emulator;
let client: SecretManagerServiceClient;
let now = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  emulator = await startEmulator({ projectNumbers: { [PROJECT]: NUMBER }, now: () => now });
  client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
});
afterAll(async () => {
  await client.close();
  await emulator.stop();
});

async function failure(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; details: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

const time = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: 0 });
let counter = 0;
async function secret(
  fields: Secret = {},
  values: string[] = [],
  parent = `projects/${PROJECT}`,
): Promise<string> {
  const secretId = `r${++counter}`;
  const base = parent.includes('/locations/') ? {} : { replication: { automatic: {} } };
  await client.createSecret({ parent, secretId, secret: { ...base, ...fields } });
  const name = `${parent}/secrets/${secretId}`;
  for (const value of values)
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from(value) } });
  return name;
}

describe('regional secrets', () => {
  test('global and each location keep their own secrets, by resource name', async () => {
    const id = 'same-id';
    for (const parent of [
      `projects/${PROJECT}`,
      `projects/${PROJECT}/locations/us-central1`,
      `projects/${PROJECT}/locations/europe-west1`,
    ]) {
      const base = parent.includes('/locations/') ? {} : { replication: { automatic: {} } };
      await client.createSecret({ parent, secretId: id, secret: base });
      await client.addSecretVersion({
        parent: `${parent}/secrets/${id}`,
        payload: { data: Buffer.from(parent) },
      });
    }
    for (const parent of [
      `projects/${PROJECT}`,
      `projects/${PROJECT}/locations/us-central1`,
      `projects/${PROJECT}/locations/europe-west1`,
    ]) {
      const [accessed] = await client.accessSecretVersion({
        name: `${parent}/secrets/${id}/versions/latest`,
      });
      expect(accessed.payload?.data?.toString()).toBe(parent);
      const [listed] = await client.listSecrets({ parent, filter: `name=${id}` });
      expect(listed.map((s) => s.name)).toEqual([`${parent.replace(PROJECT, NUMBER)}/secrets/${id}`]);
    }
    await client.deleteSecret({ name: `projects/${PROJECT}/locations/us-central1/secrets/${id}` });
    expect(
      (await failure(client.getSecret({ name: `projects/${PROJECT}/locations/us-central1/secrets/${id}` })))
        .code,
    ).toBe(Code.NOT_FOUND);
    await client.getSecret({ name: `projects/${PROJECT}/secrets/${id}` });
    await client.getSecret({ name: `projects/${PROJECT}/locations/europe-west1/secrets/${id}` });
  });

  test('a client built for secretmanager.L.rep.googleapis.com sees only location L', async () => {
    const regional = new SecretManagerServiceClient(
      emulatorClientOptions(emulator.address, { apiEndpoint: 'secretmanager.asia-east1.rep.googleapis.com' }),
    );
    try {
      const name = await secret({}, ['v'], `projects/${PROJECT}/locations/asia-east1`);
      const [accessed] = await regional.accessSecretVersion({ name: `${name}/versions/1` });
      expect(accessed.payload?.data?.toString()).toBe('v');
      const global = await failure(regional.getSecret({ name: `projects/${PROJECT}/secrets/same-id` }));
      expect(global.code).toBe(Code.INVALID_ARGUMENT);
      expect(global.details).toMatch(/secretmanager\.asia-east1\.rep\.googleapis\.com serves only/);
      const other = await failure(
        regional.listSecrets({ parent: `projects/${PROJECT}/locations/europe-west1` }),
      );
      expect(other.code).toBe(Code.INVALID_ARGUMENT);
    } finally {
      await regional.close();
    }
  });

  test('strictEndpoints: regional names only through their regional endpoint, as Google serves them', async () => {
    const strict = await startEmulator({
      strictEndpoints: true,
      seed: { 'p/locations/europe-west1': { s: 'v' } },
    });
    const plain = new SecretManagerServiceClient(emulatorClientOptions(strict.address));
    const regional = new SecretManagerServiceClient(
      emulatorClientOptions(strict.address, { apiEndpoint: 'secretmanager.europe-west1.rep.googleapis.com' }),
    );
    try {
      const name = 'projects/p/locations/europe-west1/secrets/s/versions/1';
      const refused = await failure(plain.accessSecretVersion({ name }));
      expect(refused.code).toBe(Code.INVALID_ARGUMENT);
      expect(refused.details).toMatch(/served by secretmanager\.europe-west1\.rep\.googleapis\.com/);
      const [accessed] = await regional.accessSecretVersion({ name });
      expect(accessed.payload?.data?.toString()).toBe('v');
    } finally {
      await plain.close();
      await regional.close();
      await strict.stop();
    }
  });

  test('a regional secret takes no replication policy; a global one needs one', async () => {
    const regional = await failure(
      client.createSecret({
        parent: `projects/${PROJECT}/locations/us-central1`,
        secretId: 'with-replication',
        secret: { replication: { automatic: {} } },
      }),
    );
    expect(regional.code).toBe(Code.INVALID_ARGUMENT);
    const global = await failure(
      client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'none', secret: {} }),
    );
    expect(global.code).toBe(Code.INVALID_ARGUMENT);
  });

  test('startEmulator({ locations }) serves only those locations; a seed may hold regional secrets', async () => {
    const limited = await startEmulator({
      locations: ['europe-west1'],
      seed: { 'p/locations/europe-west1': { api: 'regional value' }, p: { api: 'global value' } },
    });
    const other = new SecretManagerServiceClient(emulatorClientOptions(limited.address));
    try {
      const [regional] = await other.accessSecretVersion({
        name: 'projects/p/locations/europe-west1/secrets/api/versions/latest',
      });
      expect(regional.payload?.data?.toString()).toBe('regional value');
      const [global] = await other.accessSecretVersion({ name: 'projects/p/secrets/api/versions/latest' });
      expect(global.payload?.data?.toString()).toBe('global value');
      const refused = await failure(other.listSecrets({ parent: 'projects/p/locations/us-east1' }));
      expect(refused.code).toBe(Code.INVALID_ARGUMENT);
      expect(refused.details).toMatch(/not served by this emulator \(served: europe-west1\)/);
    } finally {
      await other.close();
      await limited.stop();
    }
  });
});

describe('field masks (AIP-161)', () => {
  test('sub-fields of rotation, map keys of labels, and "*"', async () => {
    const next = now + DAY;
    const name = await secret({
      labels: { a: '1', b: '2' },
      topics: [{ name: TOPIC }],
      rotation: { nextRotationTime: time(next), rotationPeriod: { seconds: 7200 } },
    });
    const [period] = await client.updateSecret({
      secret: { name, rotation: { rotationPeriod: { seconds: 3 * 3600 } } },
      updateMask: { paths: ['rotation.rotation_period'] },
    });
    expect(period.rotation?.rotationPeriod?.seconds).toBe('10800');
    expect(Number(period.rotation?.nextRotationTime?.seconds)).toBe(next / 1000);
    const [nextTime] = await client.updateSecret({
      secret: { name, rotation: { nextRotationTime: time(next + DAY) } },
      updateMask: { paths: ['rotation.next_rotation_time'] },
    });
    expect(Number(nextTime.rotation?.nextRotationTime?.seconds)).toBe((next + DAY) / 1000);
    expect(nextTime.rotation?.rotationPeriod?.seconds).toBe('10800');
    const [oneLabel] = await client.updateSecret({
      secret: { name, labels: { b: '20', c: 'ignored' } },
      updateMask: { paths: ['labels.b'] },
    });
    expect(oneLabel.labels).toEqual({ a: '1', b: '20' });
    const [dropped] = await client.updateSecret({ secret: { name }, updateMask: { paths: ['labels.a'] } });
    expect(dropped.labels).toEqual({ b: '20' });
    const [everything] = await client.updateSecret({
      secret: { name, labels: { only: 'this' }, annotations: { note: 'n' } },
      updateMask: { paths: ['*'] },
    });
    expect(everything.labels).toEqual({ only: 'this' });
    expect(everything.annotations).toEqual({ note: 'n' });
    expect(everything.topics).toEqual([]);
    expect(everything.rotation).toBeNull();
    expect(everything.replication?.automatic).toBeDefined();
  });

  test.each([
    [[], /update_mask must list at least one field/],
    [['replication'], /replication is immutable/],
    [['tags'], /tags is immutable/],
    [['secret_type'], /secret_type is immutable/],
    [['create_time'], /cannot be updated/],
    [['colour'], /does not name a field of Secret/],
    [['rotation.colour'], /does not name a field of Secret/],
    [['*', 'labels'], /"\*" must be the only path/],
  ])('INVALID_ARGUMENT for the mask %j', async (paths, message) => {
    const name = await secret();
    const error = await failure(client.updateSecret({ secret: { name }, updateMask: { paths } }));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatch(message);
  });
});

describe('etags (docs/etags): a mismatch is FAILED_PRECONDITION on every call that takes one', () => {
  test('update, delete, enable, disable, destroy', async () => {
    const name = await secret({}, ['v']);
    const stale = '"not-the-etag"';
    const version = `${name}/versions/1`;
    const calls = [
      client.updateSecret({
        secret: { name, etag: stale, labels: { a: 'b' } },
        updateMask: { paths: ['labels'] },
      }),
      client.deleteSecret({ name, etag: stale }),
      client.enableSecretVersion({ name: version, etag: stale }),
      client.disableSecretVersion({ name: version, etag: stale }),
      client.destroySecretVersion({ name: version, etag: stale }),
    ];
    for (const call of calls) expect((await failure(call)).code).toBe(Code.FAILED_PRECONDITION);
  });

  test('a no-op update still changes the etag; secret and version etags are independent', async () => {
    const name = await secret({}, ['v']);
    const [before] = await client.getSecret({ name });
    const [version] = await client.getSecretVersion({ name: `${name}/versions/1` });
    const [enabled] = await client.enableSecretVersion({ name: `${name}/versions/1` });
    expect(enabled.etag).not.toBe(version.etag);
    expect((await client.getSecret({ name }))[0].etag).toBe(before.etag);
    expect(
      (await failure(client.disableSecretVersion({ name: `${name}/versions/1`, etag: version.etag! }))).code,
    ).toBe(Code.FAILED_PRECONDITION);
  });

  test('SetIamPolicy with a stale policy etag is ABORTED (the IAM convention)', async () => {
    const name = await secret();
    const [first] = await client.getIamPolicy({ resource: name });
    await client.setIamPolicy({ resource: name, policy: { bindings: [] } });
    const error = await failure(
      client.setIamPolicy({ resource: name, policy: { ...first, etag: Buffer.from('stale') } }),
    );
    expect(error.code).toBe(Code.ABORTED);
  });
});

describe('delayed destruction (version_destroy_ttl)', () => {
  test('destroy disables and schedules; access fails; time passing destroys it', async () => {
    const name = await secret({ versionDestroyTtl: { seconds: 86400 } }, ['v1', 'v2']);
    const [scheduled] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    expect(scheduled.state).toBe('DISABLED');
    expect(Number(scheduled.scheduledDestroyTime?.seconds)).toBe(Math.floor(now / 1000) + 86400);
    expect(scheduled.destroyTime).toBeNull();
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/1` }))).code).toBe(
      Code.FAILED_PRECONDITION,
    );
    const [scheduledOnly] = await client.listSecretVersions({
      parent: name,
      filter: 'scheduled_destroy_time:*',
    });
    expect(scheduledOnly.map((v) => v.name?.split('/').at(-1))).toEqual(['1']);
    now += DAY + 1000;
    const [destroyed] = await client.getSecretVersion({ name: `${name}/versions/1` });
    expect(destroyed.state).toBe('DESTROYED');
    expect(Number(destroyed.destroyTime?.seconds)).toBe(Number(scheduled.scheduledDestroyTime?.seconds));
    expect(destroyed.scheduledDestroyTime).toBeNull();
  });

  test('enabling or disabling a scheduled version cancels its destruction', async () => {
    const name = await secret({ versionDestroyTtl: { seconds: 3600 } }, ['v1', 'v2']);
    await client.destroySecretVersion({ name: `${name}/versions/1` });
    await client.destroySecretVersion({ name: `${name}/versions/2` });
    const [restored] = await client.enableSecretVersion({ name: `${name}/versions/1` });
    expect(restored.scheduledDestroyTime).toBeNull();
    const [kept] = await client.disableSecretVersion({ name: `${name}/versions/2` });
    expect(kept.scheduledDestroyTime).toBeNull();
    now += 2 * HOUR;
    expect((await client.getSecretVersion({ name: `${name}/versions/1` }))[0].state).toBe('ENABLED');
    expect((await client.getSecretVersion({ name: `${name}/versions/2` }))[0].state).toBe('DISABLED');
  });

  test("destroying a version that is already scheduled schedules it again from now (undocumented; the emulator's choice)", async () => {
    const name = await secret({ versionDestroyTtl: { seconds: 3600 } }, ['v']);
    const [first] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    now += 60_000;
    const [second] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    expect(second.state).toBe('DISABLED');
    expect(Number(second.scheduledDestroyTime?.seconds)).toBe(
      Number(first.scheduledDestroyTime?.seconds) + 60,
    );
  });

  test('without a TTL, destroy is immediate; a negative TTL is INVALID_ARGUMENT', async () => {
    const name = await secret({}, ['v']);
    const [destroyed] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    expect(destroyed.state).toBe('DESTROYED');
    const error = await failure(
      client.createSecret({
        parent: `projects/${PROJECT}`,
        secretId: 'negative-ttl',
        secret: { replication: { automatic: {} }, versionDestroyTtl: { seconds: -1 } },
      }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('rotation (Rotation, Secret.topics)', () => {
  const create = (fields: Secret) =>
    client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: `rot${++counter}`,
      secret: { replication: { automatic: {} }, ...fields },
    });

  test.each([
    ['no topics', { rotation: { nextRotationTime: time(now + DAY) } }, /topics must be set/],
    [
      'next time under 5 min ahead',
      { topics: [{ name: TOPIC }], rotation: { nextRotationTime: time(now + 60_000) } },
      /at least 300s/,
    ],
    [
      'next time over 100 years ahead',
      { topics: [{ name: TOPIC }], rotation: { nextRotationTime: time(now + 101 * 365 * DAY) } },
      /at most 3153600000s/,
    ],
    [
      'period under 1 h',
      {
        topics: [{ name: TOPIC }],
        rotation: { nextRotationTime: time(now + DAY), rotationPeriod: { seconds: 1800 } },
      },
      /rotation_period must be whole seconds from 3600s/,
    ],
    [
      'period with nanos',
      {
        topics: [{ name: TOPIC }],
        rotation: { nextRotationTime: time(now + DAY), rotationPeriod: { seconds: 7200, nanos: 5 } },
      },
      /whole seconds/,
    ],
    [
      'period without next time',
      { topics: [{ name: TOPIC }], rotation: { rotationPeriod: { seconds: 7200 } } },
      /next_rotation_time must be set/,
    ],
    ['a bad topic name', { topics: [{ name: 'my-topic' }] }, /expected projects\/\*\/topics\/\*/],
    [
      '11 topics',
      { topics: Array.from({ length: 11 }, (_, i) => ({ name: `projects/p/topics/t${i}` })) },
      /at most 10 Pub\/Sub topics/,
    ],
  ] as const)('INVALID_ARGUMENT: %s', async (_, fields, message) => {
    const error = await failure(create(fields as Secret));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatch(message);
  });

  test('removing the topics of a rotating secret is refused; the valid policy is echoed', async () => {
    const [created] = await create({
      topics: [{ name: TOPIC }],
      rotation: { nextRotationTime: time(now + DAY), rotationPeriod: { seconds: 7200 } },
    });
    expect(created.rotation?.rotationPeriod?.seconds).toBe('7200');
    const error = await failure(
      client.updateSecret({ secret: { name: created.name! }, updateMask: { paths: ['topics'] } }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('limits', () => {
  const labels = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
  test.each([
    ['65 labels', { labels: labels(65) }, /at most 64 labels/],
    ['an upper-case label key', { labels: { Env: 'x' } }, /Invalid label key "Env"/],
    ['a label value of 64 characters', { labels: { env: 'a'.repeat(64) } }, /Invalid value for label "env"/],
    ['annotations of 16 KiB', { annotations: { big: 'x'.repeat(16384) } }, /less than 16 KiB/],
    ['an annotation key ending in a dot', { annotations: { 'key.': 'v' } }, /Invalid annotation key/],
    ['an alias to a version that does not exist', { versionAliases: { prod: 1 } }, /does not exist/],
    ['a bad tag key', { tags: { 'no-slash': 'v' } }, /Invalid tag/],
    ['an expire_time in the past', { expireTime: time(now - 1000) }, /must be in the future/],
  ] as const)('INVALID_ARGUMENT for %s', async (_, fields, message) => {
    const error = await failure(
      client.createSecret({
        parent: `projects/${PROJECT}`,
        secretId: `lim${++counter}`,
        secret: { replication: { automatic: {} }, ...(fields as Secret) },
      }),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatch(message);
  });

  test('64 labels are allowed', async () => {
    await secret({ labels: labels(64) });
  });

  test('version aliases: at most 50, not latest/new in any case, never to a destroyed version', async () => {
    const name = await secret({}, ['v1', 'v2']);
    const update = (versionAliases: Record<string, number>) =>
      failure(
        client.updateSecret({ secret: { name, versionAliases }, updateMask: { paths: ['version_aliases'] } }),
      );
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, 1]));
    await client.updateSecret({
      secret: { name, versionAliases: fifty },
      updateMask: { paths: ['version_aliases'] },
    });
    expect((await update({ ...fifty, extra: 2 })).details).toMatch(/at most 50 version aliases/);
    expect((await update({ Latest: 1 })).details).toMatch(/not "latest" or "new"/);
    expect((await update({ NEW: 1 })).details).toMatch(/not "latest" or "new"/);
    expect((await update({ '1st': 1 })).details).toMatch(/starting with a letter/);
    await client.destroySecretVersion({ name: `${name}/versions/2` });
    const destroyed = await update({ current: 2 });
    expect(destroyed.code).toBe(Code.INVALID_ARGUMENT);
    expect(destroyed.details).toMatch(/which is destroyed/);
  });
});

describe('INPUT_ONLY and OUTPUT_ONLY fields', () => {
  test('ttl becomes expire_time; tags are never returned, by get or list', async () => {
    const name = await secret({ ttl: { seconds: 600 }, tags: { 'tagKeys/1': 'tagValues/2' } });
    const [got] = await client.getSecret({ name });
    expect(Number(got.expireTime?.seconds)).toBe(Math.floor(now / 1000) + 600);
    expect(got.ttl ?? null).toBeNull();
    expect(got.tags).toEqual({});
    const [listed] = await client.listSecrets({
      parent: `projects/${PROJECT}`,
      filter: `name=${name.split('/').at(-1)}`,
    });
    expect(listed[0]?.tags).toEqual({});
  });

  test('an expired secret is deleted: NOT_FOUND and no longer listed', async () => {
    const name = await secret({ ttl: { seconds: 60 } }, ['v']);
    now += 61_000;
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/1` }))).code).toBe(
      Code.NOT_FOUND,
    );
    const [listed] = await client.listSecrets({
      parent: `projects/${PROJECT}`,
      filter: `name=${name.split('/').at(-1)}`,
    });
    expect(listed).toEqual([]);
  });
});

describe('list filters from the filtering page', () => {
  test('replication.automatic:*, expire_time:*, name:PREFIX*SUFFIX, create_time ranges, state:(A OR B)', async () => {
    const parent = `projects/${PROJECT}/locations/me-west1`;
    const plain = await secret({}, [], parent);
    const expiring = await secret({ ttl: { seconds: 9999 } }, [], parent);
    await client.createSecret({ parent, secretId: 'APIKEY-payments-production', secret: {} });
    const ids = async (filter: string) =>
      (await client.listSecrets({ parent, filter }))[0].map((s) => s.name?.split('/').at(-1)).sort();
    expect(await ids('expire_time:*')).toEqual([expiring.split('/').at(-1)]);
    expect(await ids('NOT expire_time:*')).toEqual(
      ['APIKEY-payments-production', plain.split('/').at(-1)].sort(),
    );
    expect(await ids('name:APIKEY*production')).toEqual(['APIKEY-payments-production']);
    expect(
      await ids(
        `create_time>${new Date(now - HOUR).toISOString()} AND create_time<${new Date(now + HOUR).toISOString()}`,
      ),
    ).toHaveLength(3);
    const global = (
      await client.listSecrets({ parent: `projects/${PROJECT}`, filter: 'replication.automatic:*' })
    )[0];
    expect(global.length).toBeGreaterThan(0);

    const versions = await secret({}, ['a', 'b', 'c']);
    await client.disableSecretVersion({ name: `${versions}/versions/2` });
    await client.destroySecretVersion({ name: `${versions}/versions/3` });
    const [live] = await client.listSecretVersions({
      parent: versions,
      filter: 'state:(ENABLED OR DISABLED)',
    });
    expect(live.map((v) => v.state)).toEqual(['DISABLED', 'ENABLED']);
  });

  test('total_size is 0 when a filter is set', async () => {
    const [, , response] = await client.listSecrets(
      { parent: `projects/${PROJECT}`, filter: 'labels:*', pageSize: 1 },
      { autoPaginate: false },
    );
    expect(response?.totalSize).toBe(0);
  });
});

describe('page tokens (AIP-158) are bound to the request that made them', () => {
  test('another parent or another filter: INVALID_ARGUMENT; another page size: fine', async () => {
    const parent = `projects/${PROJECT}/locations/me-central1`;
    for (let i = 0; i < 3; i += 1) await secret({ labels: { team: 'a' } }, [], parent);
    const [, next] = await client.listSecrets({ parent, pageSize: 1 }, { autoPaginate: false });
    expect(next?.pageToken).toBeTruthy();
    const token = next!.pageToken!;
    const [page2] = await client.listSecrets(
      { parent, pageSize: 2, pageToken: token },
      { autoPaginate: false },
    );
    expect(page2).toHaveLength(2);
    const otherParent = await failure(
      client.listSecrets(
        { parent: `projects/${PROJECT}`, pageSize: 1, pageToken: token },
        { autoPaginate: false },
      ),
    );
    expect(otherParent.code).toBe(Code.INVALID_ARGUMENT);
    expect(otherParent.details).toMatch(/belongs to a different request/);
    const otherFilter = await failure(
      client.listSecrets(
        { parent, pageSize: 1, pageToken: token, filter: 'labels.team=a' },
        { autoPaginate: false },
      ),
    );
    expect(otherFilter.code).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('TestIamPermissions', () => {
  test('a secret that does not exist has no permissions, not NOT_FOUND (as service.proto documents)', async () => {
    const [response] = await client.testIamPermissions({
      resource: `projects/${PROJECT}/secrets/never-created`,
      permissions: ['secretmanager.versions.access'],
    });
    expect(response.permissions).toEqual([]);
  });
});
