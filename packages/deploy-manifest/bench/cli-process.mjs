// Whole-process time of the verifier's `check --manifest` and `manifest read` on each deploy form, against
// `check --env staging --manifest service.yaml` as the anchor (same run, interleaved).
// node bench/cli-process.mjs [runs] [node flags…]   (after building this package and apps/verifier; uses dist/)
// e.g. node bench/cli-process.mjs 11                — the bin as users run it (its shebang's node flags)
//      node bench/cli-process.mjs 11 --stack-size=984 — `node FLAGS -- cli.js`, without the shebang's --liftoff-only
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');
const examples = join(repo, 'examples/staging');
const cli = join(repo, 'apps/verifier/dist/cli.js');
const runs = Number(process.argv[2] ?? 11);
const nodeFlags = process.argv.slice(3);
const root = mkdtempSync(join(tmpdir(), 'netra-cli-bench-'));

copyFileSync(join(examples, 'service.yaml'), join(root, 'service.yaml'));
copyFileSync(join(examples, 'env.yaml'), join(root, 'env.yaml'));
// A 100-line deploy script as teams write them: settings from the environment with defaults, a heredoc usage
// text, functions, a branch, and the deploy command with --env-vars-file and secrets.
const script = [
  '#!/usr/bin/env bash',
  '# Deploys netra-backend. Usage: ./deploy.sh [staging|production]',
  'set -euo pipefail',
  'usage() {',
  "  cat <<'EOF'",
  'Usage: deploy.sh [staging|production]',
  '  Builds the image, then runs gcloud run deploy for the environment.',
  'EOF',
  '}',
  'TIER="${1:-staging}"',
  'PROJECT_ID=netra-staging',
  'REGION=us-central1',
  'LOG_PREFIX="${LOG_PREFIX:-deploy}"',
  'IMAGE_TAG="${IMAGE_TAG:-$(git rev-parse --short HEAD)}"',
  'log() { printf "%s %s\\n" "$(date +"%F %T")" "$*" >&2; }',
  ...Array.from({ length: 30 }, (_, index) => `log "step ${index}: preparing ${'${TIER}'}"`),
  'if [ "$TIER" != staging ]; then',
  '  echo "this script deploys staging only" >&2',
  '  exit 1',
  'fi',
  ...Array.from(
    { length: 30 },
    (_, index) => `# note ${index}: the revision reads its settings from env.yaml and Secret Manager`,
  ),
  'gcloud run deploy netra-backend-staging \\',
  '  --project="${PROJECT_ID}" \\',
  '  --region="${REGION}" \\',
  '  --image="us-docker.pkg.dev/${PROJECT_ID}/netra/backend:${IMAGE_TAG}" \\',
  '  --service-account="netra-backend@${PROJECT_ID}.iam.gserviceaccount.com" \\',
  '  --env-vars-file=env.yaml \\',
  '  --set-secrets=JWT_SECRET_STAGING=jwt-secret-staging:latest,DATABASE_PASSWORD=database-password-staging:latest \\',
  '  --set-secrets=REDIS_PASSWORD=redis-password-staging:latest \\',
  '  --set-secrets=FERNET_KEY=fernet-key-staging:latest \\',
  '  --set-secrets=GEMINI_API_KEY=gemini-api-key-staging:latest \\',
  '  --set-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest \\',
  '  --set-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest \\',
  '  --add-cloudsql-instances="${PROJECT_ID}:${REGION}:netra-db" \\',
  '  --vpc-connector=netra-staging-connector \\',
  '  --vpc-egress=private-ranges-only \\',
  '  --no-allow-unauthenticated',
];
while (script.length < 99) script.splice(script.length - 16, 0, `log "waiting ${script.length}"`);
script.push('log "deployed"');
writeFileSync(join(root, 'deploy.sh'), `${script.join('\n')}\n`);

const terraform = join(root, 'infra');
mkdirSync(terraform);
for (const name of ['main.tf', 'variables.tf', 'secrets.tf'])
  copyFileSync(join(examples, 'terraform', name), join(terraform, name));
for (let index = 0; index < 7; index++) {
  writeFileSync(
    join(terraform, `extra-${index}.tf`),
    `resource "google_storage_bucket" "b${index}" {\n  name     = "netra-staging-${index}"\n  location = var.region\n  versioning {\n    enabled = true\n  }\n}\n`,
  );
}
const lines = (path) => readFileSync(path, 'utf8').split('\n').length - 1;
console.log(
  `node ${process.version}${nodeFlags.length === 0 ? '' : ` ${nodeFlags.join(' ')}`}; deploy.sh: ${lines(join(root, 'deploy.sh'))} lines; terraform: 10 files`,
);

if (process.env.KEEP) console.log(root);
const time = (args, env = {}) => {
  const start = performance.now();
  // Without node flags, the bin as a user's shell runs it: through its shebang (`env -S node --liftoff-only --`).
  const [file, fileArgs] =
    nodeFlags.length === 0 ? [cli, args] : [process.execPath, [...nodeFlags, '--', cli, ...args]];
  const result = spawnSync(file, fileArgs, {
    cwd: repo,
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      NODE_COMPILE_CACHE: join(root, 'compile-cache'),
      ...env,
    },
    encoding: 'utf8',
  });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  return elapsed;
};
const check = (manifest) => ['check', '--env', 'staging', '--manifest', join(root, manifest), '--json'];
const read = (manifest) => ['manifest', 'read', join(root, manifest), '--json'];
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

const warmCache = { NETRA_DEPLOY_MANIFEST_CACHE: join(root, 'hcl-cache') };
time(check('service.yaml')); // fills the compile cache
time(check('infra'), warmCache); // fills the HCL cache
const cases = {
  'check service.yaml (anchor)': () => time(check('service.yaml')),
  'check deploy.sh (100 lines)': () => time(check('deploy.sh')),
  'manifest read deploy.sh': () => time(read('deploy.sh')),
  'check terraform/ (cached)': () => time(check('infra'), warmCache),
  'manifest read terraform/ (cached)': () => time(read('infra'), warmCache),
  'check terraform/ (first read)': () => time(check('infra'), { NETRA_DEPLOY_MANIFEST_CACHE: 'off' }),
};
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < runs; run++) {
  for (const [name, measure] of Object.entries(cases)) samples[name].push(measure());
}
const anchor = median(samples['check service.yaml (anchor)']);
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(34)} median ${median(values).toFixed(0).padStart(5)} ms  ×${(median(values) / anchor).toFixed(2)}`,
  );
}
if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
