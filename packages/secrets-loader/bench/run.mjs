// Benchmark of @netra/secrets-loader (built dist). Everything is compared with an anchor measured in the same run:
//   1. 20 secrets from the emulator at 50 ms latency per call: concurrent load vs one secret vs sequential
//      fetching (one after another, as berglas resolves references).
//   2. A load from env and files only vs just importing @netra/config-schema, in fresh processes, alternating:
//      each child imports statically (as a service does) and reports the time and CPU from process start to ready.
// Usage: node bench/run.mjs [--rounds N] [--processes N]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startEmulator } from '@netra/secret-manager-emulator';
import { accessSecrets, createSecretManagerClient } from '@netra/secrets-loader';

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '15' }, processes: { type: 'string', default: '40' } },
});
const ROUNDS = Number(args.rounds);
const PROCESSES = Number(args.processes);
const LATENCY_MS = 50;
const COUNT = 20;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  const elapsed = performance.now() - start;
  if (!result.ok)
    throw new Error(`benchmark load failed: ${JSON.stringify(result.issues.map((i) => i.code))}`);
  return elapsed;
}

// ---- 1. concurrency -------------------------------------------------------------------------------------------
const project = 'bench-project';
const seed = {
  [project]: Object.fromEntries(
    Array.from({ length: COUNT }, (_, i) => [`s-${i}`, `bench-value-${i}-${'x'.repeat(24)}`]),
  ),
};
const emulator = await startEmulator({ port: 0, seed, latencyMs: LATENCY_MS });
const client = await createSecretManagerClient({ emulatorHost: emulator.address });
const requests = Array.from({ length: COUNT }, (_, i) => ({
  variable: `V_${i}`,
  project,
  secret: `s-${i}`,
  version: 'latest',
}));
const cases = {
  single: () => accessSecrets(requests.slice(0, 1), { client }),
  concurrent: () => accessSecrets(requests, { client }),
  sequential: () => accessSecrets(requests, { client, concurrency: 1 }),
};
for (const fn of Object.values(cases)) await timed(fn); // warm-up: channel, protos
const samples = { single: [], concurrent: [], sequential: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so drift does not favour one case.
  const order = round % 2 ? ['sequential', 'concurrent', 'single'] : ['single', 'concurrent', 'sequential'];
  for (const name of order) samples[name].push(await timed(cases[name]));
}
await client.close();
await emulator.stop();

const single = median(samples.single);
const concurrent = median(samples.concurrent);
const sequential = median(samples.sequential);
console.log(`\n1. ${COUNT} secrets, emulator latency ${LATENCY_MS} ms per call, ${ROUNDS} rounds (median)`);
console.log(`   one secret (anchor)                  ${fmt(single)}`);
console.log(
  `   ${COUNT} secrets, concurrent (default 32)    ${fmt(concurrent)}   ${(concurrent / single).toFixed(2)}× one secret (target ≤ 2×)`,
);
console.log(
  `   ${COUNT} secrets, sequential (berglas' way)  ${fmt(sequential)}   ${(sequential / single).toFixed(2)}× one secret`,
);

// ---- 2. env + files only vs importing @netra/config-schema ------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'secrets-bench-'));
writeFileSync(join(dir, 'fernet'), `${Buffer.alloc(32, 7).toString('base64url')}=`);
const childEnv = {
  ...process.env,
  SECRET_MANAGER_EMULATOR_HOST: '',
  JWT_SECRET_STAGING: 'bench-jwt-value-0123456789abcdef0123456789',
  DATABASE_PASSWORD: 'bench-db-value-0123456789',
  REDIS_PASSWORD: 'bench-redis-value-0123',
  FERNET_KEY_FILE: join(dir, 'fernet'),
  GEMINI_API_KEY: 'bench-gemini-value',
  GOOGLE_OAUTH_CLIENT_ID_STAGING: 'bench.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'bench-oauth-secret',
};
const child = async (script) => {
  const start = performance.now();
  const { stdout } = await run(process.execPath, [new URL(script, import.meta.url).pathname], {
    env: childEnv,
  });
  const [inside, cpu] = stdout.trim().split(' ').map(Number);
  return { process: performance.now() - start, inside, cpu };
};
const anchor = [];
const load = [];
for (let i = 0; i < PROCESSES; i++) {
  if (i % 2) {
    load.push(await child('./child-load.mjs'));
    anchor.push(await child('./child-anchor.mjs'));
  } else {
    anchor.push(await child('./child-anchor.mjs'));
    load.push(await child('./child-load.mjs'));
  }
}
rmSync(dir, { recursive: true, force: true });
const min = (xs) => Math.min(...xs);
console.log(`\n2. env + files only, fresh processes, ${PROCESSES} each, alternating (median / min)`);
console.log(
  '                          import @netra/config-schema   + @netra/secrets-loader + loadSecrets   overhead',
);
for (const [label, key] of [
  ['ready, wall', 'inside'],
  ['ready, CPU', 'cpu'],
  ['spawn to exit, wall', 'process'],
]) {
  const a = anchor.map((r) => r[key]);
  const b = load.map((r) => r[key]);
  console.log(
    `   ${label.padEnd(20)}   ${fmt(median(a))} / ${fmt(min(a))}`.padEnd(58) +
      `${fmt(median(b))} / ${fmt(min(b))}`.padEnd(38) +
      `${fmt(median(b) - median(a))} / ${fmt(min(b) - min(a))}`,
  );
}
console.log('   (target: overhead ≤ 5 ms)');
