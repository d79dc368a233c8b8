/**
 * `netra-verify manifest read M [--service S] [--json]`: what a deploy input (any form @netra/deploy-manifest
 * reads, a Terraform folder too) gives the revision, variable by variable — kind, value or secret@version, and the
 * file and line that set it — with the service, Cloud SQL instances and VPC egress. No schema is read.
 *
 * Literal values are printed as the file has them, through the credential masking every other output applies: URL
 * userinfo and `password=` parts are masked, and a value that looks like a credential (a known shape, a long
 * random-looking string) or whose name says it is one (`…PASSWORD`, `…SECRET`, `…TOKEN`, `…_KEY`) is shown as a
 * fingerprint. Without a schema there is no other way to know what is sensitive, and a report is read in CI logs
 * and pull-request comments by more people than the file.
 */
import { credentialShape, fingerprint, maskCredentials } from '@netra/config-schema';
import type { Deployment, DeployVariable, ReadIssue, SecretVersionRef } from '@netra/deploy-manifest';
import { loadDeployInput } from '../deploy-input';
import { EXIT_ISSUES, EXIT_OK, UsageError } from '../errors';
import type { Io } from '../io';
import { booleanOption, type RawOptions, stringOption } from '../options';

/** Options of `manifest read`, after parsing. */
export interface ManifestReadOptions {
  /** The deploy input: a file, or a folder of Terraform files. */
  manifest: string;
  /** The service to read when the input deploys several. */
  service?: string | undefined;
  json: boolean;
}

/** Parses cac's arguments for `manifest read`. */
export function parseManifestReadOptions(manifest: unknown, raw: RawOptions): ManifestReadOptions {
  if (manifest === undefined || manifest === '') {
    throw new UsageError(
      'manifest read needs a deploy input: netra-verify manifest read deploy.sh (a service YAML, a script, cloudbuild.yaml, a workflow, .tf files or a folder of them)',
    );
  }
  return {
    manifest: String(manifest),
    service: stringOption(raw, 'service', '--service'),
    json: booleanOption(raw, 'json'),
  };
}

/** One variable as `manifest read --json` prints it (DESIGN.md), plus `redacted` where the value is not shown. */
interface ReadVariable {
  name: string;
  kind: DeployVariable['kind'];
  /** The literal (credentials masked) or, for `file`, the mount path; absent when `redacted`. */
  value?: string;
  /** Why the literal is not shown, with its fingerprint: `a JWT (fingerprint 1a2b3c4d)`. */
  redacted?: string;
  secret?: SecretVersionRef;
  default?: string;
  /** The text the input has for an `unknown` value. */
  expression?: string;
  file: string;
  line: number;
}

// A name that says its value is a credential. Without a schema, the name and the value's shape are all there is.
const SENSITIVE_NAME = /(?:PASS(?:WORD|WD)?|SECRET|TOKEN|(?:^|_)(?:API_?)?KEY|PRIVATE|CREDENTIALS?)(?:_|$)/i;

/** How a literal of `name` may be shown: the value with credentials masked, or why it is not. */
function shownLiteral(name: string, value: string): { value: string } | { redacted: string } {
  const shape = credentialShape(value);
  if (shape !== undefined) return { redacted: `${shape} (fingerprint ${fingerprint(value)})` };
  if (SENSITIVE_NAME.test(name) && value !== '') {
    return { redacted: `a value named as a credential (fingerprint ${fingerprint(value)})` };
  }
  // A PEM block, binary or very long text: not for a terminal line.
  if (!/^[^\u0000-\u001f\u007f]{0,500}$/.test(value)) {
    return {
      redacted: `${value.length} characters, not printable on one line (fingerprint ${fingerprint(value)})`,
    };
  }
  return { value: maskCredentials(value) };
}

/** The variables of `deployment` as `--json` prints them. */
function readVariables(deployment: Deployment): ReadVariable[] {
  return deployment.variables.map((variable) => {
    const shown =
      variable.kind === 'literal' && variable.value !== undefined
        ? shownLiteral(variable.name, variable.value)
        : variable.value === undefined
          ? {}
          : { value: variable.value };
    return {
      name: variable.name,
      kind: variable.kind,
      ...shown,
      ...(variable.secret === undefined ? {} : { secret: variable.secret }),
      ...(variable.default === undefined ? {} : { default: maskCredentials(variable.default) }),
      ...(variable.expression === undefined ? {} : { expression: maskCredentials(variable.expression) }),
      file: variable.file,
      line: variable.line,
    };
  });
}

/** `jwt-secret@3`, `projects/p/secrets/jwt-secret@latest`. */
function secretText(secret: SecretVersionRef): string {
  return `${secret.project === undefined ? '' : `projects/${secret.project}/secrets/`}${secret.name}@${secret.version}`;
}

