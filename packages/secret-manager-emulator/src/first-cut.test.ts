import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emulatorClientOptions } from './client.ts';
import { type Emulator, startEmulator } from './server.ts';

let emulator: Emulator;
let client: SecretManagerServiceClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { 'my-project': { 'jwt-secret': 'seeded-value' } } });
  client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
});
afterAll(async () => {
  await client.close();
  await emulator.stop();
});

test('the official client creates, adds, gets and accesses', async () => {
  const [seeded] = await client.accessSecretVersion({
    name: 'projects/my-project/secrets/jwt-secret/versions/latest',
  });
  expect(seeded.payload?.data?.toString()).toBe('seeded-value');
  const [secret] = await client.createSecret({
    parent: 'projects/my-project',
    secretId: 'new-secret',
    secret: { replication: { automatic: {} } },
  });
  expect(secret.name).toMatch(/^projects\/\d+\/secrets\/new-secret$/);
  const [version] = await client.addSecretVersion({
    parent: secret.name!,
    payload: { data: Buffer.from('v1') },
  });
  expect(version.name).toBe(`${secret.name}/versions/1`);
  const [got] = await client.getSecret({ name: 'projects/my-project/secrets/new-secret' });
  expect(got.name).toBe(secret.name);
  const [accessed] = await client.accessSecretVersion({ name: `${secret.name}/versions/1` });
  expect(accessed.payload?.data?.toString()).toBe('v1');
  expect(accessed.payload?.dataCrc32c).toBe(String(0xe57f38d5));
});
