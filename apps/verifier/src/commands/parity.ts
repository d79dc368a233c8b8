/**
 * `netra-verify parity --env staging --env production [--manifest M]… [--env-file F]…`: the incident report's
 * "staging parity" — both environments provide the same variables in the same way (a literal, a Secret Manager
 * secret or a mounted secret file; a pinned or a `latest` version), differing only where the schema says they
 * differ (suffixed names, per-environment secret names). Every difference is a `parity-mismatch` issue.
 *
 * A manifest is any deploy input @netra/deploy-manifest reads (a Terraform folder too); one that deploys several
 * services is read for the one named by a `--service`. It is matched to its environment by an `ENV=` prefix
 * (`--manifest production=prod.yaml`), else by the `ENVIRONMENT` it sets, else by position (the first `--manifest`
 * is the first `--env`); an env file by the `ENVIRONMENT` it sets. Secrets are compared by where they are (project,
 * location, name): a binding without a project is the service's project's secret. The transport comparisons find
 * their settings by fragment role (every postgres fragment's host and sslMode, every redis fragment's tls).
 */

import {
  type ConfigSchema,
  describeSchema,
  type Environment,
  formatIssues,
  fragmentsOf,
  type Issue,
  parseSecretReference,
  type VariableDescription,
} from '@netra/config-schema';
import type { Deployment, DeployVariable } from '@netra/deploy-manifest';
import type { CommandContext } from '../context';
import { loadDeployInputs } from '../deploy-input';
import { readEnvFilesReporting } from '../env-files';
import { EXIT_ISSUES, EXIT_OK, InputError, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import { booleanOption, type RawOptions, stringListOption } from '../options';

/** Options of `parity`, after parsing. */
export interface ParityOptions {
  /** Exactly two environments, as typed. */
  environments: string[];
  /** `[ENV=]PATH` each. */
  manifests: string[];
  /** `--service`: the service to read from a manifest that deploys several (one per such manifest). */
  services: string[];
  /** Env files, each setting `ENVIRONMENT`. */
  envFiles: string[];
  json: boolean;
}

/** Parses cac's options for `parity`. */
export function parseParityOptions(raw: RawOptions): ParityOptions {
  const environments = stringListOption(raw, 'env', '--env');
  if (environments.length !== 2) {
    throw new UsageError(
      `parity compares two environments: pass --env twice, e.g. --env staging --env production (got ${environments.length})`,
    );
  }
  return {
    environments,
    manifests: stringListOption(raw, 'manifest', '--manifest'),
    services: stringListOption(raw, 'service', '--service'),
    envFiles: stringListOption(raw, 'envFile', '--env-file'),
    json: booleanOption(raw, 'json'),
  };
}

/** Where a secret is: its project (the service's when the binding names none), location (regional), name, version. */
interface ProvidedSecret {
  project?: string;
  location?: string;
  secret: string;
  version: string;
}

/** How one environment provides one logical key. */
export interface Provision {
  /** `unknown`: set, but from outside the manifest (a CI variable, a substitution, a Terraform variable). */
  kind: 'literal' | 'secret' | 'file' | 'unknown' | 'absent';
  /** The variable name that provides it (absent: the name the environment reads). */
  variable: string;
  /** The literal value for non-sensitive literals (never for a sensitive key). */
  value?: string;
  /** `unknown`: the manifest's text for it (`${{ vars.LOG_LEVEL }}`), for a non-sensitive key. */
  expression?: string;
  secret?: ProvidedSecret;
  /** Manifest or env file it comes from. */
  source?: string;
}

/** Everything one environment provides, from its manifest and env files. */
export interface EnvironmentInputs {
  environment: Environment;
  manifest?: Deployment;
  /** Literal values of the env files, with the file each came from. */
  envFileValues: Map<string, { value: string; file: string }>;
  /** Issues of reading the env files (a value cut at an unquoted `#`), by variable; a later file's value replaces. */
  envFileIssues?: Map<string, Issue>;
}

const ENV_PREFIX = /^(development|test|staging|production)=(.+)$/;

function splitPrefix(argument: string): { environment?: Environment; path: string } {
  const match = ENV_PREFIX.exec(argument);
  return match ? { environment: match[1] as Environment, path: match[2]! } : { path: argument };
}

function isPinned(version: string): boolean {
  return /^\d+$/.test(version);
}

function describeProvision(p: Provision): string {
  switch (p.kind) {
    case 'literal':
      return `a literal ${p.variable}`;
    case 'secret':
      return `${p.variable} from secret ${p.secret!.secret}:${p.secret!.version}`;
    case 'file':
      return `${p.variable} from a file mounted from secret ${p.secret!.secret}:${p.secret!.version}`;
    case 'unknown':
      return `${p.variable} set outside the manifest${p.expression === undefined ? '' : ` (${p.expression})`}`;
    case 'absent':
      return 'nothing';
  }
}

/** A binding's secret where it is: a binding that names no project reads the service's project's secret. */
function secretOf(variable: DeployVariable, manifest: Deployment): ProvidedSecret {
  const secret = variable.secret!;
  const project = secret.project ?? manifest.project;
  return { ...(project === undefined ? {} : { project }), secret: secret.name, version: secret.version };
}

function secretReferenceOf(value: string): ProvidedSecret | undefined {
  const reference = parseSecretReference(value);
  if (reference === null) return undefined;
  return {
    project: reference.project,
    ...(reference.location === undefined ? {} : { location: reference.location }),
    secret: reference.secret,
    version: reference.version,
  };
}

/** How `inputs` provides `variable` (the description of one key in that environment). */
export function provisionOf(inputs: EnvironmentInputs, variable: VariableDescription): Provision {
  const names = [variable.variable, ...variable.otherNames];
  const manifest = inputs.manifest;
  const inManifest = (name: string) => manifest?.variables.find((candidate) => candidate.name === name);
  if (manifest !== undefined) {
    for (const name of names) {
      const provided = inManifest(name);
      if (provided?.kind === 'secret' && provided.secret !== undefined)
        return {
          kind: 'secret',
          variable: name,
          secret: secretOf(provided, manifest),
          source: manifest.file,
        };
    }
    for (const name of names) {
      const provided = inManifest(`${name}_FILE`);
      if (provided?.kind === 'file' && provided.secret !== undefined)
        return { kind: 'file', variable: name, secret: secretOf(provided, manifest), source: manifest.file };
    }
    for (const name of names) {
      const provided = inManifest(name);
      if (provided?.kind === 'literal' && provided.value !== undefined) {
        const reference = secretReferenceOf(provided.value);
        if (reference !== undefined)
          return { kind: 'secret', variable: name, secret: reference, source: manifest.file };
        return {
          kind: 'literal',
          variable: name,
          ...(variable.sensitive ? {} : { value: provided.value }),
          source: manifest.file,
        };
      }
      if (provided?.kind === 'unknown') {
        return {
          kind: 'unknown',
          variable: name,
          ...(variable.sensitive || provided.expression === undefined
            ? {}
            : { expression: provided.expression }),
          source: manifest.file,
        };
      }
    }
  }
  for (const name of names) {
    const entry = inputs.envFileValues.get(name);
    if (entry !== undefined) {
      // An sm:// reference is read from Secret Manager at start-up, as a binding is: a secret, not a literal.
      const reference = secretReferenceOf(entry.value);
      if (reference !== undefined)
        return { kind: 'secret', variable: name, secret: reference, source: entry.file };
      return {
        kind: 'literal',
        variable: name,
        ...(variable.sensitive ? {} : { value: entry.value }),
        source: entry.file,
      };
    }
  }
  return { kind: 'absent', variable: variable.variable };
}

/** The secret name with its environment's suffix generalised: `jwt-secret-staging` → `jwt-secret-{env}`. */
function secretPattern(secret: string, environment: Environment): string {
  return secret.replace(new RegExp(`(^|[-_])${environment}($|[-_])`), '$1{env}$2');
}

function mismatch(key: string, variable: string, message: string, hint: string, file?: string): Issue {
  return {
    severity: 'error',
    code: 'parity-mismatch',
    key,
    variable,
    message,
    hint,
    ...(file === undefined ? {} : { file }),
  };
}

/** Compares how two environments provide every key of the schema. Pure. */
function compareEnvironments(
  schema: ConfigSchema,
  a: EnvironmentInputs,
  b: EnvironmentInputs,
): {
  issues: Issue[];
  rows: { key: string; provisions: [Provision, Provision] }[];
} {
  const describedA = new Map(describeSchema(schema, a.environment).map((v) => [v.key, v]));
  const describedB = new Map(describeSchema(schema, b.environment).map((v) => [v.key, v]));
  const issues: Issue[] = [];
  const rows: { key: string; provisions: [Provision, Provision] }[] = [];
  const envA = a.environment;
  const envB = b.environment;
  // Settings found by what their fragment is, whatever its key and prefix (the backend's database/redis, a worker's
  // billingDb): how each PostgreSQL host connects, and the transport security of each fragment.
  const socketKeys = new Set(fragmentsOf(schema, 'postgres').map((fragment) => `${fragment.key}.host`));
  const transportKeys = new Set([
    ...fragmentsOf(schema, 'postgres').map((fragment) => `${fragment.key}.sslMode`),
    ...fragmentsOf(schema, 'redis').map((fragment) => `${fragment.key}.tls`),
  ]);

  for (const [key, varA] of describedA) {
    const varB = describedB.get(key);
    // Keys one environment does not have (OAUTH_ISSUER_URL), the environment itself and Cloud Run's PORT differ by design.
    if (varB === undefined || key === 'environment' || varA.reserved || varB.reserved) continue;
    const pA = provisionOf(a, varA);
    const pB = provisionOf(b, varB);
    rows.push({ key, provisions: [pA, pB] });

    for (const [env, p, described] of [
      [envA, pA, varA],
      [envB, pB, varB],
    ] as const) {
      if (p.kind !== 'absent' && p.variable !== described.variable) {
        issues.push(
          mismatch(
            key,
            p.variable,
            `${env} provides ${key} as ${p.variable}, another environment's name; ${env} reads ${described.variable}`,
            `Rename it to ${described.variable} in ${p.source ?? `the ${env} deployment`}.`,
            p.source,
          ),
        );
      }
    }

    if (pA.kind === 'absent' || pB.kind === 'absent') {
      if (pA.kind === pB.kind) continue;
      const [present, missing, missingEnv, missingVar, missingInputs] =
        pA.kind === 'absent' ? [pB, pA, envA, varA, a] : [pA, pB, envB, varB, b];
      const presentEnv = missingEnv === envA ? envB : envA;
      const hasDefault = missingVar.default !== undefined;
      issues.push({
        ...mismatch(
          key,
          missing.variable,
          `${presentEnv} provides ${describeProvision(present)}, ${missingEnv} provides nothing for ${key}${hasDefault ? ` (it runs on the default ${missingVar.default})` : ''}`,
          present.kind === 'literal'
            ? `Set ${missingVar.variable} in ${missingEnv}'s ${missingInputs.manifest === undefined ? 'env file' : 'manifest'} too, or remove it from ${presentEnv}.`
            : `Bind ${missingVar.variable} to ${missingVar.secret?.secret ?? `its ${missingEnv} secret`} in ${missingEnv}'s manifest too.`,
          missingInputs.manifest?.file,
        ),
        severity: hasDefault ? 'warning' : 'error',
      });
      continue;
    }

    // A value set outside a manifest (a CI variable) is provided, but how is not known here: nothing to compare.
    if (pA.kind === 'unknown' || pB.kind === 'unknown') continue;

    if (pA.kind !== pB.kind) {
      issues.push(
        mismatch(
          key,
          pB.variable,
          `${key} is provided differently: ${envA} gives ${describeProvision(pA)}, ${envB} gives ${describeProvision(pB)}`,
          pA.kind !== 'literal' && pB.kind !== 'literal'
            ? // A bound variable in one, a mounted file (NAME_FILE) in the other: both secrets, read differently.
              `Read it the same way in both: as ${bothNames(varA.variable, varB.variable, '')} bound to the secret, or as a file mounted from it with ${bothNames(varA.variable, varB.variable, '_FILE')} pointing at it.`
            : varA.sensitive || varA.secret !== undefined
              ? `Bind it to Secret Manager in both (${varA.secret?.secret ?? '…'} / ${varB.secret?.secret ?? '…'}), never as a literal.`
              : `Provide ${key} the same way in both environments.`,
          pB.kind === 'literal' && varB.secret !== undefined ? pB.source : pA.source,
        ),
      );
      continue;
    }

    if ((pA.kind === 'secret' || pA.kind === 'file') && pA.secret !== undefined && pB.secret !== undefined) {
      const sA = pA.secret;
      const sB = pB.secret;
      if (isPinned(sA.version) !== isPinned(sB.version)) {
        issues.push(
          mismatch(
            key,
            pB.variable,
            `${key}: ${envA} reads version ${sA.version} of ${sA.secret}, ${envB} reads version ${sB.version} of ${sB.secret} — one is pinned, the other follows latest`,
            `Pin both to a version number, or let both follow latest, so staging tests what production runs.`,
            pB.source,
          ),
        );
      }
      // The same secret is the same name in the same project and location; one name in two projects is two secrets.
      const sameProject = sA.project === undefined || sB.project === undefined || sA.project === sB.project;
      if (sA.secret === sB.secret && sameProject && (sA.location ?? '') === (sB.location ?? '')) {
        issues.push(
          mismatch(
            key,
            pB.variable,
            `${key}: ${envA} and ${envB} read the same secret ${sA.project === undefined ? sA.secret : `projects/${sA.project}/secrets/${sA.secret}`}; each environment needs its own`,
            `Bind ${envB}'s ${pB.variable} to ${varB.secret?.secret ?? `a ${envB} secret`}.`,
            pB.source,
          ),
        );
      } else if (
        sA.secret !== sB.secret &&
        secretPattern(sA.secret, envA) !== secretPattern(sB.secret, envB)
      ) {
        issues.push(
          mismatch(
            key,
            pB.variable,
            `${key}: ${envA} reads secret ${sA.secret}, ${envB} reads ${sB.secret}; the schema names them ${varA.secret?.secret ?? '?'} and ${varB.secret?.secret ?? '?'}`,
            `Use the schema's secret names (${varA.secret?.secret ?? '?'} / ${varB.secret?.secret ?? '?'}), differing only by environment.`,
            pB.source,
          ),
        );
      }
    }

    if (pA.kind === 'literal' && socketKeys.has(key) && pA.value !== undefined && pB.value !== undefined) {
      const socketA = pA.value.startsWith('/cloudsql/');
      const socketB = pB.value.startsWith('/cloudsql/');
      if (socketA !== socketB) {
        issues.push({
          ...mismatch(
            key,
            pB.variable,
            `${key}: ${envA} connects ${socketA ? 'through the Cloud SQL socket' : 'over TCP'}, ${envB} ${socketB ? 'through the Cloud SQL socket' : 'over TCP'}`,
            'Connect the same way in both environments, so staging exercises the production path.',
            pB.source,
          ),
          severity: 'warning',
        });
      }
    }
    if (
      pA.kind === 'literal' &&
      transportKeys.has(key) &&
      pA.value !== undefined &&
      pB.value !== undefined &&
      pA.value !== pB.value
    ) {
      issues.push({
        ...mismatch(
          key,
          pB.variable,
          `${key}: ${envA} uses ${pA.variable}=${pA.value}, ${envB} uses ${pB.variable}=${pB.value}`,
          'Use the same transport security in both environments, so staging exercises the production path.',
          pB.source,
        ),
        severity: 'warning',
      });
    }
  }
  return { issues, rows };
}

function environmentSetIn(manifest: Deployment): string | undefined {
  const variable = manifest.variables.find((candidate) => candidate.name === 'ENVIRONMENT');
  return variable?.kind === 'literal' ? variable.value : undefined;
}

/**
 * The deploy of `path` parity compares: its only service, else the one a `--service` names. A manifest deploying
 * several with none (or more than one) of them named is an {@link InputError} listing them.
 */
async function readManifest(
  path: string,
  services: string[],
  environment: string | undefined,
  io: Io,
): Promise<Deployment> {
  const deployments = await loadDeployInputs(path, io.cwd);
  const names = (list: Deployment[]) => [
    ...new Set(list.map((deployment) => deployment.service ?? `(unnamed, line ${deployment.line})`)),
  ];
  if (names(deployments).length <= 1) return deployments.at(-1)!;
  const picked = deployments.filter(
    (deployment) => deployment.service !== undefined && services.includes(deployment.service),
  );
  if (names(picked).length === 1) return picked.at(-1)!;
  // One file deploying both environments (`--manifest staging=F --manifest production=F`): the one of the prefix.
  const ofEnvironment = picked.filter((deployment) => environmentSetIn(deployment) === environment);
  if (environment !== undefined && names(ofEnvironment).length === 1) return ofEnvironment.at(-1)!;
  throw new InputError(
    picked.length === 0
      ? `${path}: deploys ${names(deployments).length} services (${names(deployments).join(', ')}); pick one with --service NAME`
      : `${path}: --service names ${names(picked).length} of its services (${names(picked).join(', ')}); parity reads one per manifest`,
    { file: path },
  );
}

/** Assigns manifests and env files to the two environments (see the module comment). */
async function assignInputs(
  options: ParityOptions,
  io: Io,
  context: CommandContext,
): Promise<[EnvironmentInputs, EnvironmentInputs]> {
  const environments = options.environments.map((value) => context.environment(value)) as [
    Environment,
    Environment,
  ];
  if (environments[0] === environments[1]) {
    throw new UsageError(
      `--env ${environments[0]} was given twice: parity compares two different environments`,
    );
  }
  const inputs = environments.map((environment) => ({
    environment,
    envFileValues: new Map<string, { value: string; file: string }>(),
    envFileIssues: new Map<string, Issue>(),
  })) as [EnvironmentInputs, EnvironmentInputs];
  const byEnvironment = (environment: string | undefined) =>
    inputs.find((i) => i.environment === environment);

  const unassignedManifests: Array<{ manifest: Deployment; position: number }> = [];
  for (const [position, argument] of options.manifests.entries()) {
    const { environment, path } = splitPrefix(argument);
    const manifest = await readManifest(path, options.services, environment, io);
    const target = byEnvironment(environment ?? environmentSetIn(manifest));
    if (environment !== undefined && target === undefined) {
      throw new UsageError(`--manifest ${argument}: ${environment} is not one of the compared environments`);
    }
    if (target === undefined) unassignedManifests.push({ manifest, position });
    else if (target.manifest !== undefined) {
      throw new UsageError(
        `two manifests for ${target.environment} (${target.manifest.file}, ${manifest.file}): give one per environment`,
      );
    } else target.manifest = manifest;
  }
  for (const { manifest, position } of unassignedManifests) {
    const target = inputs.find((i) => i.manifest === undefined && inputs.indexOf(i) === position);
    const fallback = target ?? inputs.find((i) => i.manifest === undefined);
    if (fallback === undefined)
      throw new UsageError(`--manifest ${manifest.file}: both environments already have a manifest`);
    fallback.manifest = manifest;
  }

  // Env files are matched by the ENVIRONMENT they set. (No `ENV=` prefix: Node 20 reads any `--env-file X` in
  // argv as its own option and exits 9 when X is not a file — nodejs/node#54232.)
  // The schema's key of a variable, whichever of the two environments names it.
  const keyOf = new Map(
    environments.flatMap((environment) =>
      describeSchema(context.schema, environment).map((d) => [d.variable, d.key] as const),
    ),
  );
  for (const path of options.envFiles) {
    const { values, issues } = readEnvFilesReporting([path], io.cwd, (variable) => keyOf.get(variable) ?? '');
    const declared = values.ENVIRONMENT;
    const target = byEnvironment(declared);
    if (target === undefined) {
      throw new UsageError(
        declared === undefined
          ? `--env-file ${path}: cannot tell which environment it belongs to; add ENVIRONMENT=${environments[0]} (or ${environments[1]}) to it`
          : `--env-file ${path}: it sets ENVIRONMENT=${declared}, not one of the compared environments (${environments.join(', ')})`,
      );
    }
    for (const [name, value] of Object.entries(values)) {
      target.envFileValues.set(name, { value, file: path });
      const issue = issues.find((candidate) => candidate.variable === name);
      if (issue === undefined) target.envFileIssues?.delete(name);
      else target.envFileIssues?.set(name, issue);
    }
  }
  for (const input of inputs) {
    if (input.manifest === undefined && input.envFileValues.size === 0) {
      throw new UsageError(
        `nothing describes ${input.environment}: pass --manifest ${input.environment}=FILE or an --env-file for it`,
      );
    }
  }
  return inputs;
}

/** `FERNET_KEY` when both environments read one name, `JWT_SECRET_STAGING/JWT_SECRET_PRODUCTION` otherwise. */
function bothNames(a: string, b: string, suffix: string): string {
  return a === b ? `${a}${suffix}` : `${a}${suffix}/${b}${suffix}`;
}

/** Runs `parity`: 0 when the environments provide their variables the same way, 1 on a `parity-mismatch` error. */
export async function runParity(options: ParityOptions, io: Io, context: CommandContext): Promise<number> {
  const [a, b] = await assignInputs(options, io, context);
  const compared = compareEnvironments(context.schema, a, b);
  const { rows } = compared;
  // A value cut at '#' is an error, as in check: what is compared is only the part before it.
  const issues = [
    ...(a.envFileIssues?.values() ?? []),
    ...(b.envFileIssues?.values() ?? []),
    ...compared.issues,
  ];
  const ok = !issues.some((issue) => issue.severity === 'error');
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          ok,
          environments: [a.environment, b.environment],
          variables: rows.map(({ key, provisions }) => ({
            key,
            [a.environment]: provisions[0],
            [b.environment]: provisions[1],
          })),
          // DESIGN.md's six fields; the manifest or env file to fix goes into the hint.
          issues: issues.map((issue) =>
            jsonIssue(
              issue.file === undefined || issue.hint.includes(issue.file)
                ? issue
                : { ...issue, hint: `${issue.hint} (${issue.file})` },
            ),
          ),
        },
        null,
        2,
      )}\n`,
    );
    return ok ? EXIT_OK : EXIT_ISSUES;
  }
  const short = (p: Provision) =>
    p.kind === 'secret' || p.kind === 'file'
      ? `${p.kind} ${p.secret!.secret}:${p.secret!.version}`
      : p.kind === 'literal' || p.kind === 'unknown'
        ? p.kind
        : '—';
  const table = [
    ['key', a.environment, b.environment],
    ...rows.map((r) => [r.key, short(r.provisions[0]), short(r.provisions[1])]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  io.stdout.write(
    `parity: ${a.environment} vs ${b.environment}\n${table.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd()).join('\n')}\n`,
  );
  io.stdout.write(
    issues.length === 0
      ? 'Both environments provide every variable the same way.\n'
      : `\n${formatIssues(issues, { color: shouldUseColor(io.stdout, io.env), title: `parity (${a.environment} vs ${b.environment})` })}\n`,
  );
  return ok ? EXIT_OK : EXIT_ISSUES;
}
