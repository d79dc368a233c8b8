// A private PostgreSQL cluster (trust auth) on a free loopback port, which a test can stop and start again on the
// same port. Binaries from /usr/lib/postgresql/*/bin; as root, the server runs as the `postgres` user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

function binaries(): string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const version = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (version === undefined)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin');
  return join('/usr/lib/postgresql', version, 'bin');
}

async function asPostgres(command: string, args: string[]): Promise<void> {
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}

export class PrivatePostgres {
  readonly port: number;
  readonly #dir: string;
  readonly #bin: string;
  #running = false;

  private constructor(port: number, dir: string, bin: string) {
    this.port = port;
    this.#dir = dir;
    this.#bin = bin;
  }

  /** initdb (user `postgres`, trust on loopback) and start. */
  static async start(): Promise<PrivatePostgres> {
    const bin = binaries();
    const dir = mkdtempSync(join(tmpdir(), 'netra-chaos-pg-'));
    if (asRoot) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(uid.trim()), Number(gid.trim()));
    }
    await asPostgres(join(bin, 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
    ]);
    const server = new PrivatePostgres(await freePort(), dir, bin);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await asPostgres(join(this.#bin, 'pg_ctl'), [
      '-D',
      join(this.#dir, 'data'),
      '-l',
      join(this.#dir, 'log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.#dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
    this.#running = true;
  }

  /** Stops the server: `immediate` is a crash (no clean shutdown), `fast` a clean stop. */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await asPostgres(join(this.#bin, 'pg_ctl'), ['-D', join(this.#dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => {});
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
