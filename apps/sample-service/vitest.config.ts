import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real PostgreSQL, Redis, emulator, OpenID provider and spawned services: generous, not tight.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // oidc-provider 9 warns at import that Node 20 is not its preferred runtime; it works (see auth.test.ts).
    onConsoleLog: (log) => !log.includes('oidc-provider WARNING') && !log.includes('oidc-provider NOTICE'),
  },
});
