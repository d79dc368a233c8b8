/**
 * The deploy rules: what a deployment must give a revision of a schema, as a list of rules over the one
 * {@link Deployment} model. A rule names no service: it reads the schema's variable descriptions.
 */
import {
  classifyHost,
  type Issue,
  isSecretReference,
  parseSecretReference,
  type VariableDescription,
} from '@netra/config-schema';
import type { Deployment, DeployVariable } from './model.ts';
import { providedNames } from './model.ts';

/** An issue located in the deploy input: config-schema's issue with the line of the setting. */
export type DeployIssue = Issue & { line?: number };

/** What a deploy rule is given. */
export interface DeployRuleContext {
  deployment: Deployment;
  /** The environment checked. */
  environment: string;
  /** Whether the environment is of the deployed tier (staging, production, …): hosts and secrets are judged. */
  deployed: boolean;
  /** Every variable the schema allows in `environment` (config-schema's `describeSchema`). */
  variables: readonly VariableDescription[];
  /** The variables that hold a host (the postgres and redis fragments' hosts). @default keys ending in `.host` */
  hostVariables?: readonly string[];
  /** The project of bindings that name none (`--project`), else the deployment's. */
  project?: string | undefined;
  /**
   * Validates one value of the schema (config-schema's `validateValue`), to say what a `${VAR:-default}` would do.
   * Without it, unknown values are reported without judging their defaults.
   */
  validate?: (variable: string, value: string) => Issue[];
}

/** One deploy rule; its `code` is the issue code it reports. */
export interface DeployRule {
  code: string;
  check(context: DeployRuleContext): DeployIssue[];
}

interface FixHints {
  binding(variable: string, secret: string, version: string): string;
  literal(variable: string, example: string): string;
  cloudSql(instance: string, misplaced: boolean): string;
  vpcEgress(misplaced: boolean): string;
}

const YAML_HINTS: FixHints = {
  binding: (variable, secret, version) =>
    `add to the container's env: { name: ${variable}, valueFrom: { secretKeyRef: { name: ${secret}, key: '${version}' } } }`,
  literal: (variable, example) => `add to the container's env: { name: ${variable}, value: '${example}' }`,
  cloudSql: (instance, misplaced) =>
    `${misplaced ? 'Move' : 'Add'} the annotation run.googleapis.com/cloudsql-instances: ${instance} to spec.template.metadata.annotations${misplaced ? " (in the service's metadata.annotations Cloud Run does not apply it)" : ''}.`,
  vpcEgress: (misplaced) =>
    misplaced
      ? "Move run.googleapis.com/vpc-access-connector or run.googleapis.com/network-interfaces from the service's metadata.annotations, where Cloud Run does not apply it, to spec.template.metadata.annotations."
      : 'Add the annotation run.googleapis.com/network-interfaces (Direct VPC egress) or run.googleapis.com/vpc-access-connector to spec.template.metadata.annotations.',
};

const GCLOUD_HINTS: FixHints = {
  binding: (variable, secret, version) =>
    `add --update-secrets=${variable}=${secret}:${version} to the deploy command`,
  literal: (variable, example) => `add --update-env-vars=${variable}=${example} to the deploy command`,
  cloudSql: (instance) => `Add --add-cloudsql-instances=${instance} to the deploy command.`,
  vpcEgress: () =>
    'Add --network=NETWORK --subnet=SUBNET (Direct VPC egress) or --vpc-connector=CONNECTOR to the deploy command.',
};

const TERRAFORM_HINTS: FixHints = {
  binding: (variable, secret, version) =>
    `add to the container: env { name = "${variable}" value_source { secret_key_ref { secret = "${secret}" version = "${version}" } } }`,
  literal: (variable, example) => `add to the container: env { name = "${variable}" value = "${example}" }`,
  cloudSql: (instance) =>
    `Add to the template: volumes { name = "cloudsql" cloud_sql_instance { instances = ["${instance}"] } }, mounted at /cloudsql.`,
  vpcEgress: () =>
    'Add to the template: vpc_access { network_interfaces { network = NETWORK subnetwork = SUBNET } } (Direct VPC egress) or vpc_access { connector = CONNECTOR }.',
};

