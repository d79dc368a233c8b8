#!/usr/bin/env node
// The release rehearsal: what a user gets from a registry after `npm run release`.
//   1. start a real npm registry (verdaccio 6, a root devDependency) on a free loopback port, with a config of its
//      own in a temp folder: @netra/* is served only from its own storage (never proxied), anything else is proxied
//      to the usual registry;
//   2. publish every public workspace package to it as `npm run release` does: `changeset publish` (pnpm publish,
//      which rewrites `workspace:` ranges), here without git tags;
//   3. in a fresh folder outside the workspace, install them BY SEMVER RANGE (`^VERSION`) with plain npm: @netra/*
//      from the loopback registry through a scoped registry setting, every other dependency from the usual one;
//   4. use them: ESM import and require() of every package on Node 26 and on Node 22, TypeScript typechecks under
//      `node16`, `nodenext` and `bundler` resolution, loadConfig of a schema written against the installed
//      @netra/config-schema, and the installed `netra-verify` bin (`check` of a healthy env file exits 0, of a broken
//      one exits 1 naming the variable);
//   5. stop the registry and remove the folder.
// It prints one `rehearsal: N passed, N failed` line that scripts/run-tests.mjs adds to the closing count.
// `--keep` keeps the temp folder (its path is printed) for a look at what was published and installed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const node26Dir = path.dirname(process.execPath);
const node22Dir = path.join(root, 'node_modules', 'node-22', 'bin');
const started = Date.now();
const keep = process.argv.includes('--keep');

/** What each package must do once installed: a probe run after import and after require(), and TypeScript that
 * must typecheck against its published types. A public package without an entry still gets the generic checks:
 * import and require() give the same named exports, and `import * as m` typechecks. */
const usage = {
  '@netra/ids': {
    probe: (m) => m.parseRunId(m.generateRunId('t1'))?.threadId === 't1' && m.isRunId('run_t_1_abcdef12'),
    ts: `import { generateRunId, parseRunId } from '@netra/ids';\nconst parsed = parseRunId(generateRunId('thread-1'));\nexport const thread: string | undefined = parsed?.threadId;`,
  },
  '@netra/config-schema': {
    probe: (m) =>
      m.safeLoadConfig(
        m.defineSchema({ environment: m.environmentVariable() }, { environments: { development: 'local' } }),
        { env: { ENVIRONMENT: 'development' } },
      ).ok === true,
    ts: `import { databaseFragment, defineSchema, environmentVariable, safeLoadConfig } from '@netra/config-schema';\nconst schema = defineSchema({ environment: environmentVariable(), db: databaseFragment() }, { environments: { development: 'local', qa: 'deployed' } });\nconst r = safeLoadConfig(schema, { env: { ENVIRONMENT: 'development' } });\nexport const host: string | undefined = r.ok ? r.config.db.host : undefined;\n// @ts-expect-error the config has no such key\nexport const nope = r.ok ? r.config.nope : undefined;`,
  },
  '@netra/backend-schema': {
    probe: (m) => m.netraBackendSchema?.kind === 'schema' && 'staging' in m.netraBackendSchema.environments,
    ts: `import { safeLoadConfig } from '@netra/config-schema';\nimport { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';\nconst r = safeLoadConfig(netraBackendSchema, { env: { ENVIRONMENT: 'development' } });\nexport const host: NetraBackendConfig['database']['host'] | undefined = r.ok ? r.config.database.host : undefined;`,
  },
  '@netra/secrets-loader': {
    probe: (m) =>
      typeof m.safeLoadSecrets === 'function' && typeof m.createSecretManagerClient === 'function',
    ts: `import { type SafeLoadSecretsResult, safeLoadSecrets } from '@netra/secrets-loader';\nexport const load: typeof safeLoadSecrets = safeLoadSecrets;\nexport type R = SafeLoadSecretsResult;`,
  },
  '@netra/deploy-manifest': {
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
    ts: `import { type Deployment, readDeployment, toMarkdown } from '@netra/deploy-manifest';\nexport const d: Promise<Deployment> = readDeployment('gcloud run deploy api --set-env-vars=A=1', { file: 'deploy.sh' });\nexport const md: string = toMarkdown([]);`,
  },
  '@netra/oauth-config': {
    probe: (m) => typeof m.getOAuthConfig === 'function' && typeof m.safeGetOAuthConfig === 'function',
    ts: `import { getOAuthConfig } from '@netra/oauth-config';\nexport const f: typeof getOAuthConfig = getOAuthConfig;`,
  },
  '@netra/secret-manager-emulator': {
    probe: (m) => typeof m.startEmulator === 'function' && typeof m.emulatorClientOptions === 'function',
    ts: `import { startEmulator } from '@netra/secret-manager-emulator';\nexport const f: typeof startEmulator = startEmulator;`,
  },
  '@netra/verifier': {
    probe: (m) => typeof m.UsageError === 'function',
    ts: `import * as verifier from '@netra/verifier';\nexport const v = verifier;`,
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Results: one line per check, counted in the closing line.

let passed = 0;
let failed = 0;
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
function ok(name) {
  passed++;
  console.log(`ok   ${name} (${elapsed()})`);
}
function fail(name, detail) {
  failed++;
  console.log(`FAIL ${name}${detail ? `\n${indent(String(detail).trim())}` : ''}`);
}
function check(name, condition, detail) {
  if (condition) ok(name);
  else fail(name, detail);
  return condition;
}
const indent = (text) =>
  text
    .split('\n')
    .slice(0, 60)
    .map((line) => `     ${line}`)
    .join('\n');

/** Runs a command to its end; never throws. PATH starts with the Node directory given, then the pinned pnpm. The
 * timeout only stops a hang: it is minutes, as 2 shared cores can be slow (a run takes ~1.5 minutes). */
function run(command, args, { cwd = root, env = {}, nodeDir = node26Dir, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        PATH: [nodeDir, path.dirname(bin('pnpm')), process.env.PATH ?? ''].join(path.delimiter),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n(timed out after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: output.replace(/\u001b\[[0-9;]*m/g, '') });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output: `${output}${error.message}` });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The workspace's public packages.

const publicPackages = ['packages', 'apps']
  .flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)))
  .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private)
  .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
