// Spawns the built service (`node dist/server.js`) with an environment, as the platform would.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER_ENTRY = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the service URL once it logs `ready`; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JSON log lines written so far. */
  logLines(): Record<string, unknown>[];
}

export function spawnService(env: Record<string, string | undefined>): ServiceProcess {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(
      `${SERVER_ENTRY} is missing: build first (turbo run build --filter=@netra/sample-service...)`,
    );
  }
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logLines = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const line = logLines().find((entry) => entry.msg === 'ready');
      if (line) {
        child.stdout!.off('data', check);
        resolve(line.url as string);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) =>
      reject(new Error(`service exited (${code ?? signal}) before ready:\n${err}\n${out}`)),
    );
  });
  ready.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, ready, exited, logLines };
}
