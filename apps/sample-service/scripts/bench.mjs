#!/usr/bin/env node
// Benchmarks of the built service, loopback only, bounded in time (about a minute with the defaults).
//
// 1. Start to ready: `node dist/server.js` spawned until /readyz answers 200, with secrets from plain env and
//    with every secret an sm:// reference served by the Secret Manager emulator; the anchor is a bare
//    `node -e ''` in the same run. The service's own `ready` log line says where the time went. Also the
//    time to refuse the incident's configuration (exit 78).
// 2. Load: POST /threads/:id/runs and GET /healthz, each under 50 connections for BENCH_DURATION seconds
//    (default 10), against one service in the same run; errors, throughput, p50/p99, and every created run ID
//    checked unique in PostgreSQL.
//
//   node scripts/bench.mjs                     (needs PostgreSQL and Redis on loopback and a build)
//   BENCH_DURATION=3 BENCH_STARTS=3 node scripts/bench.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { startEmulator } from '@netra/secret-manager-emulator';
import { createClient } from '@redis/client';
import autocannon from 'autocannon';
import pg from 'pg';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const STARTS = Number(process.env.BENCH_STARTS ?? 7);
const CONNECTIONS = 50;

if (!existsSync(SERVER)) {
  console.error(`${SERVER} is missing: run \`turbo run build --filter=@netra/sample-service...\` first.`);
  process.exit(2);
}

const healthy = JSON.parse(await readFile(new URL('../test/fixtures/healthy.json', import.meta.url), 'utf8'));
const databaseName = `netra_sample_bench_${randomBytes(4).toString('hex')}`;

