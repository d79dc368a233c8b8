// `pnpm size`: bytes of the four run-ID functions an app bundles (generateRunId, parseRunId, isRunId,
// extractThreadId), of the other parts and of the whole package as a browser bundle, minified by esbuild and
// gzipped (zlib level 9). test/size.test.ts enforces the budgets.
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

/** The four functions of the size budget: what an app that makes and reads run IDs bundles. */
export const FOUR = ['generateRunId', 'parseRunId', 'isRunId', 'extractThreadId'];

/**
 * Minified and gzipped bytes of `entry` bundled for `platform` (neutral: no Node built-ins can resolve);
 * with `only`, of just those exports of it (what a bundler keeps for an app that imports only them).
 */
export function measure(entry, platform = 'neutral', only = undefined) {
  const path = new URL(entry, import.meta.url).pathname;
  const { outputFiles, metafile } = buildSync({
    ...(only
      ? {
          stdin: { contents: `export { ${only.join(', ')} } from ${JSON.stringify(path)};`, resolveDir: '/' },
        }
      : { entryPoints: [path] }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    metafile: true,
    write: false,
  });
  const code = outputFiles[0].contents;
  return {
    code: outputFiles[0].text,
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(metafile.inputs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = [
    [
      'generateRunId, parseRunId, isRunId, extractThreadId (browser; the budget)',
      measure('../src/index.ts', 'browser', FOUR),
    ],
    ['run-ID part (src/run-id.ts: validate, parse, generate and its error)', measure('../src/run-id.ts')],
    [
      'the whole run-ID API (src/run-id.ts + src/errors.ts: RunIdError, parseRunIdOrThrow)',
      measure('../src/index.ts', 'neutral', [
        'extractThreadId',
        'generateRunId',
        'isRunId',
        'parseRunId',
        'parseRunIdOrThrow',
        'RunIdError',
      ]),
    ],
    ['whole package with uuid v7 (browser)', measure('../src/index.ts', 'browser')],
    [
      'only parseRunId, isRunId, extractThreadId (tree-shaken)',
      measure('../src/index.ts', 'neutral', ['parseRunId', 'isRunId', 'extractThreadId']),
    ],
    [
      'only generateRunId (tree-shaken; with the TypeError it throws)',
      measure('../src/index.ts', 'neutral', ['generateRunId']),
    ],
  ];
  for (const [name, { minified, gzipped }] of rows)
    console.log(`${name}: ${minified} B minified, ${gzipped} B gzipped`);
}
