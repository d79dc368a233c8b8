import { runInNewContext } from 'node:vm';
import { buildSync } from 'esbuild';
import { expect, test } from 'vitest';

// What a browser or an edge runtime offers: the language and globalThis.crypto, no process, Buffer or require.
// The whole run-ID API: src/run-id.ts and its error reporting, src/errors.ts.
test('the run-ID part runs where only the language and globalThis.crypto exist', () => {
  const { outputFiles } = buildSync({
    stdin: {
      contents: "export * from './src/run-id.ts'; export * from './src/errors.ts';",
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'ids',
    platform: 'neutral',
    write: false,
  });
  const sandbox = {
    crypto: { getRandomValues: (array: Uint32Array) => globalThis.crypto.getRandomValues(array) },
  };
  const result = runInNewContext(
    `${outputFiles[0]!.text};
     const id = ids.generateRunId('thread-1');
     let thrown;
     try { ids.parseRunIdOrThrow('run__1_abcdef12') } catch (error) { thrown = error }
     ({ id, parsed: ids.parseRunId(id), thrown, isRunIdError: thrown instanceof ids.RunIdError,
        globals: [typeof process, typeof Buffer, typeof require] })`,
    sandbox,
  );
  expect(result.id).toMatch(/^run_thread-1_\d{13}_[0-9a-f]{8}$/);
  expect(result.parsed.threadId).toBe('thread-1');
  expect(result.globals).toEqual(['undefined', 'undefined', 'undefined']);
  expect(result.isRunIdError).toBe(true);
  expect(result.thrown.code).toBe('INVALID_RUN_ID');
});
