import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most tests run the built CLI as a process (and some an emulator or a database beside it); on a loaded
    // 2-core CI machine one such test can take several seconds, so vitest's 5 s default would fail on load alone.
    testTimeout: 30_000,
  },
});
