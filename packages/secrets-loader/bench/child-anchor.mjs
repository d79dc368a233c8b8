// Anchor for bench/run.mjs: what a service pays anyway — importing the schema package.
// Prints "<wall ms> <cpu ms>" for the measured part.
const start = performance.now();
const cpu = process.cpuUsage();
await import('@netra/config-schema');
const used = process.cpuUsage(cpu);
process.stdout.write(`${performance.now() - start} ${(used.user + used.system) / 1000}`);