const versions = new Map(publicPackages.map(({ manifest }) => [manifest.name, manifest.version]));
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// ---------------------------------------------------------------------------------------------------------------
// 1. The registry.

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netra-release-rehearsal-'));
const registryDir = path.join(work, 'registry');
fs.mkdirSync(registryDir);
// The usual registry is the one npm is configured with here; only non-@netra packages are proxied to it.
const usualRegistry =
  execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', cwd: work }).trim() ||
  'https://registry.npmjs.org/';
fs.writeFileSync(
  path.join(registryDir, 'config.yaml'),
  `# The release rehearsal's registry (scripts/release-rehearsal.mjs): @netra/* only from this storage.
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 1
uplinks:
  usual:
    url: ${JSON.stringify(usualRegistry)}
packages:
  '@netra/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    proxy: usual
web:
  enable: false
log: { type: stdout, format: json, level: warn }
`,
);

// verdaccio runs in a child process of its own (stopped at the end, whatever happens), listening on port 0 so the
// kernel picks a free loopback port; it reports the port on its first line.
const launcher = `
import { createRequire } from 'node:module';
const [rootManifest, config] = process.argv.slice(1);
const { runServer } = createRequire(rootManifest)('verdaccio');
const server = await runServer(config);
server.listen(0, '127.0.0.1', () => console.log('rehearsal-registry-port ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
const registryLog = path.join(work, 'registry.log');
const registry = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    launcher,
    path.join(root, 'package.json'),
    path.join(registryDir, 'config.yaml'),
  ],
  { cwd: registryDir, stdio: ['ignore', 'pipe', 'pipe'] },
);
const killRegistry = () => registry.exitCode === null && registry.kill('SIGKILL');
process.on('exit', killRegistry);
let registryOutput = '';
registry.stderr.on('data', (chunk) => {
  registryOutput += chunk;
});
const port = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(null), 30_000);
  registry.stdout.on('data', (chunk) => {
    registryOutput += chunk;
    const match = /rehearsal-registry-port (\d+)/.exec(registryOutput);
    if (match) {
      clearTimeout(timer);
      resolve(Number(match[1]));
    }
  });
  registry.on('exit', () => {
    clearTimeout(timer);
    resolve(null);
  });
});

async function stopRegistry() {
  fs.writeFileSync(registryLog, registryOutput);
  if (registry.exitCode !== null) return;
  const exited = new Promise((resolve) => registry.once('exit', resolve));
  registry.kill('SIGTERM');
  const timer = setTimeout(killRegistry, 5_000);
  await exited;
  clearTimeout(timer);
}

function finish() {
  if (keep) console.log(`(kept ${work})`);
  else fs.rmSync(work, { recursive: true, force: true });
  console.log(`rehearsal took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`rehearsal: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

if (!check('verdaccio started on a loopback port', port !== null, registryOutput)) {
  await stopRegistry();
  finish();
}
const registryUrl = `http://127.0.0.1:${port}/`;
console.log(`     registry ${registryUrl} (non-@netra packages proxied to ${usualRegistry})`);

