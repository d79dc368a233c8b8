import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from './errors';

/** The largest env file, manifest or `--from-file` the verifier reads: 1 MiB (deploy inputs are a few KiB). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/**
 * At most `limit + 1` bytes of the file: reading stops there, so a huge file, `/dev/zero` or an endless pipe is
 * refused without being read whole.
 */
export function readBounded(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file or throws an {@link InputError} (exit 2) naming it and the reason (ENOENT, EACCES, EISDIR…, or
 * larger than {@link MAX_INPUT_FILE_BYTES}: refused before parsing).
 */
export function readInputFile(path: string, cwd: string, what: string): string {
  let data: Buffer;
  try {
    data = readBounded(resolve(cwd, path), MAX_INPUT_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? (error as Error).message);
    throw new InputError(`cannot read ${what} ${path}: ${reason}`, { file: path, cause: error });
  }
  if (data.length > MAX_INPUT_FILE_BYTES) {
    throw new InputError(
      `${what} ${path} is larger than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB; refused before parsing (is it the right file?)`,
      { file: path },
    );
  }
  return data.toString('utf8');
}
