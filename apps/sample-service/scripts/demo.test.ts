import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { freePort } from '../test/support/redis-server.ts';

const DEMO = fileURLToPath(new URL('./demo.mjs', import.meta.url));
const run = promisify(execFile);

test('the demo starts the service in development, creates and reads a run, stops it (exit 0)', async () => {
  const { stdout } = await run(process.execPath, [DEMO], { env: { PATH: process.env.PATH } });
  expect(stdout).toContain('200 {"status":"ready"');
  expect(stdout).toMatch(/201 \{"runId":"run_demo-thread_\d{13}_[0-9a-f]{8}"/);
  expect(stdout).toContain('400 {"code":"INVALID_RUN_ID"');
  expect(stdout).toContain('503 {"code":"oauth-disabled"');
  expect(stdout).toContain('exit code 0');
});

test('the demo explains instead of crashing when Redis is absent', async () => {
  const { stdout } = await run(process.execPath, [DEMO], {
    env: { PATH: process.env.PATH, REDIS_PORT: String(await freePort()) },
  });
  expect(stdout).toMatch(/Redis is not answering on 127\.0\.0\.1:\d+\./);
  expect(stdout).toContain('Skipping the sample-service part of the demo.');
});
