#!/usr/bin/env node
// The test half of `npm test`: every package's suite through turbo (one at a time: on 2 cores, parallel suites
// starve each other's socket and process timeouts) — first on the Node this runs on (Node 26, the root
// devDependency `node` that `npm run` puts first on PATH), then again on Node 22, the oldest line the packages
// support (the devDependency `node-22`); the builds are not repeated. Then the release rehearsal
// (scripts/release-rehearsal.mjs), once: it publishes to a loopback registry, installs by range and uses the
// packages on both Nodes. A closing line counts them all.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const ansi = /\u001b\[[0-9;]*m/g;

/** Runs a command, echoing its output, and returns its exit code and the output without colour codes. */
function run(command, args, nodeDir = dirname(process.execPath)) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      // turbo runs each task through the pinned pnpm in node_modules/.bin, also outside `npm run`.
      env: {
        ...process.env,
        // The Node of this pass first, then the pinned pnpm and the rest of node_modules/.bin.
        PATH: [nodeDir, dirname(bin('pnpm')), process.env.PATH ?? ''].join(delimiter),
        TURBO_TELEMETRY_DISABLED: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.replace(ansi, '') }));
    child.on('error', () => resolve({ code: 1, output }));
  });
}

/** Sums vitest's "Tests  3 failed | 120 passed | 1 skipped (124)" lines and the release rehearsal's closing line. */
function count(output) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const line of output.split('\n')) {
    const summary = /(?:^|\s)Tests\s+(.*)\(\d+\)\s*$/.exec(line) ?? /^rehearsal: (.*)$/.exec(line);
    if (!summary) continue;
    for (const [, n, what] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g))
      totals[what] += Number(n);
  }
  return totals;
}

/** One pass: every package's suite on the Node binary in `nodeDir`. */
async function pass(nodeDir) {
  const node = join(nodeDir, 'node');
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n== package tests on Node ${version} (${node}) ==\n`);
  const suites = await run(bin('turbo'), ['run', 'test', '--concurrency=1', '--continue'], nodeDir);
  return { version, runs: [suites] };
}

const node22 = fileURLToPath(new URL('../node_modules/node-22/bin', import.meta.url));
if (!existsSync(join(node22, 'node'))) {
  console.error(
    `run-tests: no Node 22 at ${node22}; run \`npm run bootstrap\` (the root devDependency node-22).`,
  );
  process.exit(2);
}
const passes = [await pass(dirname(process.execPath)), await pass(node22)];
// The release rehearsal runs once: it uses the installed packages on both Nodes itself.
console.log('\n== release rehearsal ==\n');
const rehearsal = await run(process.execPath, [
  fileURLToPath(new URL('release-rehearsal.mjs', import.meta.url)),
]);
const runs = [...passes.flatMap((p) => p.runs), rehearsal];
const totals = count(runs.map((r) => r.output).join('\n'));
const failedRuns = runs.filter((r) => r.code !== 0).length;
if (failedRuns > 0 && totals.failed === 0) totals.failed = failedRuns; // a suite that crashed before counting
console.log(`\nNode versions: ${passes.map((p) => p.version).join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedRuns > 0 ? 1 : 0);
