import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { createBackoffSettings, createRetryOptions } from 'google-gax';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HELP, parseCliArgs, readSeedFile, runCli, UsageError } from './cli.ts';
import { emulatorClientOptions } from './client.ts';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));

describe('parseCliArgs', () => {
  test.each([
    [
      [],
      {
        help: false,
        port: 0,
        host: '127.0.0.1',
        latencyMs: 0,
        projectNumbers: {},
        locations: [],
        strictEndpoints: false,
      },
    ],
    [
      ['--port', '8085', '--host', '0.0.0.0', '--seed', 's.json', '--latency', '25'],
      {
        help: false,
        port: 8085,
        host: '0.0.0.0',
        seedFile: 's.json',
        latencyMs: 25,
        projectNumbers: {},
        locations: [],
        strictEndpoints: false,
      },
    ],
    [
      ['--project-number', 'a-project=123456789012', '--project-number', 'b-project=42'],
      {
        help: false,
        port: 0,
        host: '127.0.0.1',
        latencyMs: 0,
        projectNumbers: { 'a-project': '123456789012', 'b-project': '42' },
        locations: [],
        strictEndpoints: false,
      },
    ],
    [
      ['--location', 'europe-west1', '--location', 'us-central1', '--strict-endpoints'],
      {
        help: false,
        port: 0,
        host: '127.0.0.1',
        latencyMs: 0,
        projectNumbers: {},
        locations: ['europe-west1', 'us-central1'],
        strictEndpoints: true,
      },
    ],
    [
      ['-h'],
      {
        help: true,
        port: 0,
        host: '127.0.0.1',
        latencyMs: 0,
        projectNumbers: {},
        locations: [],
        strictEndpoints: false,
      },
    ],
  ])('%j', (args, expected) => {
    expect(parseCliArgs(args)).toEqual(expected);
  });

  test.each([
    [['--port', 'http'], '--port must be an integer from 0 to 65535 (got "http").'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535 (got "70000").'],
    [['--latency', '-5'], 'Run netra-sm-emulator --help'],
    [['--project-number', 'nope'], '--project-number must be ID=NUMBER'],
    [['--colour'], "Unknown option '--colour'"],
    [['--location', 'Europe West'], '--location must be a location ID such as europe-west1'],
    [['extra'], 'Run netra-sm-emulator --help'],
  ])('%j is a usage error', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError);
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});

describe('readSeedFile', () => {
  test('reads and checks a seed', async () => {
    expect(Object.keys((await readSeedFile(fixture('seed.json')))['demo-project']!)).toEqual([
      'jwt-secret-staging',
      'rotated',
      'pending',
    ]);
  });

  test.each([
    ['missing.json', /Cannot read the seed file .*missing\.json: ENOENT/],
    ['not-json.json', /not-json\.json is not valid JSON/],
    ['bad-seed.json', /bad-seed\.json: Invalid Secret Manager emulator seed \(2 problems\)/],
  ])('%s → a usage error naming the file', async (name, message) => {
    const error = await readSeedFile(fixture(name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('do-not-print-this-value');
  });
});

test('runCli prints the address line first and returns the running emulator', async () => {
  const out: string[] = [];
  const emulator = await runCli(['--seed', fixture('seed.json')], {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: () => undefined },
  });
  if (typeof emulator === 'number') throw new Error(`exit ${emulator}`);
  expect(out).toEqual([`SECRET_MANAGER_EMULATOR_HOST=${emulator.address}\n`]);
  await emulator.stop();
});

describe('the bin, spawned', () => {
  const children: ChildProcess[] = [];
  beforeAll(() => {
    if (!existsSync(bin))
      throw new Error(`${bin} is missing: run pnpm build first (turbo's test task depends on build).`);
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function run(args: string[]) {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const firstLine = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
    });
    firstLine.catch(() => undefined); // awaited only by tests that expect the emulator to start
    return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
  }

  test('serves the seed to the official client and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const proc = run([
        '--port',
        '0',
        '--seed',
        fixture('seed.json'),
        '--project-number',
        'demo-project=987654321098',
      ]);
      const line = await proc.firstLine;
      expect(line).toMatch(/^SECRET_MANAGER_EMULATOR_HOST=127\.0\.0\.1:\d+$/);
      const address = line.split('=')[1]!;
      const client = new SecretManagerServiceClient(emulatorClientOptions(address));
      const [latest] = await client.accessSecretVersion({
        name: 'projects/demo-project/secrets/rotated/versions/latest',
      });
      expect(latest.payload?.data?.toString()).toBe('third');
      expect(latest.name).toBe('projects/987654321098/secrets/rotated/versions/3');
      const [versions] = await client.listSecretVersions({ parent: 'projects/987654321098/secrets/rotated' });
      expect(versions.map((v) => v.state)).toEqual(['ENABLED', 'DISABLED', 'ENABLED']);
      await client.close();
      proc.child.kill(signal);
      expect(await proc.exited).toBe(0);
      expect(proc.output().stderr).toContain(`${signal}, stopping`);
    }
  });

  test('--latency delays answers', async () => {
    const proc = run(['--latency', '300']);
    const address = (await proc.firstLine).split('=')[1]!;
    const client = new SecretManagerServiceClient(emulatorClientOptions(address));
    const error = await client
      .listSecrets(
        { parent: 'projects/demo-project' },
        { timeout: 50, retry: createRetryOptions([], createBackoffSettings(1, 1, 1, 50, 1, 50, 50)) },
      )
      .catch((e: { code: number }) => e);
    expect((error as { code: number }).code).toBe(4);
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  test('a bad seed file exits 2 with every problem, no value and no stack trace', async () => {
    const proc = run(['--seed', fixture('bad-seed.json')]);
    expect(await proc.exited).toBe(2);
    const { stdout, stderr } = proc.output();
    expect(stdout).toBe('');
    expect(stderr).toContain('Secret ID "bad id" is invalid');
    expect(stderr).toContain('demo-project/ok[0].state: must be one of ENABLED, DISABLED, DESTROYED');
    expect(stderr).not.toContain('do-not-print-this-value');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('bad flags exit 2; --help exits 0 and explains the flags and the seed format', async () => {
    const bad = run(['--port', 'x']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain('--port must be an integer');
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output().stdout).toBe(HELP);
    for (const flag of [
      '--port',
      '--host',
      '--seed',
      '--latency',
      '--project-number',
      'SECRET_MANAGER_EMULATOR_HOST',
    ]) {
      expect(HELP).toContain(flag);
    }
  });

  test('a port in use exits 1 with the reason', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const proc = run(['--port', String(port)]);
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toMatch(
      /^netra-sm-emulator: cannot start: Cannot listen on 127\.0\.0\.1:\d+/,
    );
    blocker.close();
  });
});
