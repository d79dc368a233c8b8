#!/usr/bin/env node
// Whole-process cost of `netra-verify check --env staging --env-file bench/healthy-staging.env --json` against an
// anchor measured in the same run: a node process that only imports zod (the schema library the check needs
// anyway). Target (issue 7): check ≤ 1.5× the anchor.
//
// On a machine shared with other jobs, the load changes faster than a block of 30 runs of one command takes, so
// the main measure alternates: every round runs each command once (the order rotates), and the ratio is taken
// within the round; the report is the median of the rounds' ratios with its spread. CPU time (user + system, from
// /proc on Linux) is summed over the same runs. With hyperfine installed, a few short hyperfine batches follow as a
// second opinion (each batch is its own ratio).
//
//   pnpm bench [-- --rounds 60] [-- --no-hyperfine]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '40' },
    'hyperfine-batches': { type: 'string', default: '3' },
    'no-hyperfine': { type: 'boolean', default: false },
  },
});
const rounds = Number(flags.rounds);
const warmups = 3;

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const envFile = fileURLToPath(new URL('./healthy-staging.env', import.meta.url));
// zod's ESM entry as the check loads it: resolved through @netra/config-schema, `import` condition.
const configSchema = createRequire(import.meta.url).resolve('@netra/config-schema/package.json');
const zodPackage = createRequire(configSchema).resolve('zod/package.json');
const zodEntry = createRequire(zodPackage)('./package.json').exports['.'].import;
const zod = pathToFileURL(join(dirname(zodPackage), zodEntry)).href;

const NODE = 'node -e 0';
const ANCHOR = 'import zod (anchor)';
const CHECK = 'netra-verify check --json';
const commands = {
  [NODE]: [process.execPath, ['-e', '0']],
  [ANCHOR]: [process.execPath, ['-e', `import(${JSON.stringify(zod)})`]],
  [CHECK]: [process.execPath, ['--', cli, 'check', '--env', 'staging', '--env-file', envFile, '--json']],
};
const names = Object.keys(commands);

const check = spawnSync(commands[CHECK][0], commands[CHECK][1], { encoding: 'utf8' });
if (check.status !== 0) {
  console.error(
    `bench: the check of the healthy file must pass (exit ${check.status}):\n${check.stdout}${check.stderr}`,
  );
  process.exit(1);
}

// CPU time of waited-for children (cutime + cstime, fields 16 and 17 of /proc/self/stat), in ms; null elsewhere.
const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / ticksPerMs;
  } catch {
    return null;
  }
}

const wall = Object.fromEntries(names.map((name) => [name, []]));
const cpu = Object.fromEntries(names.map((name) => [name, 0]));
const ratios = [];
for (let round = 0; round < warmups + rounds; round++) {
  const order = names.map((_, index) => names[(index + round) % names.length]);
  const times = {};
  for (const name of order) {
    const [file, args] = commands[name];
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const result = spawnSync(file, args, { stdio: 'ignore' });
    times[name] = performance.now() - start;
    if (result.status !== 0) throw new Error(`bench: ${name} exited ${result.status}`);
    if (round >= warmups && cpuBefore !== null) cpu[name] += childrenCpuMs() - cpuBefore;
  }
  if (round < warmups) continue;
  for (const name of names) wall[name].push(times[name]);
  ratios.push(times[CHECK] / times[ANCHOR]);
}

const sorted = (list) => [...list].sort((a, b) => a - b);
const quantile = (list, q) => sorted(list)[Math.min(list.length - 1, Math.floor(q * list.length))];
const median = (list) => quantile(list, 0.5);

console.log(`alternating spawns, ${rounds} rounds after ${warmups} warm-ups (median wall time per run):`);
for (const name of names) console.log(`  ${name.padEnd(28)} ${median(wall[name]).toFixed(1)} ms`);
console.log(
  `  check / anchor = ${median(ratios).toFixed(2)}× wall, median of the rounds' ratios` +
    ` (middle 80%: ${quantile(ratios, 0.1).toFixed(2)}–${quantile(ratios, 0.9).toFixed(2)}×; target ≤ 1.5×)`,
);
if (childrenCpuMs() !== null) {
  console.log(`  check / anchor = ${(cpu[CHECK] / cpu[ANCHOR]).toFixed(2)}× CPU (user + system, all rounds)`);
}

const quote = (word) => `'${word.replaceAll("'", `'\\''`)}'`;
if (!flags['no-hyperfine'] && spawnSync('hyperfine', ['--version']).status === 0) {
  const json = fileURLToPath(new URL('./.hyperfine.json', import.meta.url));
  console.log('\nhyperfine batches (3 warm-ups, 15 runs of each command per batch):');
  for (let batch = 0; batch < Number(flags['hyperfine-batches']); batch++) {
    execFileSync('hyperfine', [
      '--warmup',
      '3',
      '--runs',
      '15',
      '-N',
      '--style',
      'none',
      '--export-json',
      json,
      ...names.flatMap((name) => ['-n', name, commands[name].flat().map(quote).join(' ')]),
    ]);
    const { results } = JSON.parse(readFileSync(json, 'utf8'));
    rmSync(json);
    const by = Object.fromEntries(results.map((result) => [result.command, result]));
    const ms = (result) => result.mean * 1000;
    const cpuMs = (result) => (result.user + result.system) * 1000;
    console.log(
      `  batch ${batch + 1}: anchor ${ms(by[ANCHOR]).toFixed(1)} ms (${cpuMs(by[ANCHOR]).toFixed(1)} CPU), ` +
        `check ${ms(by[CHECK]).toFixed(1)} ms (${cpuMs(by[CHECK]).toFixed(1)} CPU): ` +
        `${(ms(by[CHECK]) / ms(by[ANCHOR])).toFixed(2)}× wall, ${(cpuMs(by[CHECK]) / cpuMs(by[ANCHOR])).toFixed(2)}× CPU`,
    );
  }
}
