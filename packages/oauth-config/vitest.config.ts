import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // oidc-provider 9 calls Node 26 an "unsupported runtime" at import (it knows LTS lines to 24); it works (e2e test).
    onConsoleLog: (log) => !log.includes('oidc-provider WARNING') && !log.includes('oidc-provider NOTICE'),
  },
});
