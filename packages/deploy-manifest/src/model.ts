/**
 * The deployment: what a Cloud Run revision sees, read from one deploy input. Every reader (service YAML, a
 * `gcloud run deploy` script, and later Cloud Build, GitHub Actions, Terraform) produces this model, and every
 * view — the check, parity, `manifest generate`, probe — works on it.
 */

/** A Secret Manager secret version a deployment reads. */
export interface SecretVersionRef {
  /** Set only when the input names the project (`projects/P/secrets/S`); otherwise the service's project. */
  project?: string;
  /** Secret ID, e.g. `jwt-secret-staging`. */
  name: string;
  /** `latest` or a version number. */
  version: string;
}

/**
 * How a variable gets its value:
 * - `literal`: known from the file (`value`);
 * - `secret`: a Secret Manager binding as an env var (`secret`);
 * - `file`: a `NAME_FILE`-style variable whose `value` is the path of a mounted secret file (`secret`);
 * - `unknown`: set, but the value comes from outside the file — an unset shell variable, `$(…)`, a CI expression,
 *   a branch. `default` holds the text of a `${VAR:-default}`; `expression` the text the file has there.
 */
export type VariableKind = 'literal' | 'secret' | 'file' | 'unknown';

/** One environment variable of the revision, with the place in the input that sets it. */
export interface DeployVariable {
  name: string;
  kind: VariableKind;
  /** The value (`literal`), or the mount path (`file`). */
  value?: string;
  /** The secret (`secret`, `file`). */
  secret?: SecretVersionRef;
  /** What the value would be when the outside source is unset (`unknown` with `${VAR:-default}`). */
  default?: string;
  /** The input's text for an `unknown` value, e.g. `${DB_HOST:-localhost}` or `$(gcloud …)`. */
  expression?: string;
  /** The file that sets it (the input, or an `--env-vars-file` it names). */
  file: string;
  /** 1-based line in `file`. */
  line: number;
}

/** A secret mounted as a file, whether or not a `NAME_FILE` variable points at it. */
export interface SecretMount {
  path: string;
  secret: SecretVersionRef;
  file: string;
  line: number;
}

/** Something the reader noticed that a check should report, located in the input. */
export interface ReadIssue {
  severity: 'error' | 'warning';
  /** `unresolved-flags`, `invalid`, `misplaced-annotation`, … (stable codes, see the README). */
  code: string;
  /** The variable concerned, or `''`. */
  variable: string;
  message: string;
  hint: string;
  file: string;
  line?: number;
}

/** What one deploy gives one Cloud Run service's revision. */
export interface Deployment {
  /** The reader that read it (`cloud-run-yaml`, `gcloud`). */
  format: string;
  /** The input as the user named it. */
  file: string;
  /** 1-based line where the deploy is (the Service document, the `gcloud run deploy` command). */
  line: number;
  /**
   * Service name, when the input gives it; for a name set outside the input with a default (`$_SERVICE` with a
   * value under Cloud Build's `substitutions:`, `${SERVICE:-api}`), that default.
   */
  service?: string;
  /** The input's text for a service name that comes from outside the input (`$_SERVICE`, `${{ env.SERVICE }}`). */
  serviceExpression?: string;
  /** Project, when the input gives it (`--project`, the YAML's namespace). */
  project?: string;
  /** Region, when the input gives it. */
  region?: string;
  /** Container image, when given. */
  image?: string;
  /** Names of the containers; the first is the ingress (serving) one, whose environment `variables` are. */
  containers: string[];
  /** The ingress container's environment, in the order the input gives it; one entry per name (the last wins). */
  variables: DeployVariable[];
  /** Secrets mounted as files. */
  mounts: SecretMount[];
  /** Cloud SQL instance connection names attached (`PROJECT:REGION:INSTANCE`). */
  cloudSqlInstances: string[];
  /** True when the input attaches an instance whose name comes from outside it (no default): not in the list. */
  cloudSqlUnknown?: boolean;
  /** Whether the revision reaches private addresses (connector or Direct VPC egress); `unknown` when the input cannot say. */
  vpcEgress: boolean | 'unknown';
  /** `all-traffic` or `private-ranges-only`, when given. */
  vpcEgressSetting?: string;
  /** How an update treats what the existing service has: `replace` (a full spec) or `merge` (`--update-*` flags). */
  update: 'replace' | 'merge';
  /** Problems of the input itself: arguments the reader cannot resolve, values gcloud refuses, … */
  issues: ReadIssue[];
}

/** The variable `name` of the deployment, if it sets it. */
export function variableOf(deployment: Deployment, name: string): DeployVariable | undefined {
  return deployment.variables.find((variable) => variable.name === name);
}

/**
 * The names the revision is given a value for: every variable, and `NAME` for each `NAME_FILE` that points at a
 * mounted secret (the loader's file source reads it as `NAME`).
 */
export function providedNames(deployment: Deployment): Set<string> {
  const names = new Set<string>();
  for (const variable of deployment.variables) {
    names.add(variable.name);
    if (variable.kind === 'file' && variable.name.endsWith('_FILE')) names.add(variable.name.slice(0, -5));
  }
  return names;
}
