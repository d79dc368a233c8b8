#!/usr/bin/env node
// What an npm user gets: pack every publishable workspace package with pnpm (which rewrites `workspace:`
// ranges), install the tarballs with plain npm into a fresh project outside the workspace, then
// import each package as ESM, require() it from CommonJS, and typecheck a TypeScript file that uses it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = path.join(root, 'node_modules', '.bin', 'pnpm');

/** A line of TypeScript per package that must typecheck against the published types, and a runtime probe. */
const usage = {
  '@netra/ids': {
    ts: `import { generateRunId, parseRunId } from '@netra/ids';\nconst id = generateRunId('thread-1');\nconst parsed = parseRunId(id);\nexport const t: string | undefined = parsed?.threadId;`,
    probe: (m) =>
      typeof m.generateRunId === 'function' && m.parseRunId(m.generateRunId('t1'))?.threadId === 't1',
  },
  '@netra/deploy-manifest': {
    ts: `import { type Deployment, readDeployment, toMarkdown } from '@netra/deploy-manifest';\nexport const d: Promise<Deployment> = readDeployment('gcloud run deploy api --set-env-vars=A=1', { file: 'deploy.sh' });\nexport const md: string = toMarkdown([]);`,
    probe: (m) =>
      typeof m.readDeployment === 'function' &&
      m
        .toGcloudCommand({
          service: 'api',
          variables: [{ name: 'A', kind: 'literal', value: '1' }],
          mounts: [],
          cloudSqlInstances: [],
        })
        .includes('--set-env-vars=A=1'),
  },
  '@netra/config-schema': {
    ts: `import { databaseFragment, defineSchema, environmentVariable, safeLoadConfig } from '@netra/config-schema';\nconst schema = defineSchema({ environment: environmentVariable(), db: databaseFragment() }, { environments: { development: 'local', qa: 'deployed' } });\nconst r = safeLoadConfig(schema, { env: { ENVIRONMENT: 'development' } });\nexport const host: string | undefined = r.ok ? r.config.db.host : undefined;`,
    probe: (m) =>
      m.safeLoadConfig(
        m.defineSchema({ environment: m.environmentVariable() }, { environments: { development: 'local' } }),
        { env: { ENVIRONMENT: 'development' } },
      ).ok === true,
  },
  '@netra/backend-schema': {
    ts: `import { safeLoadConfig } from '@netra/config-schema';\nimport { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';\nconst r = safeLoadConfig(netraBackendSchema, { env: { ENVIRONMENT: 'development' } });\nexport const host: NetraBackendConfig['database']['host'] | undefined = r.ok ? r.config.database.host : undefined;`,
    probe: (m) => m.netraBackendSchema?.kind === 'schema' && 'staging' in m.netraBackendSchema.environments,
  },
  '@netra/secrets-loader': {
    ts: `import { type SafeLoadSecretsResult, safeLoadSecrets } from '@netra/secrets-loader';\nexport const load: typeof safeLoadSecrets = safeLoadSecrets;\nexport type R = SafeLoadSecretsResult;`,
    probe: (m) =>
      typeof m.safeLoadSecrets === 'function' && typeof m.createSecretManagerClient === 'function',
  },
  '@netra/oauth-config': {
    ts: `import { getOAuthConfig } from '@netra/oauth-config';\nexport const f: typeof getOAuthConfig = getOAuthConfig;`,
    probe: (m) => typeof m.getOAuthConfig === 'function',
  },
  '@netra/secret-manager-emulator': {
    ts: `import { startEmulator } from '@netra/secret-manager-emulator';\nexport const f: typeof startEmulator = startEmulator;`,
    probe: (m) => typeof m.startEmulator === 'function',
  },
  '@netra/verifier': {
    ts: `import * as verifier from '@netra/verifier';\nexport const v = verifier;`,
    probe: () => true,
  },
};

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const workspacePackages = ['packages', 'apps'].flatMap((dir) =>
  fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)),
);
const publishable = workspacePackages
  .map((dir) => ({ dir, pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

const missing = publishable.filter(({ pkg }) => !usage[pkg.name]);
if (missing.length > 0) {
  console.error(`consumer test: no usage snippet for ${missing.map((p) => p.pkg.name).join(', ')}`);
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netra-consumer-'));
let failed = 0;
try {
  const tarballs = publishable.map(({ dir }) => {
    const out = run(pnpm, ['pack', '--pack-destination', work], dir).trim().split('\n').pop();
    return path.isAbsolute(out) ? out : path.join(work, path.basename(out));
  });
  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'netra-consumer', private: true, version: '1.0.0', type: 'module' }, null, 2),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs,
      'typescript@6.0.3',
      '@types/node@22',
    ],
    project,
  );

  for (const { pkg } of publishable) {
    const { probe } = usage[pkg.name];
    const esm = `import * as m from '${pkg.name}';\nconst ok = (${probe.toString()})(m);\nif (!ok) { console.error('probe failed'); process.exit(1); }`;
    const cjs = `const m = require('${pkg.name}');\nconst ok = (${probe.toString()})(m);\nif (!ok) { console.error('probe failed'); process.exit(1); }`;
    fs.writeFileSync(path.join(project, 'esm.mjs'), esm);
    fs.writeFileSync(path.join(project, 'cjs.cjs'), cjs);
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      try {
        run(process.execPath, [file], project);
        console.log(`ok   ${pkg.name} ${file === 'esm.mjs' ? 'import' : 'require'}`);
      } catch (error) {
        failed++;
        console.error(`FAIL ${pkg.name} ${file}: ${error.stderr || error.message}`);
      }
    }
  }

  const tsDir = path.join(project, 'ts');
  fs.mkdirSync(tsDir);
  for (const { pkg } of publishable) {
    fs.writeFileSync(path.join(tsDir, `${pkg.name.replace('@netra/', '')}.ts`), `${usage[pkg.name].ts}\n`);
  }
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['ts'],
    }),
  );
  try {
    run(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], project);
    console.log(`ok   TypeScript (NodeNext) typechecks a file per package`);
  } catch (error) {
    failed++;
    console.error(`FAIL TypeScript:\n${error.stdout || ''}${error.stderr || error.message}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
const total = publishable.length * 2 + 1;
console.log(`consumer: ${total - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
