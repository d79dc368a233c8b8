// Measured by bench/run.mjs: the schema package plus a secrets load from env and files only (staging, 7 secrets).
// Prints "<wall ms> <cpu ms>" for the measured part.
const start = performance.now();
const cpu = process.cpuUsage();
const { netraBackendSchema } = await import('@netra/config-schema');
const { loadSecrets } = await import('@netra/secrets-loader');
const { values } = await loadSecrets(netraBackendSchema, { environment: 'staging' });
if (Object.keys(values).length !== 7) throw new Error('expected 7 secrets');
const used = process.cpuUsage(cpu);
process.stdout.write(`${performance.now() - start} ${(used.user + used.system) / 1000}`);
