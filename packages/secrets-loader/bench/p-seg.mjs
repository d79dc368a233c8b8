const cu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cu();
const t0 = performance.now();
const { netraBackendSchema } = await import('@netra/config-schema');
const c1 = cu();
const t1 = performance.now();
const { loadSecrets } = await import('@netra/secrets-loader');
const c2 = cu();
const t2 = performance.now();
await loadSecrets(netraBackendSchema, { environment: 'staging' });
const c3 = cu();
const t3 = performance.now();
process.stdout.write([c1 - c0, c2 - c1, c3 - c2, t1 - t0, t2 - t1, t3 - t2].join(' '));
