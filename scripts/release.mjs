#!/usr/bin/env node
// `npm run release`: cut a release from a clean, committed tree, as a maintainer would.
//
//   npm run release                   version → build and the full checks → commit → changeset publish
//   npm run release -- version        only `changeset version` (what the release workflow's version PR runs)
//   npm run release -- publish        build and the full checks → changeset publish (what the workflow runs once
//                                     the version PR is merged: versions that are not on the registry yet)
//   … --no-provenance                 publish from a machine that cannot attest where it built (not CI)
//
// It refuses a dirty tree and failing checks (`npm test`: Biome, build, typecheck, publint/attw, every suite on
// Node 26 and 22, and the release rehearsal, which publishes these very versions to a loopback registry and
// installs them by range first). With no pending changeset it says so and exits 0 without publishing. The errors
// of `changeset version` and `changeset publish` (a changeset naming a package that does not exist, or a private
// app) are changesets' own, passed on with its exit code.
//
// Provenance: packages are published with `changeset publish`, which runs `pnpm publish --access public` for every
// public package whose version is not on the registry. From GitHub Actions with `permissions: id-token: write`,
// pnpm authenticates by npm trusted publishing (OIDC, no token) and attaches a signed provenance statement to each
// public package. Anywhere else no provenance can be generated, so `publish` refuses unless told `--no-provenance`,
// and after publishing in CI it checks the registry holds an attestation for every version it published.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const command = args.find((arg) => !arg.startsWith('-')) ?? 'release';
const provenance = !args.includes('--no-provenance');
const usage = 'usage: npm run release [-- version | publish] [--no-provenance]';

const unknown = args.filter((arg) => !['version', 'publish', '--no-provenance'].includes(arg));
if (!['release', 'version', 'publish'].includes(command) || unknown.length > 0) {
  console.error(`release: unknown argument ${unknown.join(' ') || command}\n${usage}`);
  process.exit(2);
}

/** Runs a command with its output on ours; exits with its code when it fails (its own error is the message). */
function step(title, file, fileArgs, { onFailure } = {}) {
  console.log(`\nrelease: ${title}`);
  const result = spawnSync(file, fileArgs, { cwd: root, stdio: 'inherit' });
  if (result.status === 0) return;
  if (onFailure) console.error(`\nrelease: ${onFailure}`);
  process.exit(result.status ?? 1);
}

const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' }).trim();

function refuseDirtyTree() {
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trimEnd();
  if (dirty === '') return;
  console.error(
    `release: the working tree has uncommitted changes; a release is cut from a committed tree.\n${dirty}\n` +
      'Commit or stash them, then run it again.',
  );
  process.exit(1);
}

/** The changesets not yet released: every .changeset/*.md but the folder's README. */
function pendingChangesets() {
  return fs
    .readdirSync(path.join(root, '.changeset'))
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort();
}

