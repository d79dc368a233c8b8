// The process entry (`node dist/server.js`), configured only by the environment.
// Exit codes: 0 after a graceful stop, 78 invalid configuration or secrets, 69 PostgreSQL/Redis
// unreachable after the bounded retries, 1 anything else (including a shutdown that overran its deadline).

/** Stop within Cloud Run's 10-second grace period, with room to spare. */
const SHUTDOWN_DEADLINE_MS = 8000;

async function main(): Promise<void> {
  // Everything before here is Node's own start-up; the dynamic import is measured as "imports".
  const bootMs = performance.now();
  const { startService, StartupError } = await import('./start.ts');
  const importsMs = performance.now() - bootMs;

  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService({ env: process.env });
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`${error.report}\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(
      `netra sample-service failed to start: ${(error as Error)?.message ?? String(error)}\n`,
    );
    process.exit(1);
  }

  const { app, timings } = service;
  app.log.info(
    {
      url: service.url,
      startup: { bootMs: round(bootMs), importsMs: round(importsMs), ...roundAll(timings) },
    },
    'ready',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: no new connections, finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'graceful stop overran its deadline; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    service.close().then(
      () => {
        app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function roundAll(timings: object): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).map(([name, ms]) => [name, round(ms as number)]));
}

void main();
