/**
 * What Google's official Node.js Secret Manager samples do (GoogleCloudPlatform/nodejs-docs-samples,
 * secret-manager/ and secret-manager/regional_samples/), written again here as our own calls of the same RPCs
 * with the same request shapes — global and regional — through the official client, against the emulator.
 *
 * Reference: https://cloud.google.com/secret-manager/docs/reference/rpc/google.cloud.secretmanager.v1
 * (the protos shipped in @google-cloud/secret-manager: resources.proto, service.proto) and
 * https://cloud.google.com/secret-manager/regional-secrets/ (regional endpoints secretmanager.LOCATION.rep.googleapis.com).
 */
import { type protos, SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { createBackoffSettings, createRetryOptions } from 'google-gax';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emulatorClientOptions } from './client.ts';
import { type Emulator, startEmulator } from './server.ts';

type Secret = protos.google.cloud.secretmanager.v1.ISecret;

const PROJECT = 'samples-project';
const NUMBER = '210987654321';
const LOCATION = 'europe-west1';
const TOPIC = `projects/${PROJECT}/topics/rotations`;
const once = { retry: createRetryOptions([], createBackoffSettings(1, 1, 1, 5000, 1, 5000, 5000)) };

let emulator: Emulator;
const now = Date.parse('2026-06-01T12:00:00Z');