function workspacePackages() {
  return ['packages', 'apps']
    .flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    .map((dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')));
}
const publicPackages = () => workspacePackages().filter((manifest) => !manifest.private);

/**
 * A changeset that names only private packages: changesets neither versions it nor reports it (a private app is
 * skipped, `privatePackages.version: false`) and leaves the file behind, so it would be "pending" for ever. A
 * changeset naming a private and a public package, or a package that does not exist, is changesets' own error.
 */
function refusePrivateOnlyChangesets(pending) {
  const privateNames = new Set(
    workspacePackages()
      .filter((m) => m.private)
      .map((m) => m.name),
  );
  const problems = [];
  for (const file of pending) {
    const text = fs.readFileSync(path.join(root, '.changeset', file), 'utf8');
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    const names = [...frontmatter.matchAll(/^\s*["']?([^"'\s]+?)["']?\s*:/gm)].map((match) => match[1]);
    if (names.length > 0 && names.every((name) => privateNames.has(name)))
      problems.push(`.changeset/${file} names only ${names.join(', ')}, which is private and never released`);
  }
  if (problems.length === 0) return;
  console.error(
    `release: ${problems.join('\n')}\nRemove it (a change to a private app needs no changeset); nothing was changed.`,
  );
  process.exit(1);
}

/** The registry npm (and pnpm) would publish a package to: its scope's registry, else the default. */
function registryFor(name) {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const get = (key) => execFileSync('npm', ['config', 'get', key], { cwd: root, encoding: 'utf8' }).trim();
  const scoped = scope ? get(`${scope}:registry`) : 'undefined';
  return (scoped !== 'undefined' && scoped !== '' ? scoped : get('registry')).replace(/\/?$/, '/');
}

async function registryVersion(name, version) {
  const response = await fetch(`${registryFor(name)}${name.replace('/', '%2f')}/${version}`);
  return response.ok ? response.json() : undefined;
}

function refuseWithoutProvenance() {
  if (!provenance) {
    console.log('release: publishing without provenance (--no-provenance)');
    return;
  }
  // Set by GitHub Actions; the second only for a job with `permissions: id-token: write`.
  const { GITHUB_ACTIONS: actions, ACTIONS_ID_TOKEN_REQUEST_URL: oidc } = process.env;
  if (actions === 'true' && oidc) return;
  console.error(
    actions === 'true'
      ? 'release: this workflow cannot get an OIDC token, so pnpm can neither publish by trusted publishing nor ' +
          'attach provenance. Give the job `permissions: id-token: write` (see .github/workflows/release.yml).'
      : 'release: provenance can only be generated where the build is attested — GitHub Actions with ' +
          '`permissions: id-token: write` (.github/workflows/release.yml publishes once the version is merged).\n' +
          'Nothing was changed or published. To version here and let the workflow publish: ' +
          '`npm run release -- version`, commit, push. To publish from this machine anyway, without provenance: ' +
          '`npm run release -- --no-provenance`.',
  );
  process.exit(1);
}

function version() {
  step('changeset version', bin('changeset'), ['version']);
  // Internal dependencies stay `workspace:^` in the repository; pnpm publish turns them into `^VERSION`.
  const released = publicPackages().map((manifest) => `${manifest.name}@${manifest.version}`);
  console.log(`\nrelease: versions are now ${released.join(', ')}`);
}

async function publish() {
  refuseDirtyTree();
  refuseWithoutProvenance();
  const candidates = publicPackages();
  const unpublished = [];
  for (const manifest of candidates)
    if (!(await registryVersion(manifest.name, manifest.version))) unpublished.push(manifest);
  if (unpublished.length === 0) {
    console.log(
      `release: every public package's version is already on the registry (${candidates
        .map((manifest) => `${manifest.name}@${manifest.version}`)
        .join(', ')}); nothing to publish.`,
    );
    return;
  }
  console.log(`release: to publish: ${unpublished.map((m) => `${m.name}@${m.version}`).join(', ')}`);
  step('the full checks (npm test)', 'npm', ['test'], {
    onFailure: 'the checks failed; nothing was published.',
  });
  refuseDirtyTree(); // the checks must not leave anything behind that the tags would not contain
  step('changeset publish', bin('changeset'), ['publish']);
  if (provenance) {
    const missing = [];
    for (const manifest of unpublished) {
      const published = await registryVersion(manifest.name, manifest.version);
      if (!published?.dist?.attestations?.provenance) missing.push(`${manifest.name}@${manifest.version}`);
    }
    if (missing.length > 0) {
      console.error(`release: published WITHOUT a provenance attestation: ${missing.join(', ')}`);
      process.exit(1);
    }
    console.log('release: every published version has a provenance attestation');
  }
}

if (command === 'version') {
  refusePrivateOnlyChangesets(pendingChangesets());
  version();
} else if (command === 'publish') {
  await publish();
} else {
  refuseDirtyTree();
  const pending = pendingChangesets();
  if (pending.length === 0) {
    console.log(
      'release: no pending changeset in .changeset/, so there is nothing to release; nothing was published.\n' +
        'Add one with `npx pnpm@12.4.2 changeset` for each user-visible change.',
    );
    process.exit(0);
  }
  refusePrivateOnlyChangesets(pending);
  refuseWithoutProvenance(); // before anything is versioned, not after the checks
  console.log(`release: ${pending.length} pending changesets: ${pending.join(', ')}`);
  version();
  step('the full checks (npm test)', 'npm', ['test'], {
    onFailure:
      'the checks failed; nothing was committed or published. The versioned files are left for a look ' +
      '(git status); `git reset --hard && git clean -fd .changeset packages apps` undoes them.',
  });
  const released = publicPackages().map((manifest) => `${manifest.name}@${manifest.version}`);
  git('add', '--all');
  git('commit', '--quiet', '--message', `release: ${released.join(', ')}`);
  console.log(`\nrelease: committed ${git('log', '-1', '--format=%h %s')}`);
  await publish();
  console.log('\nrelease: done; push the commit and its tags: git push --follow-tags');
}