try {
  await rehearse();
} catch (error) {
  fail('rehearsal', error?.stack ?? error);
} finally {
  await stopRegistry();
  check('verdaccio stopped', registry.exitCode !== null || registry.signalCode !== null);
  finish();
}

async function rehearse() {
  // -------------------------------------------------------------------------------------------------------------
  // 2. Publish as `npm run release` does, to the loopback registry only.

  const userResponse = await fetch(`${registryUrl}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: `rehearsal-${process.pid}-${Date.now()}` }),
  });
  const { token } = await userResponse.json();
  if (!check('a publisher account on the loopback registry', userResponse.ok && token)) return;
  // Only @netra is routed to the loopback registry; the token is sent to it alone.
  const publishNpmrc = path.join(work, 'publish.npmrc');
  const registryHost = registryUrl.replace(/^http:/, '');
  fs.writeFileSync(publishNpmrc, `@netra:registry=${registryUrl}\n${registryHost}:_authToken=${token}\n`);
  const publish = await run(bin('changeset'), ['publish', '--no-git-tag'], {
    env: { npm_config_userconfig: publishNpmrc, CI: 'true' },
    timeoutMs: 300_000,
  });
  check('changeset publish to the loopback registry', publish.code === 0, publish.output);

  for (const { manifest } of publicPackages) {
    const name = manifest.name;
    const response = await fetch(`${registryUrl}${name.replace('/', '%2f')}`);
    const packument = response.ok ? await response.json() : undefined;
    const published = packument?.versions?.[manifest.version];
    if (
      !check(`${name}@${manifest.version} is on the loopback registry`, published, `HTTP ${response.status}`)
    )
      continue;
    // What pnpm publish wrote for the internal dependencies: `workspace:^` → `^VERSION` of the package published
    // alongside, never a `workspace:` (or `catalog:`) left behind.
    const problems = [];
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
        const out = published[field]?.[dep];
        if (!spec.startsWith('workspace:')) {
          if (out !== spec) problems.push(`${field}.${dep}: ${out} (package.json has ${spec})`);
          continue;
        }
        const wanted = spec.slice('workspace:'.length);
        const version = versions.get(dep);
        const expected =
          wanted === '^' || wanted === '~' ? `${wanted}${version}` : wanted === '*' ? version : wanted;
        if (out !== expected) problems.push(`${field}.${dep}: ${out}, expected ${expected} (from ${spec})`);
      }
      for (const [dep, out] of Object.entries(published[field] ?? {}))
        if (/^(workspace|catalog|link|file):/.test(out))
          problems.push(`${field}.${dep}: ${out} was published`);
    }
    if (published.private) problems.push('published as private');
    check(`${name}: published dependency ranges`, problems.length === 0, problems.join('\n'));
  }

  // -------------------------------------------------------------------------------------------------------------
  // 3. A fresh project installs them by range with plain npm.

  const project = path.join(work, 'consumer');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'netra-rehearsal-consumer', private: true, version: '1.0.0', type: 'module' }, null, 2)}\n`,
  );
  // A scoped registry setting: @netra/* from the loopback registry, everything else from the usual one. The lockfile
  // records where each package came from, so the test can tell.
  fs.writeFileSync(
    path.join(project, '.npmrc'),
    `@netra:registry=${registryUrl}\nomit-lockfile-registry-resolved=false\n`,
  );
  const ranges = publicPackages.map(({ manifest }) => `${manifest.name}@^${manifest.version}`);
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // npm run passes the user's omit-lockfile-registry-resolved as an environment variable, which outranks .npmrc
      '--omit-lockfile-registry-resolved=false',
      ...ranges,
      `typescript@${rootManifest.devDependencies.typescript}`,
      '@types/node@22',
    ],
    { cwd: project, timeoutMs: 600_000 },
  );
  if (!check(`npm install ${ranges.join(' ')}`, install.code === 0, install.output)) return;

  const lock = JSON.parse(fs.readFileSync(path.join(project, 'package-lock.json'), 'utf8'));
  const netraEntries = Object.entries(lock.packages).filter(([key]) =>
    /(^|\/)node_modules\/@netra\//.test(key),
  );
  const strays = netraEntries.filter(([, entry]) => !entry.resolved?.startsWith(registryUrl));
  const wrongVersions = netraEntries.filter(
    ([key, entry]) => entry.version !== versions.get(key.slice(key.lastIndexOf('@netra/'))),
  );
  check(
    '@netra/* came from the loopback registry only, at the published versions',
    netraEntries.length >= publicPackages.length && strays.length === 0 && wrongVersions.length === 0,
    [...strays, ...wrongVersions]
      .map(([key, entry]) => `${key}: ${entry.version} from ${entry.resolved}`)
      .join('\n'),
  );

  // -------------------------------------------------------------------------------------------------------------
  // 4. Use them, on Node 26 and on Node 22.

  writeSchemaFiles(project);
  const nodes = [node26Dir, node22Dir].map((dir) => ({
    dir,
    version: execFileSync(path.join(dir, 'node'), ['--version'], { encoding: 'utf8' }).trim(),
  }));
  for (const { dir, version } of nodes) {
    const node = path.join(dir, 'node');
    for (const { manifest } of publicPackages) {
      const name = manifest.name;
      const probe = usage[name]?.probe?.toString() ?? '() => true';
      const body = (load) =>
        `${load}\nconst names = Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort();\n` +
        `if (names.length === 0) { console.error('no exports'); process.exit(1); }\n` +
        `if (!(${probe})(m)) { console.error('probe failed'); process.exit(1); }\nconsole.log(names.join(','));`;
      fs.writeFileSync(path.join(project, 'probe.mjs'), body(`import * as m from '${name}';`));
      fs.writeFileSync(path.join(project, 'probe.cjs'), body(`const m = require('${name}');`));
      const esm = await run(node, ['probe.mjs'], { cwd: project, nodeDir: dir });
      const cjs = await run(node, ['probe.cjs'], { cwd: project, nodeDir: dir });
      check(`${name} import on Node ${version}`, esm.code === 0, esm.output);
      check(
        `${name} require() on Node ${version}`,
        cjs.code === 0 && cjs.output.trim() === esm.output.trim(),
        cjs.code === 0
          ? `require() exports ${cjs.output.trim()}\nimport exports ${esm.output.trim()}`
          : cjs.output,
      );
    }

    const load = await run(node, ['load-config.mjs'], { cwd: project, nodeDir: dir });
    check(
      `loadConfig of a schema on Node ${version}`,
      load.code === 0 && /^loaded /m.test(load.output),
      load.output,
    );

    // The installed bin, run as a user runs it: node_modules/.bin/netra-verify with this Node first on PATH.
    const verify = path.join(project, 'node_modules', '.bin', 'netra-verify');
    const args = ['check', '--env', 'staging'];
    const healthy = await run(verify, [...args, '--env-file', 'healthy.env'], { cwd: project, nodeDir: dir });
    check(
      `netra-verify check of a healthy env file exits 0 on Node ${version}`,
      healthy.code === 0,
      `exit ${healthy.code}\n${healthy.output}`,
    );
    const broken = await run(verify, [...args, '--env-file', 'broken.env'], { cwd: project, nodeDir: dir });
    check(
      `netra-verify check of a broken env file exits 1 naming DATABASE_HOST on Node ${version}`,
      broken.code === 1 && /DATABASE_HOST/.test(broken.output) && /loopback-host/.test(broken.output),
      `exit ${broken.code}\n${broken.output}`,
    );
  }

  // TypeScript against the published types: a file per package (and the schema module), under each resolution a
  // consumer may use. Under nodenext the published .d.ts files themselves are checked too (skipLibCheck off: an error
  // in them, or a type import they cannot resolve, fails); that full check takes ~10-30 s on 2 cores (the Secret
  // Manager client's types are 100k lines), so node16 and bundler check the consumer's files against the resolved
  // types only. attw (in `npm run lint`) already checks each package's own types resolve under node16 and bundler.
  const tsDir = path.join(project, 'ts');
  fs.mkdirSync(tsDir);
  for (const { manifest } of publicPackages) {
    const ts = usage[manifest.name]?.ts ?? `import * as m from '${manifest.name}';\nexport const all = m;`;
    fs.writeFileSync(path.join(tsDir, `${manifest.name.replace('@netra/', '')}.ts`), `${ts}\n`);
  }
  const resolutions = {
    node16: { module: 'node16', moduleResolution: 'node16', skipLibCheck: true },
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false },
    bundler: { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true },
  };
  for (const [label, options] of Object.entries(resolutions)) {
    const config = `tsconfig.${label}.json`;
    fs.writeFileSync(
      path.join(project, config),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['ts', 'schema.ts'],
      }),
    );
    const tsc = await run(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', config], {
      cwd: project,
    });
    const what = options.skipLibCheck ? '' : ' and the published .d.ts files';
    check(`TypeScript typechecks every package${what} under ${label} resolution`, tsc.code === 0, tsc.output);
  }
}

