import { describeSchema, formatIssues } from '@netra/config-schema';
import type { Deployment as DeployInput } from '@netra/deploy-manifest';
import type { NotReadSource } from '@netra/secrets-loader';
import packageJson from '../../package.json' with { type: 'json' };
import { checkDeployment, type Deployment, mergeDeployment, type SecretReadout } from '../check/check';
import type { SecretManagerClient } from '../check/read-secrets';
import type { CommandContext } from '../context';
import { loadDeployInput } from '../deploy-input';
import { envFileProblemIssue, readEnvFiles } from '../env-files';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { type JsonIssue, jsonIssue } from '../json-issue';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

/** Options of `netra-verify check`. */
export interface CheckOptions {
  /** `--env`: the environment to check, as typed (validated by the command). */
  environment: string;
  /** `--env-file`, in order; later files win. */
  envFiles: string[];
  /** `--manifest`: Cloud Run service YAML or a deploy script. */
  manifest?: string | undefined;
  /** `--service`: the service to check when the manifest deploys several. */
  service?: string | undefined;
  /** `--project`: read bound secrets and sm:// references from Secret Manager. */
  project?: string | undefined;
  /** `--format` (`--json` is `--format json`). @default 'text' */
  format: CheckFormat;
  /**
   * A Secret Manager client for `--project`'s reads (not closed), for a caller that runs many checks in one
   * process. @default one created per run, following SECRET_MANAGER_EMULATOR_HOST
   */
  secretManagerClient?: SecretManagerClient | undefined;
}

