import type { Options } from 'tsup';

/**
 * The one build config every package shares: ESM only, bundled types, Node 22.18+.
 * A package's own `tsup.config.ts` is `defineConfig(base())` or `defineConfig(base({ entry: [...] }))`.
 */
export function base(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node22',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...overrides,
  };
}
