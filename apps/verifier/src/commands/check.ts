import { describeSchema, formatIssues } from '@netra/config-schema';
import type { Deployment as DeployInput } from '@netra/deploy-manifest';
import packageJson from '../../package.json' with { type: 'json' };
import { checkDeployment, mergeDeployment, type SecretReadout } from '../check/check';
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

  let readout: SecretReadout | undefined;
  if (options.project !== undefined) {
    const { readSecrets } = await import('../check/read-secrets');
    readout = await readSecrets(deployment.secrets, { project: options.project, environment, env: io.env });
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
  const issues = [
    ...envFileIssues,
    ...checkDeployment(deployment, readout, { project: options.project, deployRules }),
  ];
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
    else io.stdout.write(report.toMarkdown(located, { title: `netra-verify check --env ${environment}` }));
  } else {
    const checked = [
      ...options.envFiles.map((file) => `env file ${file}`),
      ...(manifest
        ? [
            `${manifest.format === 'gcloud' ? `gcloud run deploy (${manifest.file}, line ${manifest.line})` : `Cloud Run service ${manifest.file}`}`,
          ]
        : []),
      ...(options.project === undefined
        ? deployment.secrets.length > 0
          ? [`${deployment.secrets.length} secret bindings unchecked (add --project to read them)`]
          : []
        : [
            `${Object.keys(readout?.values ?? {}).length} of ${deployment.secrets.length} bound secrets read from project ${options.project}`,
          ]),
    ];
    // Without env files or a manifest, the check is of an environment where nothing is set: what the schema's
    // defaults give (all of development; in staging, the list of what a deployment must provide).
    const title = `netra-verify check --env ${environment}: ${checked.length > 0 ? checked.join(', ') : 'nothing set (no --env-file or --manifest): the schema defaults only'}`;
    const color = shouldUseColor(io.stdout, io.env);
    io.stdout.write(`${formatIssues(issues, { color, title }).replace(/\n?$/, '\n')}`);
  }
  return ok ? EXIT_OK : EXIT_ISSUES;
}
