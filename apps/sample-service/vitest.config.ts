import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real PostgreSQL, Redis, emulator, OpenID provider and spawned services: generous, not tight.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // oidc-provider 9 calls Node 26 an "unsupported runtime" at import (it knows LTS lines to 24); it works.
    onConsoleLog: (log) => !log.includes('oidc-provider WARNING') && !log.includes('oidc-provider NOTICE'),
  },
});
