import type { Options } from 'tsup';

/**
 * The one build config every package shares: ESM only, bundled types, Node 20.19+.
 * A package's own `tsup.config.ts` is `defineConfig(base())` or `defineConfig(base({ entry: [...] }))`.
 */
export function base(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...overrides,
  };
}
