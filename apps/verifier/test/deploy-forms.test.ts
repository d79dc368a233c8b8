// check --manifest over every way teams deploy to Cloud Run (issue 16): Cloud Build, GitHub Actions, Terraform.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli as spawnCli, verifierRoot } from './fixtures/issue8/run-cli';

const repoRoot = join(verifierRoot, '../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netra-deploy-forms-'));
});
// Terraform parse results are cached by content; the tests keep theirs in their own folder, not the user's cache.
const runCli = (args: string[], options: { cwd?: string } = {}) =>
  spawnCli(args, { ...options, env: { NETRA_DEPLOY_MANIFEST_CACHE: join(dir, 'cache') } });
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type JsonIssue = { severity: string; code: string; variable: string; file?: string; line?: number };

describe('the healthy staging deployment passes check --env staging in every form', {
  timeout: 60_000,
}, () => {
  test.each([
    'examples/staging/cloudbuild.yaml',
    'examples/staging/github-workflow.yml',
    'examples/staging/terraform/',
    'examples/staging/terraform-show.json',
  ])('%s', async (manifest) => {
    const anchor = JSON.parse(
      (
        await runCli(['check', '--env', 'staging', '--manifest', 'examples/staging/service.yaml', '--json'], {
          cwd: repoRoot,
        })
      ).stdout,
    );
    const result = await runCli(['check', '--env', 'staging', '--manifest', manifest, '--json'], {
      cwd: repoRoot,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual(anchor.issues);
  });
});

test("the README's healthy Cloud Build example is the CLI's output, verbatim", {
  timeout: 60_000,
}, async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('#### One worked example per form'));
  const block = /```console\n\$ netra-verify (.+)\n([\s\S]*?)\$ netra-verify/.exec(section);
  expect(block, 'the first console block of the section').not.toBeNull();
  const result = await runCli(block![1]!.split(' '), { cwd: repoRoot });
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(block![2]);
});

describe('issues carry the file and line of the setting in every form', { timeout: 240_000 }, () => {
  test.each([
    [
      'cloudbuild.yaml',
      `steps:
  - name: gcr.io/cloud-builders/gcloud
    args:
      - run
      - deploy
      - netra-backend-staging
      - --set-env-vars=ENVIRONMENT=staging
      - --set-env-vars=REDIS_PASSWORD=hunter2hunter2hunter2
`,
      'manifest-plaintext-secret REDIS_PASSWORD 8',
    ],
    [
      'deploy.yml',
      `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: netra-backend-staging
          env_vars: |
            ENVIRONMENT=staging
            REDIS_PASSWORD=hunter2hunter2hunter2
`,
      'manifest-plaintext-secret REDIS_PASSWORD 11',
    ],
    [
      'main.tf',
      `resource "google_cloud_run_v2_service" "api" {
  name = "netra-backend-staging"
  template {
    containers {
      env {
        name  = "REDIS_PASSWORD"
        value = "hunter2hunter2hunter2"
      }
    }
  }
}
`,
      'manifest-plaintext-secret REDIS_PASSWORD 6',
    ],
  ])('%s', async (name, text, expected) => {
    const path = join(dir, name);
    await writeFile(path, text);
    const result = await runCli(['check', '--env', 'staging', '--manifest', path, '--json']);
    expect(result.code).toBe(1);
    const issues: JsonIssue[] = JSON.parse(result.stdout).issues;
    const found = issues.filter((issue) => issue.code === 'manifest-plaintext-secret');
    expect(found.map((issue) => `${issue.code} ${issue.variable} ${issue.line}`)).toEqual([expected]);
    expect(found[0]!.file).toBe(path);
    expect(result.stdout).not.toContain('hunter2');
  });
});

describe('bad input: exit 2 naming the file (and line)', { timeout: 240_000 }, () => {
  test('a workflow with no Cloud Run deploy', async () => {
    const path = join(dir, 'ci.yml');
    await writeFile(
      path,
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    );
    const result = await runCli(['check', '--env', 'staging', '--manifest', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}: no step deploys to Cloud Run`);
  });

  test('a Terraform folder without a Cloud Run resource', async () => {
    const folder = join(dir, 'infra');
    await mkdir(folder);
    await writeFile(join(folder, 'bucket.tf'), 'resource "google_storage_bucket" "b" {\n  name = "b"\n}\n');
    const result = await runCli(['check', '--env', 'staging', '--manifest', folder]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${folder}: no google_cloud_run_v2_service or google_cloud_run_service resource`,
    );
  });

  test('HCL that does not parse', async () => {
    const path = join(dir, 'broken.tf');
    await writeFile(
      path,
      'resource "google_cloud_run_v2_service" "a" {\n  name = "a"\n  template {\n    containers {\n      image = \n    }\n  }\n}\n',
    );
    const result = await runCli(['check', '--env', 'staging', '--manifest', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}:5: HCL does not parse`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
