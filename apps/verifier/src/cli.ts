#!/usr/bin/env -S node --liftoff-only --
// `node --` and not `node`: Node (still 22.23 and 26.10) reads a script's own `--env-file X` argument as its option
// and exits 9 when X does not exist (nodejs/node#54232); after `--` it does not.
// `--liftoff-only`: the WebAssembly parsers (tree-sitter's bash for scripts, hcl2json for Terraform) run once per
// process on a small input; V8's background TurboFan tier-up of their hot functions only held the exit 0.3–0.8 s
// (issue 15). Set on the command line because V8 reads its WebAssembly flags when it starts: set later
// (v8.setFlagsFromString) --liftoff-only has no effect and --no-liftoff aborts the process.
/**
 * The `netra-verify` bin. It imports nothing statically, so that `check` can start loading its module graph
 * (config-schema, zod, the OAuth rules) at once, in parallel with the command line parser (`./program`): the two
 * loads overlap instead of following each other, which is most of what a loaded machine adds to a short run.
 */
import module from 'node:module';

// Node keeps compiled code of the modules loaded from here on in a disk cache (NODE_COMPILE_CACHE, else the tmpdir).
module.enableCompileCache();

// Google's client can leave a rejected promise that nothing awaits (its service stub, when no credentials can be
// loaded) while the command reports the same failure as issues. Node would print it with a stack trace and exit 1
// mid-report; instead it is one line on stderr, and the command's own exit code stands. Should the command never
// finish, the exit code is 2.
const rejections = new Set<string>();
process.on('unhandledRejection', (reason: unknown) => {
  const message = reason instanceof Error ? reason.message : String(reason);
  if (process.exitCode === undefined) process.exitCode = 2;
  if (rejections.has(message)) return;
  rejections.add(message);
  process.stderr.write(`netra-verify: ${message.split('\n')[0]}\n`);
  if (process.env.NETRA_VERIFY_DEBUG === '1' && reason instanceof Error)
    process.stderr.write(`${reason.stack}\n`);
});

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
