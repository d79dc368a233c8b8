// Anchor for bench/run.mjs: a service that imports the schema package (static imports, as services do).
// Prints "<ms since process start> <CPU ms since process start>" once its imports have run.
import { netraBackendSchema } from '@netra/backend-schema';

if (!netraBackendSchema) throw new Error('no schema');
const cpu = process.cpuUsage();
process.stdout.write(`${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
