#!/usr/bin/env node
// The test half of `npm test`: every package's suite through turbo (one at a time: on 2 cores, parallel suites
// starve each other's socket and process timeouts), then the consumer test; a closing line that counts them all.
import { spawn } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const ansi = /\u001b\[[0-9;]*m/g;

/** Runs a command, echoing its output, and returns its exit code and the output without colour codes. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      // turbo runs each task through the pinned pnpm in node_modules/.bin, also outside `npm run`.
      env: {
        ...process.env,
        PATH: `${dirname(bin('pnpm'))}${delimiter}${process.env.PATH ?? ''}`,
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

/** Sums vitest's "Tests  3 failed | 120 passed | 1 skipped (124)" lines and the consumer test's closing line. */
function count(output) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const line of output.split('\n')) {
    const summary = /(?:^|\s)Tests\s+(.*)\(\d+\)\s*$/.exec(line) ?? /^consumer: (.*)$/.exec(line);
    if (!summary) continue;
    for (const [, n, what] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g))
      totals[what] += Number(n);
  }
  return totals;
}

const suites = await run(bin('turbo'), ['run', 'test', '--concurrency=1', '--continue']);
const consumer = await run(process.execPath, [fileURLToPath(new URL('consumer-test.mjs', import.meta.url))]);
const totals = count(`${suites.output}\n${consumer.output}`);
const failedRuns = [suites, consumer].filter((r) => r.code !== 0).length;
if (failedRuns > 0 && totals.failed === 0) totals.failed = failedRuns; // a suite that crashed before counting
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedRuns > 0 ? 1 : 0);
