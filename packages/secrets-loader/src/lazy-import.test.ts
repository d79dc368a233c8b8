import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs test/fixtures/load-probe.mjs in a fresh process with the resolution hook preloaded. */
async function probe(
  mode: 'env-files' | 'client',
): Promise<{ loaded: number; hookSawLoader: boolean; heavy: string[] }> {
  const { stdout } = await run(
    process.execPath,
    ['--import', './test/fixtures/import-recorder.mjs', './test/fixtures/load-probe.mjs', mode],
    { cwd: packageDir, env: { ...process.env, SECRET_MANAGER_EMULATOR_HOST: '' } },
  );
  return JSON.parse(stdout);
}

// The probe imports the built package (dist), as a service would: `turbo run test` builds it first.
describe.runIf(existsSync(new URL('../dist/index.js', import.meta.url)))(
  'lazy loading of the Google client',
  () => {
    test('a load from env and files imports neither @google-cloud/secret-manager nor gRPC (nor the CRC32C library)', async () => {
      const result = await probe('env-files');
      expect(result.loaded).toBe(7);
      expect(result.hookSawLoader).toBe(true); // the hook was live
      expect(result.heavy).toEqual([]);
    });

    test('control: creating a client imports them (so the probe can see them)', async () => {
      const result = await probe('client');
      expect(result.heavy).toEqual(
        expect.arrayContaining(['@google-cloud/secret-manager', 'google-gax', '@grpc/grpc-js']),
      );
    });
  },
);

test('the built package exists (run `pnpm build` or `turbo run test`)', () => {
  expect(existsSync(new URL('../dist/index.js', import.meta.url))).toBe(true);
});
