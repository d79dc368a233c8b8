/**
 * `netra-verify secrets audit` and `netra-verify secrets push`: the Secret Manager side of a deploy, on
 * secrets-loader's `auditSecrets` and `pushSecrets`. Values are never printed: a secret is shown by its
 * fingerprint (first 8 hex of its SHA-256). `SECRET_MANAGER_EMULATOR_HOST` points the client at the emulator.
 */
import { describeSchema, formatIssues, type Issue } from '@netra/config-schema';
import { auditSecrets, createSecretManagerClient, pushSecrets } from '@netra/secrets-loader';
import type { CommandContext } from '../context';
import { readEnvFilesReporting } from '../env-files';
import { EXIT_ISSUES, EXIT_OK, InputError, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import { booleanOption, type RawOptions, requiredStringOption, stringOption } from '../options';

/** Options of `secrets audit`, after parsing. */
export interface SecretsAuditOptions {
  environment: string;
  /** `--project`; when not given, `projects[environment]` of netra.config (see {@link requireProject}). */
  project: string | undefined;
  /** The location of regional secrets (`--location`); undefined for global secrets. */
  location: string | undefined;
  /** The runtime service account whose read access is checked (`access` in the report). */
  serviceAccount: string | undefined;
  json: boolean;
}

/** Options of `secrets push`, after parsing. */
export interface SecretsPushOptions {
  environment: string;
  /** `--project`; when not given, `projects[environment]` of netra.config (see {@link requireProject}). */
  project: string | undefined;
  /** The location of regional secrets (`--location`); undefined for global secrets. */
  location: string | undefined;
  /** A dotenv file of `VARIABLE=value` lines (variable names as the environment reads them). */
  fromFile: string;
  apply: boolean;
  json: boolean;
}

/** `--location L`: a location ID such as europe-west1 (regional secrets), or undefined for global secrets. */
function locationOption(raw: RawOptions): string | undefined {
  const location = stringOption(raw, 'location', '--location');
  if (location !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(location)) {
    throw new UsageError(
      `--location must be a location ID such as europe-west1 (lowercase letters, digits and hyphens), got "${location}".`,
    );
  }
  return location;
}

/** Parses cac's options for `secrets audit`. */
export function parseSecretsAuditOptions(raw: RawOptions): SecretsAuditOptions {
  return {
    environment: requiredStringOption(raw, 'env', '--env', '--env staging'),
    project: stringOption(raw, 'project', '--project'),
    location: locationOption(raw),
    serviceAccount: stringOption(raw, 'serviceAccount', '--service-account'),
    json: booleanOption(raw, 'json'),
  };
}

/** Parses cac's options for `secrets push`. */
export function parseSecretsPushOptions(raw: RawOptions): SecretsPushOptions {
  return {
    environment: requiredStringOption(raw, 'env', '--env', '--env staging'),
    project: stringOption(raw, 'project', '--project'),
    location: locationOption(raw),
    fromFile: requiredStringOption(raw, 'fromFile', '--from-file', '--from-file secrets.staging.env'),
    apply: booleanOption(raw, 'apply'),
    json: booleanOption(raw, 'json'),
  };
}

/** `--project`, else the environment's project in netra.config; neither is exit 2 saying both ways. */
function requireProject(
  context: CommandContext,
  environment: string,
  flag: string | undefined,
  command: string,
): string {
  if (flag === '') throw new UsageError('--project needs a project id, e.g. --project my-gcp-project');
  const project = context.project(environment, flag);
  if (project !== undefined) return project;
  const where = context.configFile
    ? `, or add ${environment} to projects in ${context.schemaSource} (projects: { ${environment}: 'my-gcp-project' })`
    : ', or name it in a netra.config (projects: { ENV: PROJECT })';
  throw new UsageError(`${command}: --project is required, e.g. --project my-gcp-project${where}`);
}

async function openClient(io: Io, location: string | undefined) {
  const emulatorHost = io.env.SECRET_MANAGER_EMULATOR_HOST?.trim();
  try {
    // A regional secret is served by its location's endpoint (secretmanager.L.rep.googleapis.com).
    return await createSecretManagerClient({
      ...(emulatorHost ? { emulatorHost } : {}),
      ...(location === undefined ? {} : { location }),
    });
  } catch (error) {
    throw new UsageError(`cannot create the Secret Manager client: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd())
    .join('\n');
}

/** Runs `secrets audit`: 0 when every bound secret is present, enabled, valid (and readable), else 1. */
export async function runSecretsAudit(
  options: SecretsAuditOptions,
  io: Io,
  context: CommandContext,
): Promise<number> {
  const environment = context.environment(options.environment);
  const project = requireProject(context, environment, options.project, 'secrets audit');
  const client = await openClient(io, options.location);
  try {
    const report = await auditSecrets(context.schema, {
      environment,
      projectId: project,
      ...(options.location === undefined ? {} : { location: options.location }),
      ...(options.serviceAccount === undefined ? {} : { serviceAccount: options.serviceAccount }),
      client,
    });
    const ok = !hasErrors(report.issues);
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ ok, environment, project, secrets: report.secrets, issues: report.issues.map(jsonIssue) }, null, 2)}\n`,
      );
      return ok ? EXIT_OK : EXIT_ISSUES;
    }
    const flagged = new Set(report.issues.map((issue) => issue.variable));
    const rows = report.secrets.map((entry) => [
      entry.variable,
      `${entry.secret}:${entry.version}`,
      // exists is null when Secret Manager did not answer (unreachable, credentials refused): not "missing".
      entry.exists === null
        ? 'not checked'
        : !entry.exists
          ? 'missing'
          : entry.enabledVersions === 0
            ? 'no enabled version'
            : flagged.has(entry.variable)
              ? 'problem'
              : 'ok',
      entry.fingerprint === undefined ? '' : `fingerprint ${entry.fingerprint}`,
      entry.access === undefined || entry.access === 'not-checked' ? '' : `access ${entry.access}`,
    ]);
    io.stdout.write(
      `secrets audit: ${environment}, project ${project}, ${report.secrets.length} bound secrets\n${table(rows)}\n`,
    );
    if (report.issues.length > 0) {
      io.stdout.write(
        `\n${formatIssues(report.issues, { color: shouldUseColor(io.stdout, io.env), title: `secrets audit (${environment})` })}\n`,
      );
    } else {
      io.stdout.write('No problems found.\n');
    }
    return ok ? EXIT_OK : EXIT_ISSUES;
  } finally {
    await client.close().catch(() => {});
  }
}

