import { netraBackendSchema } from '@netra/backend-schema';
import { describeSchema, formatIssues } from '@netra/config-schema';
import { checkDeployment, mergeDeployment, type SecretReadout } from '../check/check';
import { envFileProblemIssue, readEnvFiles } from '../env-files';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { type JsonIssue, jsonIssue } from '../json-issue';
import type { ProvidedVariables } from '../manifest/types';
import {
  booleanOption,
  environmentOption,
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
  /** `--project`: read bound secrets and sm:// references from Secret Manager. */
  project?: string | undefined;
  /** `--json`: one JSON object on stdout. */
  json: boolean;
}

/** Turns cac's parsed flags into {@link CheckOptions}; throws {@link UsageError} for a missing or repeated flag. */
export function parseCheckOptions(options: RawOptions): CheckOptions {
  return {
    environment: requiredStringOption(options, 'env', '--env', '--env staging'),
    envFiles: stringListOption(options, 'envFile', '--env-file'),
    manifest: stringOption(options, 'manifest', '--manifest'),
    project: stringOption(options, 'project', '--project'),
    json: booleanOption(options, 'json'),
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
export async function runCheck(options: CheckOptions, io: Io): Promise<number> {
  const environment = environmentOption(options.environment);
  if (options.project === '') throw new UsageError('--project needs a project id, e.g. --project my-project');

  const envFile = readEnvFiles(options.envFiles, io.cwd);
  let manifest: ProvidedVariables | undefined;
  if (options.manifest !== undefined) {
    // yaml and shell-quote load only when there is a manifest.
    const { loadManifest } = await import('../manifest/load');
    manifest = loadManifest(options.manifest, io.cwd);
  }
  const descriptions = describeSchema(netraBackendSchema, environment);
  const deployment = mergeDeployment({ environment, descriptions, envFile, manifest });

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
  const issues = [...envFileIssues, ...checkDeployment(deployment, readout, { project: options.project })];
  const ok = !issues.some((issue) => issue.severity === 'error');

  if (options.json) {
    const report: CheckReport = {
      ok,
      environment,
      issues: issues.map(jsonIssue),
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const checked = [
      ...options.envFiles.map((file) => `env file ${file}`),
      ...(manifest
        ? [
            `${manifest.kind === 'gcloud-deploy' ? `gcloud run deploy (${manifest.file}, line ${manifest.line})` : `Cloud Run service ${manifest.file}`}`,
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
