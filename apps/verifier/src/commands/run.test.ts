import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@netra/secret-manager-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cliPath, repoRoot } from '../../test/cli';

const strong = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
const fernetKey = () => randomBytes(32).toString('base64url') + '=';

/** Secret values: each must reach the child and never our own output. */
const secrets = {
  jwt: strong(48),
  databasePassword: strong(24),
  redisPassword: strong(24),
  fernet: fernetKey(),
  gemini: `AIza${strong(35)}`,
  clientId: '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
  clientSecret: `GOCSPX-${strong(28)}`,
};

/** The non-secret staging settings (an env file), and the one secret given as an sm:// reference. */
const stagingFile = [
  'GCP_PROJECT_ID=netra-run',
  'DATABASE_HOST=/cloudsql/netra-run:us-central1:netra-db',
  'DATABASE_USER=netra_app',
  'REDIS_HOST=10.20.0.3',
  'API_BASE_URL=https://api.staging.netra.example',
  'FRONTEND_URL=https://app.staging.netra.example',
  'JWT_SECRET_STAGING="sm://netra-run/run-jwt#1"',
].join('\n');

let emulator: Emulator;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'netra-run-'));
  await writeFile(join(work, 'staging.env'), `${stagingFile}\n`);
  emulator = await startEmulator({
    port: 0,
    seed: {
      'netra-run': {
        'run-jwt': secrets.jwt,
        'database-password-staging': secrets.databasePassword,
        'redis-password-staging': secrets.redisPassword,
        'fernet-key-staging': secrets.fernet,
        'gemini-api-key-staging': secrets.gemini,
        'google-oauth-client-id-staging': secrets.clientId,
        'google-oauth-client-secret-staging': secrets.clientSecret,
      },
    },
  });
});

afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

