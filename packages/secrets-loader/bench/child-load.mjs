// Measured by bench/run.mjs: the same service also importing @netra/secrets-loader and loading its secrets from
// env and files only (staging, 7 secrets, one from a NAME_FILE).
// Prints "<ms since process start> <CPU ms since process start>" once the secrets are loaded.
import { netraBackendSchema } from '@netra/backend-schema';
import { loadSecrets } from '@netra/secrets-loader';

const { values } = await loadSecrets(netraBackendSchema, { environment: 'staging' });
if (Object.keys(values).length !== 7) throw new Error('expected 7 secrets');
const cpu = process.cpuUsage();
process.stdout.write(`${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
