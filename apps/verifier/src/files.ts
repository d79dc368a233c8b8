import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from './errors';

/** Reads a file or throws an {@link InputError} naming it and the reason (ENOENT, EACCES, EISDIR…). */
export function readInputFile(path: string, cwd: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
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
}
