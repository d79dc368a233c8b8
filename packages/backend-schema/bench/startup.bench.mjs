// Fresh-process cost: `node` importing @netra/config-schema and loading the full staging config, vs `node`
// importing only zod. Both are spawned N times, alternating, in the same run; the figure is the ratio of
// medians (target ≤ 1.3×); the same for each process's own CPU time (user + system, reported by a preloaded
// fixtures/cpu-usage.mjs), which a loaded machine disturbs much less. Run: pnpm build && node bench/startup.bench.mjs [N]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 40);
const subjects = {
  'import zod only': join(here, 'fixtures/only-zod.mjs'),
  'import @netra/backend-schema + load staging': join(here, 'fixtures/load-staging.mjs'),
};
const times = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
const cpuTimes = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
const cpuUsage = join(here, 'fixtures/cpu-usage.mjs');

function spawnOnce(file, name) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', cpuUsage, file], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file} exited with ${result.status}`);
  if (name) cpuTimes[name].push(Number(String(result.output[3]).trim()));
  return elapsed;
}

// Warm the file-system cache, then alternate so drift in machine load hits both sides alike.
for (const file of Object.values(subjects)) spawnOnce(file);
for (let run = 0; run < runs; run++) {
  const order = run % 2 === 0 ? Object.entries(subjects) : Object.entries(subjects).reverse();
  for (const [name, file] of order) times[name].push(spawnOnce(file, name));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const [anchor, subject] = Object.keys(subjects);
for (const name of Object.keys(subjects)) {
  const sorted = [...times[name]].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(44)} median ${median(sorted).toFixed(1)} ms  (p10 ${sorted[Math.floor(sorted.length * 0.1)].toFixed(1)}, p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(1)}, n=${sorted.length})`,
  );
}
console.log(
  `ratio (subject / anchor, medians): ${(median(times[subject]) / median(times[anchor])).toFixed(2)}x  (target ≤ 1.30x)`,
);
console.log(
  `CPU time (user + system, medians): ${Object.keys(subjects)
    .map((name) => `${name} ${median(cpuTimes[name]).toFixed(1)} ms`)
    .join(', ')}; ratio ${(median(cpuTimes[subject]) / median(cpuTimes[anchor])).toFixed(2)}x`,
);
