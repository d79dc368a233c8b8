import { createRequire } from 'node:module';
import { readInputFile } from './files';

// dotenv is CommonJS. `import { parse } from 'dotenv'` makes Node's ESM loader scan its source for exports with
// cjs-module-lexer (≈ 1.5 ms of a 110 ms `check`); `require` loads it without the scan.
const { parse } = createRequire(import.meta.url)('dotenv') as typeof import('dotenv');

/** Env files merged in order: later files win. `sources` says which file each variable came from. */
export interface EnvFiles {
  values: Record<string, string>;
  sources: Map<string, string>;
}

/** Reads and merges env files (dotenv syntax). Throws {@link InputError} naming an unreadable file. */
export function readEnvFiles(paths: readonly string[], cwd: string): EnvFiles {
  const values: Record<string, string> = {};
  const sources = new Map<string, string>();
  for (const path of paths) {
    const parsed = parse(readInputFile(path, cwd, 'env file'));
    for (const [name, value] of Object.entries(parsed)) {
      values[name] = value;
      sources.set(name, path);
    }
  }
  return { values, sources };
}