/** `secrets push` refused before anything was written: the --from-file's problems, a plan that applied nothing. */
function refuseFile(
  options: SecretsPushOptions,
  project: string,
  environment: string,
  issues: Issue[],
  io: Io,
): number {
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: false, environment, project, applied: false, actions: [], issues: issues.map(jsonIssue) }, null, 2)}\n`,
    );
    return EXIT_ISSUES;
  }
  io.stdout.write(
    `secrets push: nothing applied — ${options.fromFile} has ${issues.length === 1 ? 'a problem' : `${issues.length} problems`} to fix first (no secret was read or written)\n\n${formatIssues(issues, { color: shouldUseColor(io.stdout, io.env), title: `secrets push (${environment}): ${options.fromFile}` })}\n`,
  );
  return EXIT_ISSUES;
}

const ACTION_TEXT: Record<string, string> = {
  'create-secret-and-version': 'create',
  'add-version': 'add version',
  unchanged: 'unchanged',
  refused: 'REFUSED',
};

/** Runs `secrets push`: prints the plan (and applies it with `--apply`); 1 when a value is refused. */
export async function runSecretsPush(
  options: SecretsPushOptions,
  io: Io,
  context: CommandContext,
): Promise<number> {
  const environment = context.environment(options.environment);
  const project = requireProject(context, environment, options.project, 'secrets push');
  // The one env-file reader: an unreadable, non-UTF-8 or oversized file is exit 2 naming it; a value cut at an
  // unquoted '#', a variable set twice, a line that is not NAME=value stop the push before Secret Manager is asked.
  const keyOf = new Map(
    describeSchema(context.schema, environment).map((description) => [description.variable, description.key]),
  );
  const { values, issues: fileIssues } = readEnvFilesReporting(
    [options.fromFile],
    io.cwd,
    (variable) => keyOf.get(variable) ?? '',
    '--from-file',
  );
  if (fileIssues.length > 0) return refuseFile(options, project, environment, fileIssues, io);
  if (Object.keys(values).length === 0) {
    throw new InputError(`--from-file ${options.fromFile}: no VARIABLE=value lines found`, {
      file: options.fromFile,
    });
  }
  const client = await openClient(io, options.location);
  try {
    const plan = await pushSecrets(context.schema, {
      environment,
      projectId: project,
      ...(options.location === undefined ? {} : { location: options.location }),
      values,
      apply: options.apply,
      client,
    });
    const ok = plan.ok && !hasErrors(plan.issues);
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ ok, environment, project, applied: plan.applied, actions: plan.actions, issues: plan.issues.map(jsonIssue) }, null, 2)}\n`,
      );
      return ok ? EXIT_OK : EXIT_ISSUES;
    }
    const changes = plan.actions.filter(
      (a) => a.action === 'create-secret-and-version' || a.action === 'add-version',
    );
    const heading = plan.applied
      ? `secrets push: applied ${changes.length} change(s) in project ${project} (${environment})`
      : `secrets push (plan, nothing changed): ${changes.length} change(s) for project ${project} (${environment})`;
    const rows = plan.actions.map((a) => [
      ACTION_TEXT[a.action] ?? a.action,
      a.secret,
      `from ${a.variable}`,
      `fingerprint ${a.fingerprint}`,
    ]);
    io.stdout.write(`${heading}\n${rows.length > 0 ? `${table(rows)}\n` : ''}`);
    if (plan.issues.length > 0) {
      io.stdout.write(
        `\n${formatIssues(plan.issues, { color: shouldUseColor(io.stdout, io.env), title: `secrets push (${environment})` })}\n`,
      );
    }
    if (!plan.applied && changes.length > 0 && ok) {
      io.stdout.write('Run again with --apply to make these changes.\n');
    }
    return ok ? EXIT_OK : EXIT_ISSUES;
  } finally {
    await client.close().catch(() => {});
  }
}