beforeAll(async () => {
  emulator = await startEmulator({ projectNumbers: { [PROJECT]: NUMBER }, now: () => now });
});
afterAll(async () => {
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

const seconds = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** The two ways the samples build a client: the default endpoint, and secretmanager.LOCATION.rep.googleapis.com. */
const variants = [
  {
    kind: 'global',
    parent: `projects/${PROJECT}`,
    returnedParent: `projects/${NUMBER}`,
    base: { replication: { automatic: {} } } as Secret,
    client: () => new SecretManagerServiceClient(emulatorClientOptions(emulator.address)),
  },
  {
    kind: 'regional',
    parent: `projects/${PROJECT}/locations/${LOCATION}`,
    returnedParent: `projects/${NUMBER}/locations/${LOCATION}`,
    base: {} as Secret,
    client: () =>
      new SecretManagerServiceClient(
        emulatorClientOptions(emulator.address, {
          apiEndpoint: `secretmanager.${LOCATION}.rep.googleapis.com`,
        }),
      ),
  },
] as const;

describe.each(variants)('$kind samples', ({ kind, parent, returnedParent, base, client: makeClient }) => {
  let client: SecretManagerServiceClient;
  let counter = 0;
  const id = (what: string) => `${kind}-${what}-${++counter}`;
  const create = async (what: string, secret: Secret = {}) => {
    const secretId = id(what);
    const [created] = await client.createSecret({ parent, secretId, secret: { ...base, ...secret } });
    return { secretId, name: `${parent}/secrets/${secretId}`, created };
  };

  beforeAll(() => {
    client = makeClient();
  });
  afterAll(async () => {
    await client.close();
  });

  test('quickstart: create, add a version, access it', async () => {
    // The regional quickstart passes `secret: { name: secretId }`; name is OUTPUT_ONLY and ignored.
    const { name, secretId, created } = await create('quickstart', { name: 'ignored' });
    expect(created.name).toBe(`${returnedParent}/secrets/${secretId}`);
    const [version] = await client.addSecretVersion({
      parent: name,
      payload: { data: Buffer.from('hello world!') },
    });
    expect(version.name).toBe(`${returnedParent}/secrets/${secretId}/versions/1`);
    const [accessed] = await client.accessSecretVersion({ name: version.name! });
    expect(accessed.payload?.data?.toString()).toBe('hello world!');
  });

  test('create with labels, annotations, a topic; get; get the secret type', async () => {
    const { name } = await create('metadata', {
      labels: { secretmanager: 'rocks' },
      annotations: { 'my-annotation-key': 'my-annotation-value' },
      topics: [{ name: TOPIC }],
      secretType: 'ACCESS_KEY',
    });
    const [secret] = await client.getSecret({ name });
    expect(secret.labels).toEqual({ secretmanager: 'rocks' });
    expect(secret.annotations).toEqual({ 'my-annotation-key': 'my-annotation-value' });
    expect(secret.topics?.map((topic) => topic.name)).toEqual([TOPIC]);
    expect(secret.secretType).toBe('ACCESS_KEY');
    expect(secret.policyMember?.iamPolicyUidPrincipal).toMatch(
      /^principal:\/\/secretmanager\.googleapis\.com\//,
    );
  });

  test('create with rotation (topics + next_rotation_time + period); update rotation.rotation_period; delete rotation', async () => {
    const next = now + 24 * 3600 * 1000;
    const { name, created } = await create('rotation', {
      topics: [{ name: TOPIC }],
      rotation: { nextRotationTime: seconds(next), rotationPeriod: { seconds: 24 * 3600, nanos: 0 } },
    });
    expect(Number(created.rotation?.nextRotationTime?.seconds)).toBe(Math.floor(next / 1000));
    const [updated] = await client.updateSecret({
      secret: { name, rotation: { rotationPeriod: { seconds: 48 * 3600, nanos: 0 } } },
      updateMask: { paths: ['rotation.rotation_period'] },
    });
    // The sample reads the period back (rotationPeriod.seconds / 3600).
    expect(Number(updated.rotation?.rotationPeriod?.seconds) / 3600).toBe(48);
    expect(Number(updated.rotation?.nextRotationTime?.seconds)).toBe(Math.floor(next / 1000));
    const [cleared] = await client.updateSecret({ secret: { name }, updateMask: { paths: ['rotation'] } });
    expect(cleared.rotation).toBeNull();
  });

  test('expiration: create with expire_time, with ttl; update expire_time; delete it', async () => {
    const inOneHour = now + 3600 * 1000;
    const { name, created } = await create('expiring', { expireTime: seconds(inOneHour) });
    expect(Number(created.expireTime?.seconds)).toBe(Math.floor(inOneHour / 1000));
    const { created: withTtl } = await create('ttl', { ttl: { seconds: 7200, nanos: 0 } });
    expect(Number(withTtl.expireTime?.seconds)).toBe(Math.floor(now / 1000) + 7200);
    // ttl is INPUT_ONLY: it comes back as expire_time only.
    expect(withTtl.ttl ?? null).toBeNull();
    const inTwoHours = now + 2 * 3600 * 1000;
    const [updated] = await client.updateSecret({
      secret: { name, expireTime: seconds(inTwoHours) },
      updateMask: { paths: ['expire_time'] },
    });
    expect(Number(updated.expireTime?.seconds)).toBe(Math.floor(inTwoHours / 1000));
    const [removed] = await client.updateSecret({ secret: { name }, updateMask: { paths: ['expire_time'] } });
    expect(removed.expireTime ?? null).toBeNull();
  });

  test('labels: create-or-update one label, delete one label (get, change the map, mask "labels")', async () => {
    const { name } = await create('labels', { labels: { a: '1', b: '2' } });
    const [current] = await client.getSecret({ name });
    const [added] = await client.updateSecret({
      secret: { name, labels: { ...current.labels, c: '3' } },
      updateMask: { paths: ['labels'] },
    });
    expect(added.labels).toEqual({ a: '1', b: '2', c: '3' });
    const { b: _removed, ...rest } = added.labels!;
    const [deleted] = await client.updateSecret({
      secret: { name, labels: rest },
      updateMask: { paths: ['labels'] },
    });
    expect(deleted.labels).toEqual({ a: '1', c: '3' });
  });

  test('annotations: edit, delete one', async () => {
    const { name } = await create('annotations', { annotations: { keep: 'x', drop: 'y' } });
    const [edited] = await client.updateSecret({
      secret: { name, annotations: { keep: 'x2', drop: 'y' } },
      updateMask: { paths: ['annotations'] },
    });
    expect(edited.annotations).toEqual({ keep: 'x2', drop: 'y' });
    const [deleted] = await client.updateSecret({
      secret: { name, annotations: { keep: 'x2' } },
      updateMask: { paths: ['annotations'] },
    });
    expect(deleted.annotations).toEqual({ keep: 'x2' });
  });

  test('version alias: update version_aliases, then get and access by alias', async () => {
    const { name } = await create('alias');
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('v1') } });
    const [updated] = await client.updateSecret({
      secret: { name, versionAliases: { test: 1 } },
      updateMask: { paths: ['version_aliases'] },
    });
    expect(updated.versionAliases).toEqual({ test: '1' });
    const [byAlias] = await client.getSecretVersion({ name: `${name}/versions/test` });
    expect(byAlias.name).toMatch(/\/versions\/1$/);
    const [accessed] = await client.accessSecretVersion({ name: `${name}/versions/test` });
    expect(accessed.payload?.data?.toString()).toBe('v1');
  });

  test('versions: get, list, list with filter state=DISABLED, disable/enable/destroy, with etags', async () => {
    const { name } = await create('versions');
    for (const value of ['one', 'two', 'three']) {
      await client.addSecretVersion({ parent: name, payload: { data: Buffer.from(value) } });
    }
    const [disabled] = await client.disableSecretVersion({ name: `${name}/versions/2` });
    expect(disabled.state).toBe('DISABLED');
    const [all] = await client.listSecretVersions({ parent: name });
    expect(all.map((version) => version.name?.split('/').at(-1))).toEqual(['3', '2', '1']);
    const [onlyDisabled] = await client.listSecretVersions({ parent: name, filter: 'state=DISABLED' });
    expect(onlyDisabled.map((version) => version.name?.split('/').at(-1))).toEqual(['2']);
    const [got] = await client.getSecretVersion({ name: `${name}/versions/latest` });
    expect(got.name).toBe(`${returnedParent}/secrets/${name.split('/').at(-1)}/versions/3`);
    // The *WithEtag samples read the version first and pass its etag.
    const [enabled] = await client.enableSecretVersion({ name: `${name}/versions/2`, etag: disabled.etag! });
    expect(enabled.state).toBe('ENABLED');
    const [again] = await client.disableSecretVersion({ name: `${name}/versions/2`, etag: enabled.etag! });
    expect(again.state).toBe('DISABLED');
    const [destroyed] = await client.destroySecretVersion({
      name: `${name}/versions/1`,
      etag: (await client.getSecretVersion({ name: `${name}/versions/1` }))[0].etag!,
    });
    expect(destroyed.state).toBe('DESTROYED');
  });

  test('delayed destroy: create with version_destroy_ttl, destroy → DISABLED + scheduled_destroy_time; update and disable the TTL', async () => {
    const { name } = await create('delayed', { versionDestroyTtl: { seconds: 86400, nanos: 0 } });
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('keep me a day') } });
    const [scheduled] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    expect(scheduled.state).toBe('DISABLED');
    expect(Number(scheduled.scheduledDestroyTime?.seconds)).toBe(Math.floor(now / 1000) + 86400);
    const [updated] = await client.updateSecret({
      secret: { name, versionDestroyTtl: { seconds: 2 * 86400, nanos: 0 } },
      updateMask: { paths: ['version_destroy_ttl'] },
    });
    expect(Number(updated.versionDestroyTtl?.seconds)).toBe(2 * 86400);
    const [disabledTtl] = await client.updateSecret({
      secret: { name },
      updateMask: { paths: ['version_destroy_ttl'] },
    });
    expect(disabledTtl.versionDestroyTtl).toBeNull();
  });

  test('tags (INPUT_ONLY) are accepted on create and never returned', async () => {
    const { name, created } = await create('tags', {
      tags: { 'tagKeys/281475012216835': 'tagValues/281476592621530' },
    });
    expect(created.tags).toEqual({});
    const [got] = await client.getSecret({ name });
    expect(got.tags).toEqual({});
  });

  test('list secrets; list with filter labels.secretmanager=rocks', async () => {
    const { secretId } = await create('listed', { labels: { secretmanager: 'rocks' } });
    const [secrets] = await client.listSecrets({ parent });
    expect(secrets.map((secret) => secret.name)).toContain(`${returnedParent}/secrets/${secretId}`);
    const [filtered] = await client.listSecrets({ parent, filter: 'labels.secretmanager=rocks' });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((secret) => secret.labels?.['secretmanager'] === 'rocks')).toBe(true);
  });

  test('IAM: grant access (get policy, add a binding, set), revoke it', async () => {
    const { name } = await create('iam');
    const member = 'user:alice@example.com';
    const [policy] = await client.getIamPolicy({ resource: name });
    policy.bindings = [
      ...(policy.bindings ?? []),
      { role: 'roles/secretmanager.secretAccessor', members: [member] },
    ];
    const [granted] = await client.setIamPolicy({ resource: name, policy });
    expect(granted.bindings?.[0]?.members).toEqual([member]);
    for (const binding of granted.bindings ?? []) {
      binding.members = (binding.members ?? []).filter((m) => m !== member);
    }
    const [revoked] = await client.setIamPolicy({ resource: name, policy: granted });
    expect(revoked.bindings?.[0]?.members ?? []).toEqual([]);
  });

  test('delete; delete with etag (a stale one is FAILED_PRECONDITION, per docs/etags)', async () => {
    const { name } = await create('delete');
    await client.deleteSecret({ name });
    expect((await failure(client.getSecret({ name }))).code).toBe(5);
    const { name: withEtag } = await create('delete-etag');
    const [secret] = await client.getSecret({ name: withEtag });
    await client.updateSecret({
      secret: { name: withEtag, labels: { x: 'y' } },
      updateMask: { paths: ['labels'] },
    });
    expect((await failure(client.deleteSecret({ name: withEtag, etag: secret.etag! }))).code).toBe(9);
    const [fresh] = await client.getSecret({ name: withEtag });
    await client.deleteSecret({ name: withEtag, etag: fresh.etag! });
  });

  test('managed rotation (EnableManagedRotation, RotateSecret) needs Cloud SQL: UNIMPLEMENTED here', async () => {
    const { name } = await create(
      'managed',
      kind === 'regional' ? { secretType: 'CLOUD_SQL_DB_CREDENTIALS' } : {},
    );
    const enable = await failure(
      client.enableManagedRotation(
        { parent: name, cloudSqlSingleUserCredentials: { instanceId: 'db', username: 'app' } },
        once,
      ),
    );
    expect(enable.code).toBe(12);
    expect((await failure(client.rotateSecret({ parent: name }, once))).code).toBe(12);
  });
});

