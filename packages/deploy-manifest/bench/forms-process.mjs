// Whole-process time of reading each deploy form, against the service YAML as the anchor (same run, interleaved).
// node bench/forms-process.mjs [runs]   (after `npm run build`; uses dist/)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, '../../../examples/staging');
const dist = join(here, '../dist/index.js');
const runs = Number(process.argv[2] ?? 15);
const root = mkdtempSync(join(tmpdir(), 'netra-forms-bench-'));

// Inputs: the staging service YAML (anchor), a 300-line workflow, a Terraform folder of 10 files.
copyFileSync(join(examples, 'service.yaml'), join(root, 'service.yaml'));
const workflow = readFileSync(join(examples, 'github-workflow.yml'), 'utf8');
const filler = Array.from(
  { length: 16 },
  (_, index) =>
    `  lint-${index}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n      - run: npm ci\n      - run: |\n          npm run lint -- --max-warnings 0\n          npm test\n      - name: Report\n        run: echo "done ${index}"\n        env:\n          STEP: "${index}"\n`,
).join('');
writeFileSync(join(root, 'workflow.yml'), `${workflow}${filler}`);
const terraform = join(root, 'infra');
mkdirSync(terraform);
for (const name of ['main.tf', 'variables.tf', 'secrets.tf'])
  copyFileSync(join(examples, 'terraform', name), join(terraform, name));
for (let index = 0; index < 7; index++) {
  writeFileSync(
    join(terraform, `extra-${index}.tf`),
    `resource "google_storage_bucket" "b${index}" {\n  name     = "netra-staging-${index}"\n  location = var.region\n  versioning {\n    enabled = true\n  }\n}\n\noutput "bucket_${index}" {\n  value = google_storage_bucket.b${index}.url\n}\n`,
  );
}
const lines = (path) => readFileSync(path, 'utf8').split('\n').length;
console.log(`workflow: ${lines(join(root, 'workflow.yml'))} lines; terraform: 10 files`);

const script = (input) =>
  `const m = await import(${JSON.stringify(dist)}); const d = await m.loadDeployment(${JSON.stringify(input)}, { cwd: ${JSON.stringify(root)} }); if (d.variables.length === 0) process.exit(3);`;
const time = (input, env) => {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script(input)], {
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${input}: ${result.stderr}`);
  return performance.now() - start;
};
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

const warmCache = join(root, 'cache');
time('infra', { NETRA_DEPLOY_MANIFEST_CACHE: warmCache }); // fills the cache
const samples = {
  anchor: [],
  workflow: [],
  cloudbuild: [],
  script: [],
  terraformWarm: [],
  terraformCold: [],
  terraformNoCache: [],
};
copyFileSync(join(examples, 'cloudbuild.yaml'), join(root, 'cloudbuild.yaml'));
copyFileSync(join(examples, 'env.yaml'), join(root, 'env.yaml'));
copyFileSync(join(examples, 'deploy.sh'), join(root, 'deploy.sh'));
for (let run = 0; run < runs; run++) {
  samples.anchor.push(time('service.yaml', {}));
  samples.workflow.push(time('workflow.yml', {}));
  samples.cloudbuild.push(time('cloudbuild.yaml', {}));
  samples.script.push(time('deploy.sh', {}));
  samples.terraformWarm.push(time('infra', { NETRA_DEPLOY_MANIFEST_CACHE: warmCache }));
  samples.terraformCold.push(time('infra', { NETRA_DEPLOY_MANIFEST_CACHE: join(root, `cold-${run}`) }));
  samples.terraformNoCache.push(time('infra', { NETRA_DEPLOY_MANIFEST_CACHE: 'off' }));
}
const anchor = median(samples.anchor);
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(18)} median ${median(values).toFixed(0).padStart(5)} ms  ×${(median(values) / anchor).toFixed(2)} of the service YAML`,
  );
}
rmSync(root, { recursive: true, force: true });
