#!/usr/bin/env node
// netra-verify's part of the demo: runs apps/verifier/scripts/demo.mjs (it imports the emulator from the
// verifier's own dependencies). Build first: `turbo run build --filter=@netra/verifier...`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../apps/verifier/scripts/demo.mjs', import.meta.url));
const result = spawnSync(process.execPath, [demo], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
