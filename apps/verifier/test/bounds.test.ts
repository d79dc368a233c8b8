// Env files, manifests and --from-file over 1 MiB are refused with exit 2 before parsing (never read whole).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'netra-verify-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const big = join(dir, 'big.env');
writeFileSync(big, `LOG_LEVEL=info\n# ${'x'.repeat(1024 * 1024)}\n`);
const justUnder = join(dir, 'under.env');
writeFileSync(justUnder, `LOG_LEVEL=info\n# ${'x'.repeat(1024 * 1024 - 40)}\n`);

test.each([
  ['an env file', ['check', '--env', 'development', '--env-file', big], 'env file'],
  ['a manifest', ['check', '--env', 'development', '--manifest', big], 'big.env'],
  [
    'an endless env file (/dev/zero)',
    ['check', '--env', 'development', '--env-file', '/dev/zero'],
    'env file',
  ],
  [
    'secrets push --from-file',
    ['secrets', 'push', '--env', 'staging', '--project', 'p', '--from-file', big],
    'from-file',
  ],
])('%s over 1 MiB: exit 2, named, before parsing', async (_, args, what) => {
  const result = await runCli(args);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(what);
  expect(result.stderr).toMatch(/larger than|more than/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('just under 1 MiB is read', async () => {
  const result = await runCli(['check', '--env', 'development', '--env-file', justUnder]);
  expect(result.code).toBe(0);
});
