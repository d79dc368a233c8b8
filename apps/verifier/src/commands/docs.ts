/**
 * `netra-verify docs [--out DIR] [--check]`: writes the configuration reference that config-schema's
 * `renderDocs` produces from the Netra backend schema, or (`--check`) compares it with what is on disk and
 * fails naming every stale, missing or extra page. Without `--out` the pages go to `docs/config` under the
 * repository root (the nearest directory above the working directory holding `pnpm-workspace.yaml`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { renderDocs } from '@netra/config-schema';
import type { CommandContext } from '../context';
import { EXIT_ISSUES, EXIT_OK, InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { booleanOption, type RawOptions, stringOption } from '../options';

/** Options of `docs`, after parsing. */
export interface DocsOptions {
  /** Directory of the pages; `undefined` = `docs/config` under the repository root. */
  out: string | undefined;
  check: boolean;
  json: boolean;
}

/** Parses cac's options for `docs`. */
export function parseDocsOptions(raw: RawOptions): DocsOptions {
  return {
    out: stringOption(raw, 'out', '--out'),
    check: booleanOption(raw, 'check'),
    json: booleanOption(raw, 'json'),
  };
}

/** The nearest directory at or above `start` that holds `pnpm-workspace.yaml`, or `undefined`. */
function findRepositoryRoot(start: string): string | undefined {
  let directory = resolve(start);
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** How a page on disk compares with the generated one. */
type PageState = 'current' | 'stale' | 'missing' | 'extra';

/** Compares generated `pages` with the `.md` files in `directory`. */
async function comparePages(
  directory: string,
  pages: Record<string, string>,
): Promise<{ page: string; state: PageState }[]> {
  const result: { page: string; state: PageState }[] = [];
  for (const [page, content] of Object.entries(pages)) {
    let onDisk: string | undefined;
    try {
      onDisk = await readFile(join(directory, page), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    result.push({ page, state: onDisk === undefined ? 'missing' : onDisk === content ? 'current' : 'stale' });
  }
  for (const page of await listMarkdown(directory)) {
    if (!(page in pages)) result.push({ page, state: 'extra' });
  }
  return result.sort((a, b) => a.page.localeCompare(b.page));
}

async function listMarkdown(directory: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(directory, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pages: string[] = [];
  for (const entry of entries) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) pages.push(...(await listMarkdown(directory, path)));
    else if (entry.name.endsWith('.md')) pages.push(path);
  }
  return pages;
}

function outputDirectory(options: DocsOptions, io: Io): string {
  if (options.out !== undefined) return resolve(io.cwd, options.out);
  const root = findRepositoryRoot(io.cwd);
  if (root === undefined) {
    throw new UsageError(
      `no pnpm-workspace.yaml found in ${io.cwd} or above: run docs from inside the repository, or pass --out DIR`,
    );
  }
  return join(root, 'docs', 'config');
}

/** Runs `docs`: 0 when written (or, with `--check`, current), 1 when `--check` finds stale pages. */
export async function runDocs(options: DocsOptions, io: Io, context: CommandContext): Promise<number> {
  const directory = outputDirectory(options, io);
  const shown = relative(io.cwd, directory) || '.';
  const pages = renderDocs(context.schema);
  let states: { page: string; state: PageState }[];
  try {
    states = await comparePages(directory, pages);
  } catch (error) {
    throw new InputError(`cannot read ${shown}: ${(error as Error).message}`, { cause: error });
  }
  const outdated = states.filter((s) => s.state !== 'current');

  if (options.check) {
    const ok = outdated.length === 0;
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ ok, directory: shown, pages: states }, null, 2)}\n`);
    } else if (ok) {
      io.stdout.write(`docs: ${states.length} pages in ${shown} are up to date\n`);
    } else {
      const lines = outdated.map(({ page, state }) => `  ${state.padEnd(7)} ${join(shown, page)}`);
      io.stdout.write(
        `docs: ${outdated.length} of ${Object.keys(pages).length} pages in ${shown} differ from the schema:\n` +
          `${lines.join('\n')}\n` +
          `Regenerate them: netra-verify docs${options.out === undefined ? '' : ` --out ${options.out}`}` +
          `${outdated.some((s) => s.state === 'extra') ? ' (and delete the extra pages)' : ''}\n`,
      );
    }
    return ok ? EXIT_OK : EXIT_ISSUES;
  }

  try {
    for (const [page, content] of Object.entries(pages)) {
      const target = join(directory, page);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  } catch (error) {
    throw new InputError(`cannot write ${shown}: ${(error as Error).message}`, { cause: error });
  }
  const written = states.filter((s) => s.state === 'stale' || s.state === 'missing').map((s) => s.page);
  const extra = states.filter((s) => s.state === 'extra').map((s) => s.page);
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: true, directory: shown, pages: Object.keys(pages), updated: written, extra }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(
      `docs: wrote ${Object.keys(pages).length} pages to ${shown} (${written.length} changed)\n` +
        extra
          .map((page) => `  extra   ${join(shown, page)}: not generated from the schema; delete it\n`)
          .join(''),
    );
  }
  return EXIT_OK;
}
