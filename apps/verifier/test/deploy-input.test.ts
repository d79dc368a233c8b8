// check over deploy inputs read as bash and Cloud Run would (issue 15), and its report formats.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './fixtures/issue8/run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netra-deploy-input-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The healthy staging deploy of examples/staging, with DATABASE_HOST taken from the CI environment.
const SCRIPT = `#!/usr/bin/env bash
PROJECT_ID=netra-staging
gcloud run deploy netra-backend-staging \\
  --project="$PROJECT_ID" \\
  --set-env-vars="ENVIRONMENT=staging,DATABASE_HOST=\${DB_HOST:-localhost},DATABASE_NAME=netra,\\
DATABASE_USER=netra_app,REDIS_HOST=10.20.0.3,REDIS_TLS=true,API_BASE_URL=https://api.staging.netra.example,\\
FRONTEND_URL=https://app.staging.netra.example,GCP_PROJECT_ID=\${GCP_PROJECT_ID}" \\
  --update-secrets=JWT_SECRET_STAGING=jwt-secret-staging:latest,DATABASE_PASSWORD=database-password-staging:latest \\
  --update-secrets=REDIS_PASSWORD=redis-password-staging:latest,FERNET_KEY=fernet-key-staging:latest \\
  --update-secrets=GEMINI_API_KEY=gemini-api-key-staging:latest \\
  --update-secrets=GOOGLE_OAUTH_CLIENT_ID_STAGING=google-oauth-client-id-staging:latest \\
  --update-secrets=GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest \\
  --vpc-connector=netra-staging-connector $EXTRA_FLAGS
`;

async function script(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('check --manifest over values set outside the script', { timeout: 30_000 }, () => {
  test('${DB_HOST:-localhost} and ${GCP_PROJECT_ID}: unresolved-value warnings (with what the default would do), not invalid; $EXTRA_FLAGS: unresolved-flags', async () => {
    const path = await script('deploy.sh', SCRIPT);
    const result = await runCli(['check', '--env', 'staging', '--manifest', path, '--json']);
    const report = JSON.parse(result.stdout);
    const pairs = report.issues.map(
      (i: { severity: string; code: string; variable: string; line?: number }) =>
        `${i.severity} ${i.code} ${i.variable} ${i.line}`,
    );
    expect(pairs).toEqual([
      'warning unresolved-flags  13',
      'warning unresolved-value DATABASE_HOST 5',
      'warning unresolved-value GCP_PROJECT_ID 5',
    ]);
    expect(result.code).toBe(0);
    expect(report.issues[1].message).toContain(
      'if it is unset, the default (localhost) is used and fails: loopback-host',
    );
    expect(report.issues[1].file).toBe(path);
  });
});

describe('check --format', { timeout: 30_000 }, () => {
  const broken = SCRIPT.replace('REDIS_HOST=10.20.0.3', 'REDIS_HOST=100.64.0.5').replace(
    ' --vpc-connector=netra-staging-connector $EXTRA_FLAGS',
    '',
  );

  test('sarif: a SARIF 2.1.0 log with one rule per code and results at file:line', async () => {
    const path = await script('broken.sh', broken);
    const result = await runCli(['check', '--env', 'staging', '--manifest', path, '--format', 'sarif']);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results.map(
      (r: {
        ruleId: string;
        locations?: Array<{ physicalLocation: { region?: { startLine: number } } }>;
      }) => [r.ruleId, r.locations?.[0]?.physicalLocation.region?.startLine],
    );
    expect(results).toContainEqual(['manifest-no-vpc-egress', 5]);
    expect(log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain(
      'manifest-no-vpc-egress',
    );
  });

  test('github: workflow commands; markdown: a table', async () => {
    const path = await script('broken.sh', broken);
    const github = await runCli(['check', '--env', 'staging', '--manifest', path, '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(
      `::error file=${path},line=5,title=manifest-no-vpc-egress REDIS_HOST::REDIS_HOST is a private address (100.64.0.5)`,
    );
    const markdown = await runCli(['check', '--env', 'staging', '--manifest', path, '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^### netra-verify check --env staging: ❌ 1 error, 2 warnings\n/);
    expect(markdown.stdout).toContain(`| ❌ | \`manifest-no-vpc-egress\` | \`REDIS_HOST\` | ${path}:5 |`);
  });

  test('a bad --format, and --json with another format, are usage errors', async () => {
    const bad = await runCli(['check', '--env', 'staging', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, json, sarif, github, markdown, got "xml"');
    const both = await runCli(['check', '--env', 'staging', '--json', '--format', 'sarif']);
    expect(both.code).toBe(2);
  });
});