interface Run {
  process: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The built CLI as a real process (its own stdio, so the command's output is in ours). */
function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--', cliPath, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', SECRET_MANAGER_EMULATOR_HOST: emulator.address, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const done = new Promise<Awaited<Run['done']>>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { process: child, done };
}

/** A node one-liner as the command: `node -e SCRIPT ARGS…`. */
const node = (script: string, ...args: string[]) => [process.execPath, '-e', script, ...args];

const dumpEnv = "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))";

function expectNoSecretValue(output: string) {
  for (const value of Object.values(secrets)) {
    if (value === secrets.clientId) continue; // not sensitive
    expect(output).not.toContain(value);
  }
}

describe('netra-verify run', () => {
  test('starts the command with an sm:// reference and the bindings resolved through the emulator', async () => {
    const dump = join(work, 'env-ok.json');
    const run = start([
      'run',
      '--env',
      'staging',
      '--env-file',
      join(work, 'staging.env'),
      '--project',
      'netra-run',
      '--',
      ...node(`${dumpEnv}; process.exit(7)`, dump),
    ]);
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(7); // the command's own exit code
    const seen = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
    expect(seen).toMatchObject({
      ENVIRONMENT: 'staging',
      JWT_SECRET_STAGING: secrets.jwt, // was sm://netra-run/run-jwt#1
      DATABASE_PASSWORD: secrets.databasePassword, // bindings
      REDIS_PASSWORD: secrets.redisPassword,
      FERNET_KEY: secrets.fernet,
      GEMINI_API_KEY: secrets.gemini,
      GOOGLE_OAUTH_CLIENT_ID_STAGING: secrets.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET_STAGING: secrets.clientSecret,
      DATABASE_HOST: '/cloudsql/netra-run:us-central1:netra-db',
    });
    expectNoSecretValue(result.stdout + result.stderr);
  });

  test('the process environment wins over the env files; a NAME_FILE is read into NAME', async () => {
    const dump = join(work, 'env-file.json');
    const mounted = join(work, 'gemini-key');
    await writeFile(mounted, secrets.gemini);
    const run = start(
      [
        'run',
        '--env',
        'staging',
        '--env-file',
        join(work, 'staging.env'),
        '--project',
        'netra-run',
        '--',
        ...node(dumpEnv, dump),
      ],
      { REDIS_HOST: '10.99.0.7', GEMINI_API_KEY_FILE: mounted },
    );
    const result = await run.done;
    expect(result.code).toBe(0);
    const seen = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
    expect(seen['REDIS_HOST']).toBe('10.99.0.7');
    expect(seen['GEMINI_API_KEY']).toBe(secrets.gemini);
    expect(seen['GEMINI_API_KEY_FILE']).toBe(mounted);
  });

  test('an invalid configuration: every problem on stderr, exit 78, the command never starts, no value shown', async () => {
    const marker = join(work, 'started-78');
    const weak = 'hunter2x';
    const run = start(
      [
        'run',
        '--env',
        'staging',
        '--env-file',
        join(work, 'staging.env'),
        '--project',
        'netra-run',
        '--',
        ...node("require('fs').writeFileSync(process.argv[1], 'x')", marker),
      ],
      {
        DATABASE_PASSWORD: weak,
        DATABASE_HOST: 'localhost',
        JWT_SECRET_STAGING: 'sm://netra-run/no-such-secret',
      },
    );
    const result = await run.done;
    expect(result.code).toBe(78);
    expect(existsSync(marker)).toBe(false);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/DATABASE_PASSWORD\n {2}error {4}weak-secret/);
    expect(result.stderr).toMatch(/DATABASE_HOST\n {2}error {4}loopback-host/);
    expect(result.stderr).toMatch(/JWT_SECRET_STAGING\n {2}error {4}secret-not-found/);
    expect(result.stderr).toContain('was not started (3 errors)');
    expect(result.stderr).not.toContain(weak);
    expectNoSecretValue(result.stderr);
  });

  test('SIGTERM, SIGINT and SIGHUP reach the command; its exit code is ours', async () => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const ready = join(work, `ready-${signal}`);
      const script = `process.on('${signal}', () => { console.log('child got ${signal}'); process.exit(42); });
        require('fs').writeFileSync(process.argv[1], 'ready'); setInterval(() => {}, 1000);`;
      const run = start(['run', '--env', 'development', '--', ...node(script, ready)]);
      await waitFor(() => existsSync(ready));
      run.process.kill(signal);
      const result = await run.done;
      expect(result.stdout).toContain(`child got ${signal}`);
      expect(result.code).toBe(42);
    }
  });

  test('a command killed by a signal: exit 128+signal', async () => {
    const ready = join(work, 'ready-kill');
    const run = start([
      'run',
      '--env',
      'development',
      '--',
      ...node("require('fs').writeFileSync(process.argv[1], 'r'); setInterval(() => {}, 1000)", ready),
    ]);
    await waitFor(() => existsSync(ready));
    run.process.kill('SIGTERM');
    expect((await run.done).code).toBe(143);
    const self = await start(['run', '--env', 'development', '--', 'sh', '-c', 'kill -KILL $$']).done;
    expect(self.code).toBe(137);
  });

  test('a signal while secrets are fetched: no command is started, exit 128+signal', async () => {
    // A TCP relay in front of the emulator tells when the client has connected: the fetch is under way.
    emulator.faults.setLatency(20_000, { method: 'AccessSecretVersion' });
    let connected!: () => void;
    const fetching = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const relay: Server = createServer((socket) => {
      connected();
      const upstream = connect(emulator.port, emulator.host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const address = relay.address() as { port: number };
    const marker = join(work, 'started-during-fetch');
    try {
      const run = start(
        [
          'run',
          '--env',
          'staging',
          '--env-file',
          join(work, 'staging.env'),
          '--project',
          'netra-run',
          '--',
          ...node("require('fs').writeFileSync(process.argv[1], 'x')", marker),
        ],
        { SECRET_MANAGER_EMULATOR_HOST: `127.0.0.1:${address.port}` },
      );
      await fetching;
      run.process.kill('SIGTERM');
      const result = await run.done;
      expect(result.code).toBe(143);
      expect(result.stderr).toContain('SIGTERM while the configuration was being loaded');
      expect(existsSync(marker)).toBe(false);
    } finally {
      emulator.faults.reset();
      relay.close();
    }
  });

  test('usage: no --, nothing after --, a command that does not exist', async () => {
    const noDash = await start(['run', '--env', 'development', 'python3', 'app.py']).done;
    expect(noDash.code).toBe(2);
    expect(noDash.stderr).toContain(
      'put -- before the command to run: netra-verify run --env E -- python3 app.py',
    );
    const nothing = await start(['run', '--env', 'development', '--']).done;
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('run needs a command after --');
    const missing = await start(['run', '--env', 'development', '--', 'no-such-command-netra']).done;
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('netra-verify run: no-such-command-netra: not found (is it on PATH?)\n');
    const noEnv = await start(['run', '--', 'true']).done;
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('--env is required');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
