#!/usr/bin/env node
// Whole-process cost of `netra-verify check --env staging --env-file bench/healthy-staging.env --json` against an
// anchor measured in the same run: a node process that only imports zod (the schema library the check needs
// anyway). Target (issue 7): check ≤ 1.5× the anchor. Uses hyperfine when installed, else alternating spawns.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const envFile = fileURLToPath(new URL('./healthy-staging.env', import.meta.url));
// zod's ESM entry as the check loads it: resolved through @netra/config-schema, `import` condition.
const configSchema = createRequire(import.meta.url).resolve('@netra/config-schema/package.json');
const zodPackage = createRequire(configSchema).resolve('zod/package.json');
const zodEntry = createRequire(zodPackage)('./package.json').exports['.'].import;
const zod = pathToFileURL(join(dirname(zodPackage), zodEntry)).href;

const commands = {
  'node only': [process.execPath, ['-e', '0']],
  'import zod (anchor)': [process.execPath, ['-e', `import(${JSON.stringify(zod)})`]],
  'netra-verify check --json': [
    process.execPath,
    ['--', cli, 'check', '--env', 'staging', '--env-file', envFile, '--json'],
  ],
};

const check = spawnSync(commands['netra-verify check --json'][0], commands['netra-verify check --json'][1], {
  encoding: 'utf8',
});
if (check.status !== 0) {
  console.error(
    `bench: the check of the healthy file must pass (exit ${check.status}):\n${check.stdout}${check.stderr}`,
  );
  process.exit(1);
}

const quote = (word) => `'${word.replaceAll("'", `'\\''`)}'`;
const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
const means = {};
const cpu = {};
if (hasHyperfine) {
  const json = fileURLToPath(new URL('./.hyperfine.json', import.meta.url));
  execFileSync(
    'hyperfine',
    [
      '--warmup',
      '3',
      '--runs',
      '30',
      '-N',
      '--export-json',
      json,
      ...Object.entries(commands).flatMap(([name, [file, args]]) => [
        '-n',
        name,
        [file, ...args].map(quote).join(' '),
      ]),
    ],
    { stdio: 'inherit' },
  );
  const { results } = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
  (await import('node:fs')).rmSync(json);
  for (const result of results) {
    means[result.command] = result.mean * 1000;
    cpu[result.command] = (result.user + result.system) * 1000;
  }
} else {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < 33; round++) {
    for (const [name, [file, args]] of Object.entries(commands)) {
      const start = performance.now();
      spawnSync(file, args);
      if (round >= 3) samples[name].push(performance.now() - start);
    }
  }
  for (const [name, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    means[name] = list[Math.floor(list.length / 2)];
  }
}
const anchor = means['import zod (anchor)'];
const checkTime = means['netra-verify check --json'];
console.log(`\n${hasHyperfine ? 'hyperfine means' : 'medians of alternating spawns'}:`);
for (const [name, ms] of Object.entries(means)) console.log(`  ${name.padEnd(28)} ${ms.toFixed(1)} ms`);
console.log(`  check / anchor = ${(checkTime / anchor).toFixed(2)}× wall (target ≤ 1.5×)`);
if (hasHyperfine) {
  // CPU time (user + system) is less disturbed than wall time when other jobs share the cores.
  for (const [name, ms] of Object.entries(cpu)) console.log(`  ${name.padEnd(28)} ${ms.toFixed(1)} ms CPU`);
  const ratio = cpu['netra-verify check --json'] / cpu['import zod (anchor)'];
  console.log(`  check / anchor = ${ratio.toFixed(2)}× CPU`);
}