async function admin(database, text, values) {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns the service; resolves when /readyz answers 200, with the wall time and its `ready` log line. */
async function startService(env) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH, DATABASE_NAME: databaseName, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${err}`);
    const ok = await fetch(`${url}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const readyMs = performance.now() - started;
  const line = out.split('\n').find((entry) => entry.includes('"msg":"ready"'));
  const startup = line ? JSON.parse(line).startup : {};
  return {
    url,
    readyMs,
    startup,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function nodeAnchor() {
  const started = performance.now();
  await new Promise((resolve) =>
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', resolve),
  );
  return performance.now() - started;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(0)} ms`;

await admin('postgres', `CREATE DATABASE "${databaseName}" TEMPLATE template0`);
const emulator = await startEmulator({ seed: healthy.seed });
try {
  // ---- 1. start to ready -------------------------------------------------------------------------------
  const envOnly = {
    ENVIRONMENT: 'test',
    JWT_SECRET: healthy.seed['netra-sample-test']['jwt-secret-test'],
    FERNET_KEY: healthy.seed['netra-sample-test']['fernet-key-test'],
    GEMINI_API_KEY: healthy.seed['netra-sample-test']['gemini-api-key-test'],
    LOG_LEVEL: 'info',
  };
  const withEmulator = { ...healthy.env, SECRET_MANAGER_EMULATOR_HOST: emulator.address };
  const modes = [
    ['env only', envOnly],
    ['sm:// via emulator', withEmulator],
  ];
  const samples = Object.fromEntries(modes.map(([name]) => [name, []]));
  const anchors = [];
  await startService(envOnly).then((service) => service.stop()); // warm the table and the OS caches
  for (let round = 0; round < STARTS; round++) {
    anchors.push(await nodeAnchor());
    for (const [name, env] of modes) {
      const service = await startService(env);
      samples[name].push({ readyMs: service.readyMs, ...service.startup });
      const code = await service.stop();
      if (code !== 0) throw new Error(`${name}: exit ${code} after SIGTERM`);
    }
  }
  const anchor = median(anchors);
  const loadAverage = loadavg().map((value) => value.toFixed(1));
  console.log(
    `machine: ${availableParallelism()} CPUs, load average ${loadAverage.join(' / ')} (1 / 5 / 15 min), Node ${process.version}`,
  );
  console.log(`\n## Start to ready (median of ${STARTS}, spawn → /readyz 200)\n`);
  console.log(`anchor: bare \`node -e ''\` spawn → exit: ${ms(anchor)}\n`);
  console.log(
    '| secrets | start → ready | × node anchor | node boot | imports | secrets + config | connect PG+Redis | table | listen |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name] of modes) {
    const rows = samples[name];
    const m = (key) => median(rows.map((row) => row[key] ?? 0));
    console.log(
      `| ${name} | ${ms(m('readyMs'))} | ${(m('readyMs') / anchor).toFixed(1)}× | ${ms(m('bootMs'))} | ${ms(m('importsMs'))} | ${ms(m('secretsMs'))} | ${ms(m('connectMs'))} | ${ms(m('schemaMs'))} | ${ms(m('listenMs'))} |`,
    );
  }

  // ---- 1a. the imports, one module at a time, in a fresh process (shared dependencies count once) ----------
  const importOrder = [
    'fastify',
    'pg',
    '@redis/client',
    '@netra/config-schema',
    '@netra/secrets-loader',
    '@netra/oauth-config',
    '@netra/ids',
    '@google-cloud/secret-manager (sm:// only)',
  ];
  const importScript = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(fileURLToPath(import.meta.url))});
    const fromLoader = createRequire(require.resolve('@netra/secrets-loader'));
    const times = {};
    for (const name of ${JSON.stringify(importOrder)}) {
      const started = performance.now();
      if (name.startsWith('@google-cloud/')) await import(fromLoader.resolve('@google-cloud/secret-manager'));
      else await import(require.resolve(name));
      times[name] = performance.now() - started;
    }
    console.log(JSON.stringify(times));`;
  const importRuns = [];
  for (let round = 0; round < STARTS; round++) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', importScript], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    await new Promise((resolve) => child.once('exit', resolve));
    importRuns.push(JSON.parse(text));
  }
  console.log(`\nimports, one after another in a fresh process (median of ${STARTS}):`);
  console.log(
    importOrder.map((name) => `${name} ${ms(median(importRuns.map((run) => run[name])))}`).join(' · '),
  );

  // ---- 1b. refusal: the incident's configuration, empty Secret Manager → exit 78 ---------------------------
  const incidentEnv = parseEnv(
    await readFile(new URL('../../../examples/staging-incident/staging.env', import.meta.url), 'utf8'),
  );
  const empty = await startEmulator();
  const refusals = [];
  for (let round = 0; round < STARTS; round++) {
    const started = performance.now();
    const child = spawn(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH, ...incidentEnv, SECRET_MANAGER_EMULATOR_HOST: empty.address },
      stdio: 'ignore',
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 78) throw new Error(`incident configuration: exit ${code}, expected 78`);
    refusals.push(performance.now() - started);
  }
  await empty.stop();
  console.log(
    `\nincident configuration (examples/staging-incident), empty emulator: spawn → exit 78 in ${ms(median(refusals))} (median of ${STARTS})`,
  );

  // ---- 2. load ------------------------------------------------------------------------------------------
  const service = await startService({ ...envOnly, LOG_LEVEL: 'warn' });
  const thread = `bench-${randomBytes(3).toString('hex')}`;
  const runIds = [];
  const load = async (title, options) => {
    const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
    return { title, result };
  };
  const posts = await load(`POST /threads/${thread}/runs`, {
    url: `${service.url}/threads/${thread}/runs`,
    method: 'POST',
    setupClient(client) {
      client.on('body', (body) => {
        const text = body.toString();
        if (text.startsWith('{"runId"')) runIds.push(JSON.parse(text).runId);
      });
    },
  });
  const health = await load('GET /healthz', { url: `${service.url}/healthz` });
  const stopCode = await service.stop();

  const [stored] = await admin(
    databaseName,
    'SELECT count(*)::int AS total, count(DISTINCT run_id)::int AS distinct_ids FROM runs WHERE thread_id = $1',
    [thread],
  );
  console.log(`\n## Load: ${CONNECTIONS} connections × ${DURATION} s each, one service, same run\n`);
  console.log('| route | requests | 2xx | non-2xx | errors + timeouts | req/s (mean) | p50 | p99 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { title, result } of [posts, health]) {
    console.log(
      `| ${title} | ${result.requests.total} | ${result['2xx']} | ${result.non2xx} | ${result.errors + result.timeouts} | ${Math.round(result.requests.average)} | ${result.latency.p50} ms | ${result.latency.p99} ms |`,
    );
  }
  const unique = new Set(runIds).size;
  console.log(
    `\nruns: ${posts.result['2xx']} created (201), ${runIds.length} IDs returned, ${unique} unique; in PostgreSQL ${stored.total} rows, ${stored.distinct_ids} distinct run IDs. Service stopped with exit ${stopCode}.`,
  );
  console.log(
    `(rows beyond the 201s counted: ${stored.total - posts.result['2xx']}, requests still in flight when autocannon stopped its ${CONNECTIONS} connections; their rows are stored, their answers uncounted)`,
  );
  // The runs' routing keys (24 h TTL) would otherwise stay in the local Redis.
  const redis = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
  await redis.connect();
  let removed = 0;
  for await (const keys of redis.scanIterator({ MATCH: `netra:sample:run:run_${thread}_*`, COUNT: 1000 })) {
    if (keys.length > 0) removed += await redis.unlink(keys);
  }
  await redis.close();
  console.log(`(removed the bench's ${removed} routing keys from Redis; its database is dropped)`);
  console.log(
    `POST/healthz throughput ratio: ${(posts.result.requests.average / health.result.requests.average).toFixed(2)}`,
  );
} finally {
  await emulator.stop();
  await admin('postgres', `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
}