function serviceText(deployment: Deployment): string {
  const expression = deployment.serviceExpression;
  if (deployment.service === undefined) {
    return expression === undefined
      ? '(not named)'
      : `(not known here: ${expression}, set outside the input)`;
  }
  return expression === undefined
    ? deployment.service
    : `${deployment.service} (the default of ${expression}, unless the run overrides it)`;
}

function vpcText(deployment: Deployment): string {
  if (deployment.vpcEgress === 'unknown') return 'unknown (the input does not say)';
  if (!deployment.vpcEgress) return 'none (private addresses are unreachable)';
  return `yes${deployment.vpcEgressSetting === undefined ? '' : ` (${deployment.vpcEgressSetting})`}`;
}

function valueText(variable: ReadVariable): string {
  switch (variable.kind) {
    case 'literal':
      return variable.redacted === undefined
        ? JSON.stringify(variable.value ?? '')
        : `[${variable.redacted}]`;
    case 'secret':
      return variable.secret === undefined ? '?' : secretText(variable.secret);
    case 'file':
      return `${variable.value ?? '?'} ← ${variable.secret === undefined ? '?' : secretText(variable.secret)}`;
    case 'unknown':
      return `${variable.expression ?? '(set outside the input)'}${variable.default === undefined ? '' : ` (default ${JSON.stringify(variable.default)})`}`;
  }
}

function issueLine(issue: ReadIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return `  ${issue.severity} ${issue.code}${issue.variable === '' ? '' : ` ${issue.variable}`}: ${maskCredentials(issue.message)} (${where})${issue.hint === '' ? '' : `\n    ${maskCredentials(issue.hint)}`}`;
}

/** The text report of one deployment. */
function renderDeployment(deployment: Deployment): string {
  const variables = readVariables(deployment);
  const lines = [
    `${deployment.file}:${deployment.line} (${deployment.format}, ${deployment.update === 'merge' ? 'updates the existing service' : 'replaces the service spec'})`,
    `  service     ${serviceText(deployment)}`,
    ...(deployment.project === undefined ? [] : [`  project     ${deployment.project}`]),
    ...(deployment.region === undefined ? [] : [`  region      ${deployment.region}`]),
    ...(deployment.image === undefined ? [] : [`  image       ${maskCredentials(deployment.image)}`]),
    `  Cloud SQL   ${deployment.cloudSqlInstances.length === 0 ? 'none' : deployment.cloudSqlInstances.join(', ')}`,
    `  VPC egress  ${vpcText(deployment)}`,
    '',
    `variables (${variables.length}):`,
  ];
  const nameWidth = Math.max(0, ...variables.map((v) => v.name.length));
  for (const variable of variables) {
    lines.push(
      `  ${variable.name.padEnd(nameWidth)}  ${variable.kind.padEnd(7)}  ${valueText(variable)}  ${variable.file}:${variable.line}`,
    );
  }
  const unbound = deployment.mounts.filter(
    (mount) => !deployment.variables.some((v) => v.kind === 'file' && v.value === mount.path),
  );
  if (unbound.length > 0) {
    lines.push('', `secret files no variable points at (${unbound.length}):`);
    for (const mount of unbound) {
      lines.push(`  ${mount.path} ← ${secretText(mount.secret)}  ${mount.file}:${mount.line}`);
    }
  }
  if (deployment.issues.length > 0) {
    lines.push('', `issues of the input (${deployment.issues.length}):`, ...deployment.issues.map(issueLine));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `manifest read`: 0 when the input reads without an error-level issue of its own (warnings such as
 * `unresolved-flags` allowed), 1 otherwise; an input it cannot read is exit 2 (one line naming the file).
 */
export async function runManifestRead(options: ManifestReadOptions, io: Io): Promise<number> {
  const deployment = await loadDeployInput(options.manifest, io.cwd, options.service);
  const ok = !deployment.issues.some((issue) => issue.severity === 'error');
  if (options.json) {
    const report = {
      ok,
      format: deployment.format,
      file: deployment.file,
      line: deployment.line,
      service: deployment.service ?? null,
      ...(deployment.serviceExpression === undefined
        ? {}
        : { serviceExpression: deployment.serviceExpression }),
      ...(deployment.project === undefined ? {} : { project: deployment.project }),
      ...(deployment.region === undefined ? {} : { region: deployment.region }),
      ...(deployment.image === undefined ? {} : { image: maskCredentials(deployment.image) }),
      update: deployment.update,
      cloudSqlInstances: deployment.cloudSqlInstances,
      vpcEgress: deployment.vpcEgress,
      ...(deployment.vpcEgressSetting === undefined ? {} : { vpcEgressSetting: deployment.vpcEgressSetting }),
      variables: readVariables(deployment),
      mounts: deployment.mounts,
      issues: deployment.issues.map((issue) => ({
        ...issue,
        message: maskCredentials(issue.message),
        hint: maskCredentials(issue.hint),
      })),
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout.write(renderDeployment(deployment));
  }
  return ok ? EXIT_OK : EXIT_ISSUES;
}
