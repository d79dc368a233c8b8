import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // oidc-provider 9 warns at import that Node 20 is not its preferred runtime; it works (see the e2e test).
    onConsoleLog: (log) => !log.includes('oidc-provider WARNING') && !log.includes('oidc-provider NOTICE'),
  },
});
