#!/usr/bin/env node
// Starts the built sample service in development against the local PostgreSQL and Redis, calls /readyz,
// creates a run and reads it back, then stops it with SIGTERM. Explains (exit 0) instead of crashing when
// the build, PostgreSQL or Redis is missing.
//
//   node apps/sample-service/scripts/demo.mjs      (after `turbo run build --filter=@netra/sample-service...`)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const say = (line = '') => console.log(line ? `  ${line}` : '');

function reachable(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1000 });
    socket.unref();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

console.log('\n== sample-service: the reference service, started in development ==\n');

if (!existsSync(SERVER)) {
  say(`The service is not built (${SERVER} is missing).`);
  say('Build it and the packages it uses: turbo run build --filter=@netra/sample-service...');
  process.exit(0);
}

// The development defaults; DATABASE_PORT / REDIS_PORT in the environment point the demo elsewhere.
const databasePort = Number(process.env.DATABASE_PORT ?? 5432);
const redisPort = Number(process.env.REDIS_PORT ?? 6379);
const [postgres, redis] = await Promise.all([reachable(databasePort), reachable(redisPort)]);
if (!postgres || !redis) {
  if (!postgres) say(`PostgreSQL is not answering on 127.0.0.1:${databasePort}.`);
  if (!redis) say(`Redis is not answering on 127.0.0.1:${redisPort}.`);
  say('The service needs both; in development it expects them on loopback with the defaults');
  say('(PostgreSQL user postgres, database test, no password; Redis without a password).');
  say(
    'Start them (e.g. `pg_ctlcluster 15 main start` and `redis-server --daemonize yes`) and run the demo again.',
  );
  say('Skipping the sample-service part of the demo.');
  process.exit(0);
}

const port = await freePort();
const env = {
  PATH: process.env.PATH,
  ENVIRONMENT: 'development',
  DATABASE_NAME: 'test',
  DATABASE_PORT: String(databasePort),
  REDIS_PORT: String(redisPort),
  PORT: String(port),
};
say(`$ ENVIRONMENT=development DATABASE_NAME=test PORT=${port} node dist/server.js`);
const child = spawn(process.execPath, [SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stderr.on('data', (chunk) => {
  stderr += chunk;
});
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));

const shown = new Set([
  'configuration loaded',
  'ready',
  'stopping: no new connections, finishing in-flight requests',
  'stopped',
]);
const ready = new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    stdout = lines.pop();
    for (const line of lines) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (entry.level >= 40 || shown.has(entry.msg)) {
        const { level, time, pid, hostname, msg, ...rest } = entry;
        say(`  [log] ${msg}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`);
      }
      if (entry.msg === 'ready') resolve(entry.url);
    }
  });
});

const url = await Promise.race([ready, exited.then(() => undefined)]);
if (!url) {
  const code = await exited;
  say(`The service refused to start (exit ${code}); its report:`);
  for (const line of stderr.trimEnd().split('\n')) say(`  ${line}`);
  say('Fix what it names (or start PostgreSQL/Redis) and run the demo again.');
  process.exit(0);
}

const call = async (method, path) => {
  const response = await fetch(`${url}${path}`, { method });
  const body = await response.json();
  say(`$ curl -X ${method} ${url}${path}`);
  say(`  ${response.status} ${JSON.stringify(body)}`);
  return body;
};

say();
await call('GET', '/readyz');
const run = await call('POST', '/threads/demo-thread/runs');
await call('GET', `/runs/${run.runId}`);
await call('GET', '/runs/not-a-run-id');
await call('GET', '/auth/login');

say();
say('$ kill -TERM <pid>');
child.kill('SIGTERM');
say(`exit code ${await exited} (0 = graceful stop)`);
