/**
 * HCL → JSON with HashiCorp's own parser (`@cdktf/hcl2json`: hashicorp/hcl compiled to WebAssembly), loaded only
 * for Terraform. Starting its Go runtime costs ~0.6–0.8 s, so results are cached by content hash in the user's
 * cache directory: a file already read parses in a few milliseconds. Nothing in the file is evaluated.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from './errors.ts';

type Parse = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let parserPromise: Promise<Parse> | undefined;

function loadParser(): Promise<Parse> {
  parserPromise ??= import('@cdktf/hcl2json').then(
    (module: { parse?: Parse; default?: { parse: Parse } }) => module.parse ?? module.default!.parse,
  );
  return parserPromise;
}

/**
 * Where parse results are kept: `NETRA_DEPLOY_MANIFEST_CACHE` (`off` disables the cache), else the OS cache
 * directory (`$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`) under `netra-deploy-manifest`.
 */
export function hclCacheDirectory(): string | undefined {
  const configured = process.env.NETRA_DEPLOY_MANIFEST_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return configured;
  const base =
    platform() === 'win32'
      ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : platform() === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(base, 'netra-deploy-manifest', 'hcl2json');
}

// The parser's version is part of the key; reading package.json is cheap, importing the parser is not.
function parserVersion(): string {
  try {
    return (createRequire(import.meta.url)('@cdktf/hcl2json/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The JSON form of one HCL file (blocks as arrays, expressions as `${…}` strings). Throws {@link ManifestError}
 * `malformed` naming the file and line where the HCL does not parse.
 */
export async function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const directory = hclCacheDirectory();
  const key = createHash('sha256').update(`${parserVersion()}\0${text}`).digest('hex');
  const cached = directory === undefined ? undefined : join(directory, `${key}.json`);
  if (cached !== undefined) {
    try {
      return JSON.parse(readFileSync(cached, 'utf8')) as Record<string, unknown>;
    } catch {
      // Not cached yet (or unreadable): parse.
    }
  }
  const parse = await loadParser();
  let result: Record<string, unknown>;
  try {
    result = await parse(file, text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?:\s*([^\]]*)/.exec(message);
    const line = at ? Number(at[1]) : undefined;
    throw new ManifestError(
      `${file}${line === undefined ? '' : `:${line}`}: HCL does not parse: ${at ? at[3]!.trim() : message}; terraform would refuse it too — fix the syntax (terraform fmt shows where)`,
      { code: 'malformed', file, ...(line === undefined ? {} : { line }), cause: error },
    );
  }
  if (cached !== undefined && directory !== undefined) {
    try {
      mkdirSync(directory, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(result));
      renameSync(temporary, cached);
    } catch {
      // A read-only or full cache directory only costs speed.
    }
  }
  return result;
}