describe('global-only samples', () => {
  let client: SecretManagerServiceClient;
  beforeAll(() => {
    client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
  });
  afterAll(async () => {
    await client.close();
  });

  test('user-managed replication; replication status of versions follows it', async () => {
    const [secret] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'ummr',
      secret: {
        replication: { userManaged: { replicas: [{ location: 'us-east1' }, { location: 'us-east4' }] } },
      },
    });
    expect(secret.replication?.userManaged?.replicas?.map((replica) => replica.location)).toEqual([
      'us-east1',
      'us-east4',
    ]);
    const [version] = await client.addSecretVersion({
      parent: secret.name!,
      payload: { data: Buffer.from('x') },
    });
    expect(version.replicationStatus?.userManaged?.replicas?.map((replica) => replica.location)).toEqual([
      'us-east1',
      'us-east4',
    ]);
  });

  test('CMEK with automatic replication takes a global key', async () => {
    const key = `projects/${PROJECT}/locations/global/keyRings/ring/cryptoKeys/key`;
    const [secret] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'cmek',
      secret: { replication: { automatic: { customerManagedEncryption: { kmsKeyName: key } } } },
    });
    expect(secret.replication?.automatic?.customerManagedEncryption?.kmsKeyName).toBe(key);
  });
});

describe('regional-only samples', () => {
  let client: SecretManagerServiceClient;
  const parent = `projects/${PROJECT}/locations/${LOCATION}`;
  beforeAll(() => {
    client = new SecretManagerServiceClient(
      emulatorClientOptions(emulator.address, {
        apiEndpoint: `secretmanager.${LOCATION}.rep.googleapis.com`,
      }),
    );
  });
  afterAll(async () => {
    await client.close();
  });

  test('CMEK: customer_managed_encryption on the secret; versions report the key version', async () => {
    const key = `projects/${PROJECT}/locations/${LOCATION}/keyRings/ring/cryptoKeys/key`;
    const [secret] = await client.createSecret({
      parent,
      secretId: 'regional-cmek',
      secret: { customerManagedEncryption: { kmsKeyName: key } },
    });
    expect(secret.customerManagedEncryption?.kmsKeyName).toBe(key);
    expect(secret.replication).toBeNull();
    const [version] = await client.addSecretVersion({
      parent: secret.name!,
      payload: { data: Buffer.from('x') },
    });
    expect(version.customerManagedEncryption?.kmsKeyVersionName).toMatch(
      /^projects\/.+\/cryptoKeyVersions\/\d+$/,
    );
  });

  test('a CLOUD_SQL_DB_CREDENTIALS secret reports its policy member; AddSecretVersion is refused on it', async () => {
    const [secret] = await client.createSecret({
      parent,
      secretId: 'cloudsql-creds',
      secret: { secretType: 'CLOUD_SQL_DB_CREDENTIALS' },
    });
    expect(secret.secretType).toBe('CLOUD_SQL_DB_CREDENTIALS');
    expect(secret.policyMember?.iamPolicyUidPrincipal).toContain(`/locations/${LOCATION}/secrets/`);
    const refused = await failure(
      client.addSecretVersion({ parent: secret.name!, payload: { data: Buffer.from('x') } }),
    );
    expect(refused.code).toBe(9);
  });
});
