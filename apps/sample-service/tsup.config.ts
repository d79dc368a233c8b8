import { defineConfig } from 'tsup';
import { base } from '../../tsup.config.base.ts';

// A private app: `node dist/server.js` runs it; nothing imports its types (tests use src), so no .d.ts.
export default defineConfig(base({ entry: ['src/server.ts', 'src/index.ts'], dts: false }));
