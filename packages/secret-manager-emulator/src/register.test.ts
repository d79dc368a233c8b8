/**
 * The `register` preload: a program that builds the official client for Google's endpoints — global, or a
 * regional `secretmanager.LOCATION.rep.googleapis.com` as Google's regional samples do — runs unchanged
 * against the emulator (https://cloud.google.com/secret-manager/regional-secrets/ for the endpoints).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from './server.ts';

const run = promisify(execFile);
const register = fileURLToPath(new URL('../dist/register.js', import.meta.url));
const program = fileURLToPath(new URL('../test/fixtures/unchanged-regional-client.cjs', import.meta.url));
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

let emulator: Emulator;
beforeAll(async () => {
  if (!existsSync(register)) throw new Error(`${register} is missing: run pnpm build first.`);
  emulator = await startEmulator({ seed: { 'plain-project': { 'global-one': 'global payload' } } });
});
afterAll(async () => {
  await emulator.stop();
});

test('with SECRET_MANAGER_EMULATOR_HOST, a regional client of an unchanged program reaches the emulator and keeps its location', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--import', register, program, 'plain-project', 'europe-west1'],
    {
      cwd: packageDirectory,
      env: { ...process.env, SECRET_MANAGER_EMULATOR_HOST: emulator.address },
      timeout: 30_000,
    },
  );
  const result = JSON.parse(stdout) as Record<string, string>;
  expect(result['name']).toMatch(
    /^projects\/\d{12}\/locations\/europe-west1\/secrets\/from-a-plain-program$/,
  );
  expect(result['value']).toBe('regional payload');
  // The regional endpoint does not serve a global name (INVALID_ARGUMENT = 3).
  expect(result['crossed']).toBe('code 3');
  expect(result['global']).toBe('global payload');
});

test('without the variable the preload changes nothing (the program would go to Google)', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      register,
      '--input-type=module',
      '-e',
      "import { SecretManagerServiceClient as C } from '@google-cloud/secret-manager'; console.log(Boolean(C.emulated));",
    ],
    { cwd: packageDirectory, env: { ...process.env, SECRET_MANAGER_EMULATOR_HOST: '' }, timeout: 30_000 },
  );
  expect(stdout.trim()).toBe('false');
});

test('ESM imports of the client (top-level and v1) get the redirected class too', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      register,
      '--input-type=module',
      '-e',
      "import { SecretManagerServiceClient as C, v1 } from '@google-cloud/secret-manager'; console.log(C.emulated === true && v1.SecretManagerServiceClient === C);",
    ],
    {
      cwd: packageDirectory,
      env: { ...process.env, SECRET_MANAGER_EMULATOR_HOST: emulator.address },
      timeout: 30_000,
    },
  );
  expect(stdout.trim()).toBe('true');
});
