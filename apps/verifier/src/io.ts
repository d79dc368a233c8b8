/** Where a command writes. `process.stdout` and `process.stderr` fit; tests pass string collectors. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: colour is used only then. */
  isTTY?: boolean;
}

/**
 * Everything a command may touch outside its arguments: its output streams, the environment
 * (`NO_COLOR`, `FORCE_COLOR`, `SECRET_MANAGER_EMULATOR_HOST`) and the directory relative paths start from.
 */
export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * The real process's streams, environment and working directory. The streams are read when first written to:
 * Node creates `process.stdout`/`process.stderr` on first access, and a run that never writes to stderr need not.
 */
export function processIo(): Io {
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Colour only on a terminal and never when `NO_COLOR` is set (https://no-color.org);
 * `FORCE_COLOR` (non-empty, not `0`) turns it on without a terminal.
 */
export function shouldUseColor(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
