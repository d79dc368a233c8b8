#!/usr/bin/env -S node --
// `node --` and not `node`: Node 20 reads a script's own `--env-file X` argument as its option and exits 9 when X
// does not exist (nodejs/node#54232); after `--` it does not.
/**
 * The `netra-verify` bin. It imports nothing statically, so that `check` can start loading its module graph
 * (config-schema, zod, the OAuth rules) at once, in parallel with the command line parser (`./program`): the two
 * loads overlap instead of following each other, which is most of what a loaded machine adds to a short run.
 */
import module from 'node:module';

// Node 22.1+ keeps compiled code of the modules loaded from here on in a disk cache (Node 20 has no such API).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
if (args[0] === 'check' && !args.some((arg) => arg === '--help' || arg === '-h')) {
  // A prefetch: the command's own `import('./commands/check')` joins this load and reports any failure.
  import('./commands/check').catch(() => undefined);
}

import('./program').then(
  async ({ main }) => {
    const code = await main(args);
    process.exitCode = code;
    // A forgotten handle (a gRPC channel) must not keep a finished command alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    // Not a stack trace at a user: the install is broken (a missing file or dependency).
    process.stderr.write(
      `netra-verify: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
