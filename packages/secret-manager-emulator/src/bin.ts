#!/usr/bin/env node
import { runCli } from './cli.ts';

// The bin reports failures itself; grpc-js would add its own log lines (GRPC_VERBOSITY=ERROR brings them back).
process.env['GRPC_VERBOSITY'] ??= 'NONE';

import type { Emulator } from './server.ts';

function serve(emulator: Emulator): void {
  process.stderr.write(`netra-sm-emulator: listening on ${emulator.address}; Ctrl-C to stop\n`);
  const stop = (signal: NodeJS.Signals): void => {
    process.stderr.write(`netra-sm-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => {
        process.exitCode = 0;
      },
      () => {
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (result) => {
    if (typeof result === 'number') process.exitCode = result;
    else serve(result);
  },
  (error: unknown) => {
    process.stderr.write(
      `netra-sm-emulator: unexpected error: ${error instanceof Error ? error.message : error}\n`,
    );
    process.exitCode = 1;
  },
);
