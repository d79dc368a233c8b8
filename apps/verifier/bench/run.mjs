#!/usr/bin/env node
// Whole-process cost of `netra-verify run --env staging --env-file bench/healthy-staging.env -- true` against
// `netra-verify check` of the same file, measured in the same run (issue 19: run ≤ 1.3× check). Every round runs
// each command once (the order alternates) and the ratio is taken within the round, so the load of a shared
// machine cancels out; the report is the median of the rounds' ratios with its spread.
//
//   node bench/run.mjs [--rounds 40]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '40' } } });
const rounds = Number(flags.rounds);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const envFile = fileURLToPath(new URL('./healthy-staging.env', import.meta.url));
const commands = {
  check: ['check', '--env', 'staging', '--env-file', envFile, '--json'],
  run: ['run', '--env', 'staging', '--env-file', envFile, '--', 'true'],
};

function time(name) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--', cli, ...commands[name]], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    console.error(
      `bench: ${name} must succeed on the healthy file (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
    process.exit(1);
  }
  return ms;
}

for (let warmup = 0; warmup < 3; warmup++) for (const name of Object.keys(commands)) time(name);
const ratios = [];
const samples = { check: [], run: [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['check', 'run'] : ['run', 'check'];
  const ms = {};
  for (const name of order) ms[name] = time(name);
  samples.check.push(ms.check);
  samples.run.push(ms.run);
  ratios.push(ms.run / ms.check);
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const quartile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)];
console.log(`node ${process.version}, ${rounds} rounds`);
console.log(`check  median ${median(samples.check).toFixed(1)} ms`);
console.log(`run    median ${median(samples.run).toFixed(1)} ms (includes starting \`true\`)`);
console.log(
  `run / check: median ${median(ratios).toFixed(2)}× (interquartile ${quartile(ratios, 0.25).toFixed(2)}–${quartile(ratios, 0.75).toFixed(2)}×); target ≤ 1.3×`,
);