/** How to fix a finding in each format's own words; a format without an entry gets the service YAML's. */
const HINTS: Record<string, FixHints> = {
  'cloud-run-yaml': YAML_HINTS,
  gcloud: GCLOUD_HINTS,
  cloudbuild: GCLOUD_HINTS,
  'github-actions': GCLOUD_HINTS,
  terraform: TERRAFORM_HINTS,
};

function hintsFor(deployment: Deployment): FixHints {
  return HINTS[deployment.format] ?? YAML_HINTS;
}

function capitalise(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

function descriptionOf(context: DeployRuleContext, name: string): VariableDescription | undefined {
  return context.variables.find((description) => description.variable === name);
}

function at(variable: DeployVariable): { file: string; line: number } {
  return { file: variable.file, line: variable.line };
}

/** `manifest-missing`: a variable required in this environment (no default) that the deployment does not give. */
export const manifestMissingRule: DeployRule = {
  code: 'manifest-missing',
  check(context) {
    const { deployment, environment } = context;
    const provided = providedNames(deployment);
    const hints = hintsFor(deployment);
    const issues: DeployIssue[] = [];
    for (const description of context.variables) {
      const { variable } = description;
      const required =
        (description.required && description.default === undefined) ||
        (context.deployed && variable === 'ENVIRONMENT');
      if (!required || description.reserved || provided.has(variable)) continue;
      const setInstead = [...provided].find((name) => description.otherNames.includes(name));
      const version = environment === 'production' ? 'N' : (description.secret?.version ?? 'latest');
      const fix = description.secret
        ? hints.binding(variable, description.secret.secret, version)
        : hints.literal(variable, variable === 'ENVIRONMENT' ? environment : (description.example ?? '…'));
      issues.push({
        severity: 'error',
        code: 'manifest-missing',
        key: description.key,
        variable,
        message: `${variable} is required in ${environment}, but ${deployment.file} does not provide it${setInstead ? ` (it sets ${setInstead}, which ${environment} does not read)` : ''}.`,
        hint: `${capitalise(fix)}.`,
        file: deployment.file,
        line: deployment.line,
      });
    }
    return issues;
  },
};

/** `manifest-plaintext-secret`: a sensitive variable given as a plain value, readable by anyone who can view the service. */
export const plaintextSecretRule: DeployRule = {
  code: 'manifest-plaintext-secret',
  check(context) {
    const { deployment, environment } = context;
    const hints = hintsFor(deployment);
    return deployment.variables.flatMap((variable) => {
      const description = descriptionOf(context, variable.name);
      if (description?.sensitive !== true || variable.kind !== 'literal') return [];
      if (isSecretReference(variable.value ?? '')) return [];
      const secret = description.secret?.secret ?? variable.name.toLowerCase().replaceAll('_', '-');
      return [
        {
          severity: 'error' as const,
          code: 'manifest-plaintext-secret' as const,
          key: description.key,
          variable: variable.name,
          message: `${variable.name} is a secret, but ${deployment.file} sets it as a plain value, readable by anyone who can view the service.`,
          hint: `Store it in Secret Manager as ${secret} and bind it instead: ${hints.binding(variable.name, secret, environment === 'production' ? 'N' : 'latest')}.`,
          ...at(variable),
        },
      ];
    });
  },
};

/** "A and B are both", "A, B and C are all 3". */
function sharedBy(variables: readonly string[]): string {
  if (variables.length === 2) return `${variables[0]} and ${variables[1]} are both`;
  return `${variables.slice(0, -1).join(', ')} and ${variables.at(-1)} are all ${variables.length}`;
}

/** `manifest-shared-secret`: two variables bound to one secret receive the same value. */
export const sharedSecretRule: DeployRule = {
  code: 'manifest-shared-secret',
  check(context) {
    const { deployment } = context;
    const bySecret = new Map<string, DeployVariable[]>();
    for (const variable of deployment.variables) {
      if (variable.kind !== 'secret' || !variable.secret) continue;
      const id = `${variable.secret.project ?? context.project ?? deployment.project ?? ''}/${variable.secret.name}`;
      bySecret.set(id, [...(bySecret.get(id) ?? []), variable]);
    }
    const issues: DeployIssue[] = [];
    for (const [id, variables] of bySecret) {
      if (variables.length < 2) continue;
      const names = variables.map((variable) => variable.name);
      for (const variable of variables) {
        const description = descriptionOf(context, variable.name);
        const own = description?.secret?.secret;
        issues.push({
          severity: 'error',
          code: 'manifest-shared-secret',
          key: description?.key ?? '',
          variable: variable.name,
          message: `${sharedBy(names)} bound to the one secret ${id.slice(id.indexOf('/') + 1)}, so they receive the same value.`,
          hint: own
            ? `Bind ${variable.name} to its own secret ${own} (store just that value in it).`
            : `Bind ${variable.name} to a secret of its own.`,
          ...at(variable),
        });
      }
    }
    return issues;
  },
};

function hostVariables(context: DeployRuleContext): DeployVariable[] {
  const names =
    context.hostVariables ??
    context.variables.filter((description) => description.key.endsWith('.host')).map((d) => d.variable);
  return context.deployment.variables.filter(
    (variable) => variable.kind === 'literal' && names.includes(variable.name),
  );
}

const misplacedAnnotation = (deployment: Deployment, key: string) =>
  deployment.issues.some((issue) => issue.code === 'misplaced-annotation' && issue.message.includes(key));

/** `manifest-cloudsql-missing`: a `/cloudsql/` host whose instance the deploy does not attach. */
export const cloudSqlMissingRule: DeployRule = {
  code: 'manifest-cloudsql-missing',
  check(context) {
    const { deployment } = context;
    return hostVariables(context).flatMap((variable) => {
      const host = classifyHost(variable.value!);
      if (host.kind !== 'cloud-sql-socket' || deployment.cloudSqlInstances.includes(host.instance)) return [];
      // An instance named from outside the input may be this one: said as a warning, not an error.
      const maybe = deployment.cloudSqlUnknown === true;
      return [
        {
          severity: maybe ? ('warning' as const) : ('error' as const),
          code: 'manifest-cloudsql-missing' as const,
          key: descriptionOf(context, variable.name)?.key ?? '',
          variable: variable.name,
          message: maybe
            ? `${variable.name} is the Cloud SQL socket of ${host.instance}; ${deployment.file} attaches an instance whose name is set outside it, so whether it is this one is not known here (the socket exists only if it is).`
            : `${variable.name} is the Cloud SQL socket of ${host.instance}, but ${deployment.file} does not attach that instance, so the socket will not exist.`,
          hint: hintsFor(deployment).cloudSql(
            host.instance,
            misplacedAnnotation(deployment, 'run.googleapis.com/cloudsql-instances'),
          ),
          ...at(variable),
        },
      ];
    });
  },
};

/** `manifest-no-vpc-egress`: a private-address host with no connector or network egress. */
export const noVpcEgressRule: DeployRule = {
  code: 'manifest-no-vpc-egress',
  check(context) {
    const { deployment } = context;
    if (deployment.vpcEgress !== false) return [];
    return hostVariables(context).flatMap((variable) => {
      if (classifyHost(variable.value!).kind !== 'private') return [];
      return [
        {
          severity: 'error' as const,
          code: 'manifest-no-vpc-egress' as const,
          key: descriptionOf(context, variable.name)?.key ?? '',
          variable: variable.name,
          message: `${variable.name} is a private address (${variable.value}), but ${deployment.file} gives the service no VPC egress, so it cannot reach it.`,
          hint: hintsFor(deployment).vpcEgress(
            misplacedAnnotation(deployment, 'run.googleapis.com/vpc-access-connector') ||
              misplacedAnnotation(deployment, 'run.googleapis.com/network-interfaces'),
          ),
          ...at(variable),
        },
      ];
    });
  },
};

/** `unpinned-version`: production reads `latest` of a secret, which changes at the next instance start without a deploy. */
export const unpinnedVersionRule: DeployRule = {
  code: 'unpinned-version',
  check(context) {
    if (context.environment !== 'production') return [];
    return context.deployment.variables.flatMap((variable) => {
      const reference =
        variable.kind === 'literal' && variable.value !== undefined
          ? parseSecretReference(variable.value)
          : null;
      const secret = reference
        ? { name: reference.secret, version: reference.version }
        : variable.kind === 'secret' || variable.kind === 'file'
          ? variable.secret
          : undefined;
      if (secret?.version !== 'latest') return [];
      const name = variable.kind === 'file' ? variable.name.replace(/_FILE$/, '') : variable.name;
      return [
        {
          severity: 'warning' as const,
          code: 'unpinned-version' as const,
          key: descriptionOf(context, name)?.key ?? '',
          variable: name,
          message: `${name} reads version "latest" of ${secret.name}: a new version changes production at the next instance start, without a deploy.`,
          hint: reference
            ? `Pin a version number: sm://PROJECT/${secret.name}#N (gcloud secrets versions list ${secret.name}).`
            : `Pin a version number: ${secret.name}:N (gcloud secrets versions list ${secret.name}).`,
          ...at(variable),
        },
      ];
    });
  },
};

/**
 * `unresolved-value` (warning): a variable whose value comes from outside the input counts as provided and is
 * never judged as if its expression were the value; where the input gives a default, what it would do is said.
 */
export const unresolvedValueRule: DeployRule = {
  code: 'unresolved-value',
  check(context) {
    const { deployment } = context;
    return deployment.variables.flatMap((variable) => {
      if (variable.kind !== 'unknown') return [];
      // Already an error of its own (a Cloud Build secretEnv passed as a plain variable): one report, not two.
      if (deployment.issues.some((issue) => issue.severity === 'error' && issue.variable === variable.name))
        return [];
      const description = descriptionOf(context, variable.name);
      let verdict = '';
      if (variable.default !== undefined && description) {
        const failures = context.validate?.(variable.name, variable.default) ?? [];
        const failure = failures.find((issue) => issue.severity === 'error') ?? failures[0];
        const shown = description.sensitive ? '' : ` (${variable.default})`;
        verdict = failure
          ? `; if it is unset, the default${shown} is used and fails: ${failure.code} — ${failure.message}`
          : context.validate
            ? `; if it is unset, the default${shown} is used, which passes`
            : '';
      }
      return [
        {
          severity: 'warning' as const,
          code: 'unresolved-value' as const,
          key: description?.key ?? '',
          variable: variable.name,
          message: `${variable.name} is ${variable.expression ?? 'set'} in ${deployment.file}, a value set outside it, so it is not checked here${verdict}.`,
          hint: `Check it where its value is known (the CI variable or secret that sets it), or write the value in ${deployment.file}.`,
          ...at(variable),
        },
      ];
    });
  },
};

/** `reserved-variable`: a variable the platform sets itself (`PORT`): deploys that set it are rejected. */
export const reservedVariableRule: DeployRule = {
  code: 'reserved-variable',
  check(context) {
    const { deployment } = context;
    return deployment.variables.flatMap((variable) => {
      const description = descriptionOf(context, variable.name);
      if (description?.reserved !== true) return [];
      return [
        {
          severity: 'error' as const,
          code: 'reserved-variable' as const,
          key: description.key,
          variable: variable.name,
          message: `${deployment.file} sets ${variable.name}, which Cloud Run sets itself (deploys that set it are rejected).`,
          hint: `Remove ${variable.name} from ${deployment.file}; use --port (containerPort) to change the port the service listens on.`,
          ...at(variable),
        },
      ];
    });
  },
};

/** What the reader found in the input itself (`unresolved-flags`, values gcloud refuses): reported as they are. */
export const readIssuesRule: DeployRule = {
  code: 'read',
  check(context) {
    return context.deployment.issues
      .filter((issue) => issue.code !== 'misplaced-annotation')
      .map((issue) => ({
        severity: issue.severity,
        code: issue.code as Issue['code'],
        key: descriptionOf(context, issue.variable)?.key ?? '',
        variable: issue.variable,
        message: issue.message,
        hint: issue.hint,
        file: issue.file,
        ...(issue.line === undefined ? {} : { line: issue.line }),
      }));
  },
};

/** Every deploy rule, in report order. A schema or a format contributes by adding to a copy of this list. */
export const DEPLOY_RULES: readonly DeployRule[] = [
  manifestMissingRule,
  plaintextSecretRule,
  sharedSecretRule,
  readIssuesRule,
  reservedVariableRule,
  cloudSqlMissingRule,
  noVpcEgressRule,
  unpinnedVersionRule,
  unresolvedValueRule,
];

/**
 * Runs `rules` over a deployment: every issue, with the file and line of the setting.
 *
 * @example
 * checkDeployment({ deployment, environment: 'staging', deployed: true, variables: describeSchema(schema, 'staging') });
 */
export function checkDeployment(
  context: DeployRuleContext,
  rules: readonly DeployRule[] = DEPLOY_RULES,
): DeployIssue[] {
  return rules.flatMap((rule) => rule.check(context));
}
