#!/usr/bin/env node
// The tour of `netra-verify check`: a Secret Manager emulator seeded from examples/, the 2025-09-07 staging
// incident caught before deploy (exit 1, every problem with its fix), the healthy staging deployment passing
// (exit 0) in every form teams deploy with (service YAML, script, Cloud Build, GitHub Actions, Terraform). Run after building: `turbo run build --filter=@netra/verifier...` then `node apps/verifier/scripts/demo.mjs`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@netra/secret-manager-emulator';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const readSeed = (path) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8'));

const emulator = await startEmulator({
  port: 0,
  seed: {
    ...readSeed('staging-incident/secret-manager.seed.json'),
    ...readSeed('staging/secret-manager.seed.json'),
  },
});

const steps = [
  {
    title: 'The staging incident (env file): start-up validation, run before deploy',
    args: ['--env-file', 'examples/staging-incident/staging.env', '--project', 'netra-staging-incident'],
    expected: 1,
  },
  {
    title: 'The staging incident (deploy script): what the deploy provides vs what start-up demands',
    args: ['--manifest', 'examples/staging-incident/deploy.sh', '--project', 'netra-staging-incident'],
    expected: 1,
  },
  {
    title: 'The healthy staging deployment (Cloud Run service YAML)',
    args: ['--manifest', 'examples/staging/service.yaml', '--project', 'netra-staging'],
    expected: 0,
  },
  {
    title: 'The healthy staging deployment (gcloud run deploy script)',
    args: ['--manifest', 'examples/staging/deploy.sh', '--project', 'netra-staging'],
    expected: 0,
  },
  ...[
    ['Cloud Build config', 'examples/staging/cloudbuild.yaml'],
    ['GitHub Actions workflow', 'examples/staging/github-workflow.yml'],
    ['Terraform folder', 'examples/staging/terraform/'],
    ['terraform show -json', 'examples/staging/terraform-show.json'],
  ].map(([form, manifest]) => ({
    title: `The healthy staging deployment (${form})`,
    args: ['--manifest', manifest, '--project', 'netra-staging'],
    expected: 0,
  })),
];

let failed = false;
try {
  console.log(
    `Secret Manager emulator on ${emulator.address}, seeded from examples/*/secret-manager.seed.json\n`,
  );
  for (const step of steps) {
    const args = ['check', '--env', 'staging', ...step.args];
    console.log(`━━ ${step.title}\n$ netra-verify ${args.join(' ')}\n`);
    // Not spawnSync: the emulator runs in this process and must keep answering while the check runs.
    const status = await new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: repoRoot,
        stdio: 'inherit',
        env: { ...process.env, SECRET_MANAGER_EMULATOR_HOST: emulator.address },
      });
      child.on('close', (code) => resolve(code));
      child.on('error', () => resolve(-1));
    });
    const ok = status === step.expected;
    console.log(`\n→ exit ${status} (expected ${step.expected}) ${ok ? '✓' : '✗'}\n`);
    if (!ok) failed = true;
  }
} finally {
  await emulator.stop();
}
if (failed) {
  console.error('demo: an exit code was not the expected one');
  process.exitCode = 1;
}
