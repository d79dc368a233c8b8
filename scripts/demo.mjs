#!/usr/bin/env node
// `npm run demo`: the tour of the main job, after the build.
//   1. the run-ID contract from a shell (netra-verify ids …), old-backend IDs included;
//   2. netra-verify check catching the 2025-09-07 staging incident before deploy, and passing the healthy deployment
//      (a Secret Manager emulator seeded from examples/);
//   3. the reference service starting in development against the local PostgreSQL and Redis.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../apps/verifier/dist/cli.js', import.meta.url));

function run(args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (code) => resolve({ code, out }));
    child.on('error', () => resolve({ code: -1, out }));
  });
}

let failed = false;

console.log('\n== 1. Run IDs: the contract the Python backend and the services share ==\n');
const generated = await run(['--', cli, 'ids', 'generate', '--thread', 'thread_42-a'], { quiet: true });
const runId = generated.out.trim().split('\n').pop();
console.log(`$ netra-verify ids generate --thread thread_42-a\n${generated.out.trim()}\n`);
for (const id of [runId, 'run_thread_42-a_51234_abcdef12', 'run__1_abcdef12']) {
  console.log(`$ netra-verify ids parse ${id}`);
  const parsed = await run(['--', cli, 'ids', 'parse', id]);
  console.log(`→ exit ${parsed.code}\n`);
}
if (generated.code !== 0) failed = true;

console.log(
  '\n== 2. netra-verify check: the incident caught before deploy, the healthy deployment passing ==\n',
);
const verifier = await run([fileURLToPath(new URL('../apps/verifier/scripts/demo.mjs', import.meta.url))]);
if (verifier.code !== 0) failed = true;

console.log('\n== 3. The reference service ==');
const service = await run([
  fileURLToPath(new URL('../apps/sample-service/scripts/demo.mjs', import.meta.url)),
]);
if (service.code !== 0) failed = true;

if (failed) {
  console.error('\ndemo: a step did not end as expected (see above)');
  process.exitCode = 1;
} else {
  console.log('\ndemo: done.');
}
