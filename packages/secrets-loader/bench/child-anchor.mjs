// Anchor for bench/run.mjs: what a service pays anyway — importing the schema package.
const start = performance.now();
await import('@netra/config-schema');
process.stdout.write(String(performance.now() - start));