/** A schema of the consumer's own (as a service would write it), a loader, and env files for the bin. */
function writeSchemaFiles(project) {
  const schema = `import { databaseFragment, defineSchema, environmentVariable, minStrength, noPlaceholder, text, variable } from '@netra/config-schema';

export const schema = defineSchema({
  environment: environmentVariable(),
  database: databaseFragment(),
  apiToken: variable({
    name: 'API_TOKEN',
    schema: text(),
    description: 'Token for the upstream API.',
    sensitive: true,
    required: ['staging', 'production'],
    default: { development: 'dev-only-token-0123456789abcdef', test: 'dev-only-token-0123456789abcdef' },
    rules: [minStrength(32), noPlaceholder()],
  }),
});
`;
  fs.writeFileSync(path.join(project, 'schema.mjs'), schema);
  fs.writeFileSync(
    path.join(project, 'schema.ts'),
    `${schema}
import { loadConfig } from '@netra/config-schema';
const config = loadConfig(schema, { env: { ENVIRONMENT: 'development' } });
export const host: string = config.database.host;
export const token: string = config.apiToken;
// @ts-expect-error the database port is a number
export const portText: string = config.database.port;
`,
  );
  fs.writeFileSync(
    path.join(project, 'load-config.mjs'),
    `import { ConfigError, loadConfig, safeLoadConfig } from '@netra/config-schema';
import { schema } from './schema.mjs';

const token = 'a-real-token-' + 'x7Kp2mQ9vR4tW8yZ3bN6cF1hJ5'.repeat(2);
const env = {
  ENVIRONMENT: 'staging', DATABASE_HOST: '10.0.0.5', DATABASE_USER: 'app',
  DATABASE_PASSWORD: 'Zq8!vN3#pL6@rT9$wX2', API_TOKEN: token,
};
const config = loadConfig(schema, { env });
if (config.database.host !== '10.0.0.5' || config.database.port !== 5432 || config.apiToken !== token) {
  console.error('unexpected config', config);
  process.exit(1);
}
if (JSON.stringify(config).includes(token)) { console.error('the token is printed'); process.exit(1); }
const bad = safeLoadConfig(schema, { env: { ...env, DATABASE_HOST: 'localhost', API_TOKEN: 'changeme' } });
const codes = bad.ok ? [] : bad.issues.map((issue) => issue.variable + ':' + issue.code).sort();
if (bad.ok || !codes.includes('DATABASE_HOST:loopback-host') || !codes.some((c) => c.startsWith('API_TOKEN:'))) {
  console.error('expected loopback-host and an API_TOKEN issue, got', codes);
  process.exit(1);
}
try {
  loadConfig(schema, { env: { ENVIRONMENT: 'staging' } });
  console.error('loadConfig did not throw');
  process.exit(1);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
}
console.log('loaded ' + config.environment + ', refused ' + codes.join(' '));
`,
  );
  // The verifier's schema, named as a user names it: netra.config.json beside the env files (a verifier that
  // predates netra.config reads the backend schema by default, the same one).
  fs.writeFileSync(
    path.join(project, 'netra.config.json'),
    `${JSON.stringify({ schema: '@netra/backend-schema#netraBackendSchema' }, null, 2)}\n`,
  );
  const healthy = fs.readFileSync(path.join(root, 'examples', 'staging', 'staging.env'), 'utf8');
  fs.writeFileSync(path.join(project, 'healthy.env'), healthy);
  fs.writeFileSync(
    path.join(project, 'broken.env'),
    healthy.replace(/^DATABASE_HOST=.*$/m, 'DATABASE_HOST=localhost'),
  );
}
