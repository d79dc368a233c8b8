// Start-up cost of the first getOAuthConfig call in a fresh process (what a service pays once, after loadConfig
// compiled the staging schema), beside the anchor it no longer pays: importing node:net and a first isIP call.
// Run after `pnpm build` (here and in config-schema).
// Alternates the two kinds of child process; prints medians of N runs each. Ratios, not absolute times.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.RUNS ?? 30);
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const env = {
  ENVIRONMENT: 'staging',
  JWT_SECRET_STAGING: 'bench-only-3Fq9Lr7Vx2Kp8Wm4Zt6Yb1Nc5Hd0Js',
  DATABASE_HOST: '/cloudsql/netra-staging:europe-west1:netra-db',
  DATABASE_USER: 'netra_app',
  DATABASE_PASSWORD: 'Yw7nR2kP9vX4mT6qL1zB8cJ3',
  REDIS_HOST: '10.20.0.3',
  REDIS_PASSWORD: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  FERNET_KEY: 'af6UlIQlh1rYCI2_Z5uVblNV39EKn8aR-ZQFeLOUQgE=',
  GEMINI_API_KEY: 'AIzaSyD-bench-only-0123456789abcdefghij',
  GOOGLE_OAUTH_CLIENT_ID_STAGING: '123456789012-benchclient0abc.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: 'GOCSPX-benchOnlyStagingSecret01',
  API_BASE_URL: 'https://api.staging.netra.example',
  FRONTEND_URL: 'https://app.staging.netra.example',
  GCP_PROJECT_ID: 'netra-staging',
};
const setup = `
const { getOAuthConfig } = await import(${JSON.stringify(dist)});
const { loadConfig } = await import('@netra/config-schema');
const { netraBackendSchema } = await import('@netra/backend-schema');
const config = loadConfig(netraBackendSchema, { env: ${JSON.stringify(env)} });`;
const subject = `${setup}
const t0 = performance.now(); getOAuthConfig(config); const t1 = performance.now();
getOAuthConfig(config); const t2 = performance.now();
console.log(JSON.stringify({ first: t1 - t0, second: t2 - t1 }));`;
const anchor = `${setup}
const t0 = performance.now(); const { isIP } = await import('node:net'); isIP('34.120.1.2'); const t1 = performance.now();
console.log(JSON.stringify({ first: t1 - t0, second: 0 }));`;

const run = (code) =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    }),
  );
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const subjects = [];
const anchors = [];
for (let i = 0; i < N; i++) {
  subjects.push(run(subject));
  anchors.push(run(anchor));
}
const first = median(subjects.map((r) => r.first));
const second = median(subjects.map((r) => r.second));
const isIp = median(anchors.map((r) => r.first));
console.log(
  `first getOAuthConfig call          median ${first.toFixed(3)} ms (second call ${second.toFixed(3)} ms), n=${N}`,
);
console.log(`anchor: import node:net + isIP()   median ${isIp.toFixed(3)} ms, n=${N}`);
console.log(`ratio first call / anchor: ${(first / isIp).toFixed(2)}x`);
