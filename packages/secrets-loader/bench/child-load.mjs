// Measured by bench/run.mjs: the schema package plus a secrets load from env and files only (staging, 7 secrets).
const start = performance.now();
const { netraBackendSchema } = await import('@netra/config-schema');
const { loadSecrets } = await import('@netra/secrets-loader');
const { values } = await loadSecrets(netraBackendSchema, { environment: 'staging' });
if (Object.keys(values).length !== 7) throw new Error('expected 7 secrets');
process.stdout.write(String(performance.now() - start));
