import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir, parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const work = mkdtempSync(join(tmpdir(), 'netra-probe-'));
chmodSync(work, 0o755);
let redisServer: ChildProcess | undefined;
let redisPort = 0;
let silentServer: Server | undefined;
const silentSockets = new Set<Socket>();
let silentPort = 0;
let pgPort = 0;
let pgData = '';
let pgCtl = '';
const asPostgres = process.getuid?.() === 0;

function runAsPostgres(command: string, args: string[]): string {
  return asPostgres
    ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', stdio: 'pipe' })
    : execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' });
}

async function startPasswordCheckingPostgres(): Promise<void> {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const version = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  const bin = version === undefined ? undefined : join('/usr/lib/postgresql', version, 'bin');
  if (bin === undefined)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin');
  pgCtl = join(bin, 'pg_ctl');
  const dir = join(work, 'pg');
  pgData = join(dir, 'data');
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'pw'), 'right-password-for-the-probe-test\n');
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pw'), uid, gid);
  }
  runAsPostgres(join(bin, 'initdb'), [
    '-D',
    pgData,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${join(dir, 'pw')}`,
    '--no-sync',
  ]);
  pgPort = await freePort();
  runAsPostgres(pgCtl, [
    '-D',
    pgData,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
}

beforeAll(async () => {
  redisPort = await freePort();
  redisServer = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--requirepass',
      'the-right-redis-password',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  silentServer = createServer((socket) => {
    // Accepts and never answers.
    silentSockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silentServer!.listen(0, '127.0.0.1', resolve));
  silentPort = (silentServer.address() as { port: number }).port;
  await startPasswordCheckingPostgres();
  // redis-server is up once it accepts a connection
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(redisPort, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 60_000);

afterAll(() => {
  redisServer?.kill();
  for (const socket of silentSockets) socket.destroy();
  silentServer?.close();
  if (pgData !== '') {
    try {
      runAsPostgres(pgCtl, ['-D', pgData, '-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
  }
  rmSync(work, { recursive: true, force: true });
});

function envFile(name: string, values: Record<string, string | number>): string {
  const path = join(work, `${name}.env`);
  writeFileSync(
    path,
    Object.entries(values)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  return path;
}

const machinePostgres = {
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: 5432,
  DATABASE_USER: 'postgres',
  DATABASE_NAME: 'test',
};
const machineRedis = { REDIS_HOST: '127.0.0.1', REDIS_PORT: 6379 };

async function probe(values: Record<string, string | number>, extra: string[] = []) {
  const result = await runCli([
    'probe',
    '--env',
    'test',
    '--env-file',
    envFile(`e${Math.random()}`, values),
    '--json',
    ...extra,
  ]);
  const json = parseJson(result);
  return { result, json, pg: json.probes?.[0], redis: json.probes?.[1] };
}

describe('netra-verify probe', { timeout: 30_000 }, () => {
  test("succeeds against the machine's PostgreSQL and Redis", async () => {
    const { result, json, pg, redis } = await probe({ ...machinePostgres, ...machineRedis });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(json.ok).toBe(true);
    expect(pg).toMatchObject({ target: 'postgresql', ok: true, address: '127.0.0.1:5432' });
    expect(pg.serverVersion).toMatch(/^\d+/);
    expect(redis).toMatchObject({ target: 'redis', ok: true, address: '127.0.0.1:6379' });
    expect(json.issues).toEqual([]);
    const human = await runCli([
      'probe',
      '--env',
      'test',
      '--env-file',
      envFile('human', { ...machinePostgres, ...machineRedis }),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/ok\s+PostgreSQL 127\.0\.0\.1:5432/);
    expect(human.stdout).toMatch(/ok\s+Redis 127\.0\.0\.1:6379/);
  });

  test('a wrong Redis password is an authentication failure, and the password is never printed', async () => {
    const { result, json, pg, redis } = await probe({
      ...machinePostgres,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: redisPort,
      REDIS_PASSWORD: 'not-the-redis-password-9f8e7d',
    });
    expect(result.code).toBe(1);
    expect(pg.ok).toBe(true);
    expect(redis).toMatchObject({ ok: false, reason: 'authentication' });
    // DESIGN.md's --json contract: exactly these six fields; the reason is in the message and in probes[].reason.
    expect(json.issues).toEqual([
      {
        severity: 'error',
        code: 'probe-failed',
        key: 'redis.password',
        variable: 'REDIS_PASSWORD',
        message: expect.stringMatching(/^Redis at 127\.0\.0\.1:\d+: authentication refused/),
        hint: expect.stringContaining('REDIS_PASSWORD'),
      },
    ]);
    expect(result.stdout).not.toContain('not-the-redis-password-9f8e7d');
    // and no password at all against a server that requires one
    const none = await probe({ ...machinePostgres, REDIS_HOST: '127.0.0.1', REDIS_PORT: redisPort });
    expect(none.redis).toMatchObject({ ok: false, reason: 'authentication' });
    // the right one passes
    const right = await probe({
      ...machinePostgres,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: redisPort,
      REDIS_PASSWORD: 'the-right-redis-password',
    });
    expect(right.result.code).toBe(0);
  });

  test('a wrong PostgreSQL password (a server that checks it) is an authentication failure', async () => {
    const { result, json, pg, redis } = await probe({
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: pgPort,
      DATABASE_USER: 'postgres',
      DATABASE_NAME: 'postgres',
      DATABASE_PASSWORD: 'wrong-postgres-password-1a2b3c',
      ...machineRedis,
    });
    expect(result.code).toBe(1);
    expect(redis.ok).toBe(true);
    expect(pg).toMatchObject({ ok: false, reason: 'authentication' });
    expect(json.issues[0]).toMatchObject({
      code: 'probe-failed',
      variable: 'DATABASE_PASSWORD',
      message: expect.stringContaining('authentication refused'),
    });
    expect(Object.keys(json.issues[0])).toEqual(['severity', 'code', 'key', 'variable', 'message', 'hint']);
    expect(result.stdout).not.toContain('wrong-postgres-password-1a2b3c');
    // only the configuration counts: PGPASSWORD in the environment is not used
    const fromEnvironment = await runCli(
      [
        'probe',
        '--env',
        'test',
        '--json',
        '--env-file',
        envFile('no-password', {
          DATABASE_HOST: '127.0.0.1',
          DATABASE_PORT: pgPort,
          DATABASE_USER: 'postgres',
          DATABASE_NAME: 'postgres',
          ...machineRedis,
        }),
      ],
      { env: { PGPASSWORD: 'right-password-for-the-probe-test' } },
    );
    expect(parseJson(fromEnvironment).probes[0]).toMatchObject({ ok: false, reason: 'authentication' });
    const right = await probe({
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: pgPort,
      DATABASE_USER: 'postgres',
      DATABASE_NAME: 'postgres',
      DATABASE_PASSWORD: 'right-password-for-the-probe-test',
      ...machineRedis,
    });
    expect(right.result.code, right.result.stdout).toBe(0);
  });

  test('a closed port is unreachable (both services)', async () => {
    const closed = await freePort();
    const { result, pg, redis, json } = await probe({
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: closed,
      DATABASE_USER: 'postgres',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: closed,
    });
    expect(result.code).toBe(1);
    expect(pg).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(redis).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(json.issues.map((i: { variable: string }) => i.variable).sort()).toEqual([
      'DATABASE_HOST',
      'REDIS_HOST',
    ]);
  });

  test('a server that accepts and never answers times out within --timeout', async () => {
    const { result, pg, redis } = await probe(
      {
        DATABASE_HOST: '127.0.0.1',
        DATABASE_PORT: silentPort,
        DATABASE_USER: 'postgres',
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: silentPort,
      },
      ['--timeout', '400'],
    );
    expect(result.code).toBe(1);
    expect(pg).toMatchObject({ ok: false, reason: 'timeout' });
    expect(redis).toMatchObject({ ok: false, reason: 'timeout' });
    // the timeout, not something else, ended them
    expect(pg.elapsedMs).toBeGreaterThanOrEqual(390);
    expect(redis.elapsedMs).toBeGreaterThanOrEqual(390);
    const human = await runCli([
      'probe',
      '--env',
      'test',
      '--timeout',
      '300',
      '--env-file',
      envFile('silent', {
        DATABASE_HOST: '127.0.0.1',
        DATABASE_PORT: silentPort,
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: silentPort,
      }),
    ]);
    expect(human.stdout).toMatch(/FAIL\s+Redis 127\.0\.0\.1:\d+: timed out/);
    expect(human.stdout).toContain('probe-failed');
  });

  test('TLS as configured: require against a server without SSL is a tls failure; REDIS_TLS against plain Redis times out naming REDIS_TLS', async () => {
    const { result, pg, redis, json } = await probe(
      { ...machinePostgres, DATABASE_SSL_MODE: 'require', ...machineRedis, REDIS_TLS: 'true' },
      ['--timeout', '500'],
    );
    expect(result.code).toBe(1);
    expect(pg).toMatchObject({ ok: false, reason: 'tls', tls: true });
    // plain redis-server reads the ClientHello as the start of an inline command and waits for its end
    expect(redis).toMatchObject({ ok: false, tls: true, reason: 'timeout' });
    expect(json.issues.find((i: { variable: string }) => i.variable === 'REDIS_HOST').hint).toContain(
      'REDIS_TLS',
    );
    expect(json.issues.find((i: { key: string }) => i.key === 'database.host').hint).toContain(
      'DATABASE_SSL_MODE',
    );
  });

  test('staging passwords bound to Secret Manager and not read: reported, nothing probed', async () => {
    const result = await runCli([
      'probe',
      '--env',
      'staging',
      '--env-file',
      join(fixturesDir, 'staging.env'),
      '--json',
    ]);
    expect(result.code).toBe(1);
    const json = parseJson(result);
    expect(json.probes).toEqual([]);
    expect(
      json.issues.map((i: { code: string; variable: string }) => `${i.code}:${i.variable}`).sort(),
    ).toEqual(['missing:DATABASE_PASSWORD', 'missing:REDIS_PASSWORD']);
    expect(json.issues[0].hint).toContain('--project');
  });

  test('an invalid configuration is reported, not probed; bad flags exit 2', async () => {
    const invalid = await probe({ DATABASE_PORT: 'not-a-port' });
    expect(invalid.result.code).toBe(1);
    expect(invalid.json.probes).toEqual([]);
    expect(invalid.json.issues[0]).toMatchObject({ variable: 'DATABASE_PORT' });
    expect((await runCli(['probe', '--env', 'test', '--timeout', 'soon'])).code).toBe(2);
    expect((await runCli(['probe'])).code).toBe(2);
    const help = await runCli(['probe', '--help']);
    expect(help.stdout).toContain('netra-verify probe --env');
  });
});
