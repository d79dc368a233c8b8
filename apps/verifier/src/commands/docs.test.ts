import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netraBackendSchema } from '@netra/backend-schema';
import { renderDocs } from '@netra/config-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backendSchemaSpec } from '../../test/cli';
import { parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

let root: string;
const pages = renderDocs(netraBackendSchema);
const pageNames = Object.keys(pages).sort();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'netra-docs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('netra-verify docs', { timeout: 30_000 }, () => {
  test('writes every page renderDocs produces, then --check passes', async () => {
    const out = join(root, 'written');
    const written = await runCli(['docs', '--out', out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`wrote ${pageNames.length} pages`);
    expect(pageNames.length).toBeGreaterThan(1);
    for (const page of pageNames) expect(await readFile(join(out, page), 'utf8')).toBe(pages[page]);
    const check = await runCli(['docs', '--out', out, '--check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('up to date');
  });

  test('--check exits 1 naming the stale, missing and extra pages, and changes nothing', async () => {
    const out = join(root, 'stale');
    expect((await runCli(['docs', '--out', out])).code).toBe(0);
    const [first, second] = pageNames;
    await writeFile(join(out, first!), `${pages[first!]}\nhand edit\n`);
    await unlink(join(out, second!));
    await writeFile(join(out, 'removed-environment.md'), '# old\n');
    const check = await runCli(['docs', '--out', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`stale\\s+\\S*${first!.replace('.', '\\.')}`));
    expect(check.stdout).toMatch(new RegExp(`missing\\s+\\S*${second!.replace('.', '\\.')}`));
    expect(check.stdout).toMatch(/extra\s+\S*removed-environment\.md/);
    expect(check.stdout).toContain('netra-verify docs');
    // --check never writes
    expect(await readFile(join(out, first!), 'utf8')).toContain('hand edit');
    const json = parseJson(await runCli(['docs', '--out', out, '--check', '--json']));
    expect(json.ok).toBe(false);
    expect(json.pages.filter((p: { state: string }) => p.state !== 'current')).toHaveLength(3);
    // writing repairs the generated pages (the extra one is reported, not deleted)
    const rewrite = await runCli(['docs', '--out', out]);
    expect(rewrite.code).toBe(0);
    expect(rewrite.stdout).toContain('removed-environment.md');
    await unlink(join(out, 'removed-environment.md'));
    expect((await runCli(['docs', '--out', out, '--check'])).code).toBe(0);
  });

  test('without --out the pages go to docs/config under the nearest pnpm-workspace.yaml', async () => {
    const repo = join(root, 'repo');
    await mkdir(join(repo, 'apps', 'deep'), { recursive: true });
    await writeFile(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
    const result = await runCli(['docs', '--schema', backendSchemaSpec], { cwd: join(repo, 'apps', 'deep') });
    expect(result.code).toBe(0);
    expect((await readdir(join(repo, 'docs', 'config'))).sort()).toEqual(
      pageNames.filter((p) => !p.includes('/')),
    );
    expect((await runCli(['docs', '--check', '--schema', backendSchemaSpec], { cwd: repo })).code).toBe(0);
  });

  test('outside a repository without --out: exit 2 asking for --out', async () => {
    const lonely = join(root, 'lonely');
    await mkdir(lonely);
    const result = await runCli(['docs', '--check', '--schema', backendSchemaSpec], { cwd: lonely });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out');
  });

  test('--help shows an example', async () => {
    const help = await runCli(['docs', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netra-verify docs --check');
  });
});
