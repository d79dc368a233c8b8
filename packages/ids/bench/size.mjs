// `pnpm size`: bytes of the run-ID part (src/run-id.ts) and of the whole package as a browser bundle,
// minified by esbuild and gzipped (zlib level 9). test/size.test.ts enforces the run-ID budget.
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

/** Minified and gzipped bytes of `entry` bundled for `platform` (neutral: no Node built-ins can resolve). */
export function measure(entry, platform = 'neutral') {
  const { outputFiles, metafile } = buildSync({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    metafile: true,
    write: false,
  });
  const code = outputFiles[0].contents;
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(metafile.inputs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runId = measure('../src/run-id.ts');
  const whole = measure('../src/index.ts', 'browser');
  console.log(`run-ID part (src/run-id.ts): ${runId.minified} B minified, ${runId.gzipped} B gzipped`);
  console.log(
    `whole package with uuid v7 (browser): ${whole.minified} B minified, ${whole.gzipped} B gzipped`,
  );
}
