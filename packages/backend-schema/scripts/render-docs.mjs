#!/usr/bin/env node
// Writes docs/config from the Netra backend schema (the built package), or with --check exits 1 when the
// committed pages differ. Usage: node scripts/render-docs.mjs [--out DIR] [--check]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderDocs } from '@netra/config-schema';
import { netraBackendSchema } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { out: { type: 'string' }, check: { type: 'boolean', default: false } },
});
const out = resolve(values.out ?? join(here, '../../../docs/config'));
const pages = renderDocs(netraBackendSchema);

if (values.check) {
  const stale = Object.entries(pages)
    .filter(([file, text]) => {
      try {
        return readFileSync(join(out, file), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([file]) => file);
  let extra = [];
  try {
    extra = readdirSync(out).filter((file) => file.endsWith('.md') && !(file in pages));
  } catch {}
  if (stale.length > 0 || extra.length > 0) {
    process.stderr.write(
      `docs/config is stale (${[...stale, ...extra].join(', ')}): run \`npm run docs\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`docs/config is up to date (${Object.keys(pages).length} pages)\n`);
} else {
  mkdirSync(out, { recursive: true });
  for (const [file, text] of Object.entries(pages)) writeFileSync(join(out, file), text);
  process.stdout.write(`wrote ${Object.keys(pages).length} pages to ${out}\n`);
}