/** The report formats of `check --format` (DESIGN.md). */
export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Turns cac's parsed flags into {@link CheckOptions}; throws {@link UsageError} for a missing or repeated flag. */
export function parseCheckOptions(options: RawOptions): CheckOptions {
  const json = booleanOption(options, 'json');
  const format = stringOption(options, 'format', '--format') ?? (json ? 'json' : 'text');
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${CHECK_FORMATS.join(', ')}, got "${format}"`);
  }
  if (json && format !== 'json')
    throw new UsageError(`--json is --format json; it cannot go with --format ${format}`);
  const service = stringOption(options, 'service', '--service');
  const manifest = stringOption(options, 'manifest', '--manifest');
  if (service !== undefined && manifest === undefined) {
    throw new UsageError('--service picks a service of a --manifest; give --manifest FILE too');
  }
  return {
    environment: requiredStringOption(options, 'env', '--env', '--env staging'),
    envFiles: stringListOption(options, 'envFile', '--env-file'),
    manifest,
    service,
    project: stringOption(options, 'project', '--project'),
    format: format as CheckFormat,
  };
}

/** The `--json` shape (DESIGN.md): exactly these fields, in this order. */
export interface CheckReport {
  ok: boolean;
  environment: string;
  issues: JsonIssue[];
}

/**
 * `netra-verify check`: merges env files, a manifest and (with `--project`) Secret Manager into the environment
 * the service would start with, runs the runtime's validation and the manifest rules, and prints the report.
 * Returns 0 without errors, 1 with errors; throws {@link UsageError} (exit 2) for bad arguments or input.
 */
export async function runCheck(options: CheckOptions, io: Io, context: CommandContext): Promise<number> {
  const environment = context.environment(options.environment);
  if (options.project === '') throw new UsageError('--project needs a project id, e.g. --project my-project');

  const envFile = readEnvFiles(options.envFiles, io.cwd);
  let manifest: DeployInput | undefined;
  if (options.manifest !== undefined)
    manifest = await loadDeployInput(options.manifest, io.cwd, options.service, context.service);
  const descriptions = describeSchema(context.schema, environment);
  const deployment = mergeDeployment({
    schema: context.schema,
    environment,
    descriptions,
    envFile,
    manifest,
  });

  const referenceCount = deployment.secrets.filter(
    (secret) => deployment.origins.get(secret.variable)?.kind === 'reference',
  ).length;
  const bindingCount = deployment.secrets.length - referenceCount;
  // What --project read, for the text report's title (only the kinds there were).
  const secretsReadTitle = (project: string): string[] => {
    const parts: string[] = [];
    if (bindingCount > 0)
      parts.push(
        `${Object.keys(readout?.values ?? {}).length} of ${bindingCount} bound secrets read from project ${project}`,
      );
    if (referenceCount > 0) parts.push(`${referenceCount} sm:// references read as start-up reads them`);
    return parts.length > 0 ? parts : [`Secret Manager project ${project}`];
  };
  let readout: SecretReadout | undefined;
  if (options.project !== undefined) {
    const { readSecrets } = await import('../check/read-secrets');
    // The deploy's own bindings (the platform puts their values in the environment); sm:// references are
    // start-up's to read, and the check reads them with start-up's code (checkDeployment).
    const bindings = deployment.secrets.filter(
      (secret) => deployment.origins.get(secret.variable)?.kind !== 'reference',
    );
    readout = await readSecrets(bindings, {
      project: options.project,
      environment,
      env: io.env,
      ...(options.secretManagerClient ? { client: options.secretManagerClient } : {}),
    });
  }
  // The env files' own problems (a value cut at '#', a variable set twice, a line that is not NAME=value), as
  // every command reports them; a cut value only where that file's value is the one deployed.
  const keyOf = new Map(descriptions.map((description) => [description.variable, description.key]));
  const envFileIssues = envFile.problems
    .filter(
      (problem) =>
        problem.kind !== 'cut-at-hash' || deployment.cutAtHash.get(problem.variable) === problem.file,
    )
    .map((problem) =>
      envFileProblemIssue(problem, {
        key: keyOf.get(problem.variable) ?? '',
        reference: deployment.origins.get(problem.variable)?.kind === 'reference',
      }),
    );
  const deployRules = manifest ? await import('@netra/deploy-manifest') : undefined;
  // With --project, the bindings start-up fetches from GCP_PROJECT_ID are fetched here too, with one client.
  const ownClient =
    options.project !== undefined && !options.secretManagerClient
      ? await startupSecretsClient(deployment, io.env)
      : undefined;
  const startupClient =
    options.project !== undefined ? (options.secretManagerClient ?? ownClient) : undefined;
  let checked: Awaited<ReturnType<typeof checkDeployment>>;
  try {
    checked = await checkDeployment(deployment, readout, {
      project: options.project,
      deployRules,
      cwd: io.cwd,
      ...(options.project !== undefined ? { startupSecrets: { client: startupClient } } : {}),
    });
  } finally {
    await ownClient?.close().catch(() => {});
  }
  const issues = [...envFileIssues, ...checked.issues];
  const notReadLine = describeNotRead(checked.notRead, options.project !== undefined);
  const ok = !issues.some((issue) => issue.severity === 'error');

  if (options.format === 'json') {
    const report: CheckReport = {
      ok,
      environment,
      issues: issues.map(jsonIssue),
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (options.format !== 'text') {
    const located = issues as Array<(typeof issues)[number] & { line?: number }>;
    const report = await import('@netra/deploy-manifest');
    if (options.format === 'sarif') {
      const log = report.toSarif(located, { toolVersion: packageJson.version });
      io.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
    } else if (options.format === 'github') io.stdout.write(report.toGithubAnnotations(located));
    else {
      io.stdout.write(report.toMarkdown(located, { title: `netra-verify check --env ${environment}` }));
      if (notReadLine) io.stdout.write(`\n${notReadLine}\n`);
    }
  } else {
    const checked = [
      ...options.envFiles.map((file) => `env file ${file}`),
      ...(manifest
        ? [
            `${manifest.format === 'gcloud' ? `gcloud run deploy (${manifest.file}, line ${manifest.line})` : `Cloud Run service ${manifest.file}`}`,
          ]
        : []),
      ...(options.project === undefined ? [] : secretsReadTitle(options.project)),
    ];
    // Without env files or a manifest, the check is of an environment where nothing is set: what the schema's
    // defaults give (all of development; in staging, the list of what a deployment must provide).
    const title = `netra-verify check --env ${environment}: ${checked.length > 0 ? checked.join(', ') : 'nothing set (no --env-file or --manifest): the schema defaults only'}`;
    const color = shouldUseColor(io.stdout, io.env);
    io.stdout.write(`${formatIssues(issues, { color, title }).replace(/\n?$/, '\n')}`);
    if (notReadLine) io.stdout.write(`${notReadLine}\n`);
  }
  return ok ? EXIT_OK : EXIT_ISSUES;
}

/**
 * The one line a report gives what the check did not read: how many values, from which kinds of source, and how
 * to read them. `undefined` when everything was read.
 */
export function describeNotRead(
  notRead: Record<string, NotReadSource>,
  withProject: boolean,
): string | undefined {
  const entries = Object.entries(notRead);
  if (entries.length === 0) return undefined;
  const kinds: Record<NotReadSource['kind'], string> = {
    binding: 'Secret Manager bindings',
    reference: 'sm:// references',
    file: 'mounted files not on this machine',
    unknown: 'values set from outside the deploy input',
  };
  const counts = new Map<string, number>();
  for (const [, source] of entries) counts.set(kinds[source.kind], (counts.get(kinds[source.kind]) ?? 0) + 1);
  const parts = [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
  const secrets = entries.some(([, source]) => source.kind === 'binding' || source.kind === 'reference');
  const how = secrets && !withProject ? '; add --project PROJECT to read the secrets' : '';
  return `Not read: ${entries.length} value${entries.length === 1 ? '' : 's'} (${parts}), counted as provided and not judged${how}.`;
}

/** A Secret Manager client for the bindings start-up reads from GCP_PROJECT_ID, when there are any to read. */
async function startupSecretsClient(
  deployment: Deployment,
  env: Record<string, string | undefined>,
): Promise<SecretManagerClient | undefined> {
  const project = deployment.values.GCP_PROJECT_ID;
  const bindings =
    project !== undefined &&
    project !== '' &&
    deployment.descriptions.some((description) => description.secret !== undefined);
  const references = deployment.secrets.some(
    (secret) => deployment.origins.get(secret.variable)?.kind === 'reference',
  );
  if (!bindings && !references) return undefined;
  const { openSecretManagerClient } = await import('../check/read-secrets');
  return openSecretManagerClient(env);
}
