/**
 * `netra-verify manifest generate`: the deploy manifest the schema implies for one environment — a Cloud Run
 * service YAML (`gcloud run services replace` input) or one `gcloud run deploy` command with the same content.
 * Literal values come from the env files; every Secret Manager binding of the schema becomes a secret reference
 * pinned to the schema's version; a `/cloudsql/PROJECT:REGION:INSTANCE` host attaches that instance; `PORT` is
 * never set (Cloud Run sets it). The literals are validated like the runtime would (`safeLoadConfig` with the
 * secrets counted as provided), so a generated manifest passes `check --manifest`.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ConfigSchema,
  cloudSqlInstanceOf,
  describeSchema,
  didYouMean,
  type Environment,
  formatIssues,
  fragmentsOf,
  type Issue,
  isPrivateHost,
  parseSecretReference,
  safeLoadConfig,
  type VariableDescription,
} from '@netra/config-schema';
import {
  type Deployment,
  type GenerateOptions,
  ManifestError,
  toCloudRunYaml,
  toGcloudCommand,
} from '@netra/deploy-manifest';
import type { CommandContext } from '../context';
import { EXIT_ISSUES, EXIT_OK, InputError, UsageError } from '../errors';
import { type Io, shouldUseColor } from '../io';
import { jsonIssue } from '../json-issue';
import { readEnvFileValues } from '../load-config';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

/** Options of `manifest generate`, after parsing. */
export interface ManifestGenerateOptions {
  environment: string;
  /** `--project`; when not given, `projects[environment]` of netra.config. */
  project: string | undefined;
  /** `--service`; when not given, `service` of netra.config. */
  service: string | undefined;
  image: string;
  region: string | undefined;
  serviceAccount: string | undefined;
  envFiles: string[];
  format: 'yaml' | 'gcloud';
  /** Serverless VPC Access connector for private hosts (Memorystore, private IP Cloud SQL). */
  vpcConnector: string | undefined;
  /** Direct VPC egress: network (and `subnet`) instead of a connector. */
  network: string | undefined;
  subnet: string | undefined;
  /** `--vpc-egress`: `private-ranges-only` (default with a connector or network) or `all-traffic`. */
  vpcEgress: 'private-ranges-only' | 'all-traffic' | undefined;
  /** Write the manifest here instead of stdout; the report then goes to stdout. */
  out: string | undefined;
  json: boolean;
}

/** Parses cac's options for `manifest generate`. */
export function parseManifestGenerateOptions(raw: RawOptions): ManifestGenerateOptions {
  const format = stringOption(raw, 'format', '--format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'gcloud') {
    throw new UsageError(`--format must be yaml or gcloud, got "${format}"`);
  }
  const vpcEgress = stringOption(raw, 'vpcEgress', '--vpc-egress');
  if (vpcEgress !== undefined && vpcEgress !== 'private-ranges-only' && vpcEgress !== 'all-traffic') {
    throw new UsageError(`--vpc-egress must be private-ranges-only or all-traffic, got "${vpcEgress}"`);
  }
  const options: ManifestGenerateOptions = {
    environment: requiredStringOption(raw, 'env', '--env', '--env staging'),
    project: stringOption(raw, 'project', '--project'),
    service: stringOption(raw, 'service', '--service'),
    image: requiredStringOption(
      raw,
      'image',
      '--image',
      '--image us-docker.pkg.dev/my-proj/netra/backend:1.4.2',
    ),
    region: stringOption(raw, 'region', '--region'),
    serviceAccount: stringOption(raw, 'serviceAccount', '--service-account'),
    envFiles: stringListOption(raw, 'envFile', '--env-file'),
    format,
    vpcConnector: stringOption(raw, 'vpcConnector', '--vpc-connector'),
    network: stringOption(raw, 'network', '--network'),
    subnet: stringOption(raw, 'subnet', '--subnet'),
    vpcEgress,
    out: stringOption(raw, 'out', '--out'),
    json: booleanOption(raw, 'json'),
  };
  if (options.vpcConnector !== undefined && (options.network !== undefined || options.subnet !== undefined)) {
    throw new UsageError('--vpc-connector and --network/--subnet are alternatives: give one of them');
  }
  return options;
}

/**
 * `--project` and `--service`, else netra.config's `projects[environment]` and `service` (the flag wins); neither is
 * exit 2 saying both ways. The service must be a Cloud Run service name.
 */
function projectAndService(
  options: ManifestGenerateOptions,
  context: CommandContext,
  environment: string,
): { project: string; service: string } {
  if (options.project === '')
    throw new UsageError('--project needs a project id, e.g. --project my-gcp-project');
  const project = context.project(environment, options.project);
  const inConfig = context.configFile ? `in ${context.schemaSource}` : 'in a netra.config';
  if (project === undefined) {
    throw new UsageError(
      `manifest generate: --project is required, e.g. --project my-gcp-project, or name it ${inConfig} (projects: { ${environment}: 'my-gcp-project' })`,
    );
  }
  const service = context.serviceName(options.service);
  if (service === undefined) {
    throw new UsageError(
      `manifest generate: --service is required, e.g. --service netra-backend-staging, or name it ${inConfig} (service: 'my-service')`,
    );
  }
  if (!/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(service)) {
    throw new UsageError(
      `--service "${service}" is not a Cloud Run service name: lowercase letters, digits and hyphens, starting with a letter, at most 49 characters`,
    );
  }
  return { project, service };
}

/** The deployment a manifest describes: the schema's variables for one environment, resolved. */
export interface ServicePlan {
  environment: Environment;
  service: string;
  project: string;
  region?: string;
  image: string;
  serviceAccount?: string;
  /** Literal env vars in schema order. */
  literals: Array<[name: string, value: string]>;
  /** Secret env vars in schema order. */
  secrets: Array<[name: string, ref: { secret: string; version: string }]>;
  cloudsqlInstances: string[];
  vpc?: {
    connector?: string;
    network?: string;
    subnet?: string;
    egress: 'private-ranges-only' | 'all-traffic';
  };
}

function issue(partial: Omit<Issue, 'severity'> & { severity?: Issue['severity'] }): Issue {
  return { severity: 'error', ...partial };
}

/**
 * Builds the {@link ServicePlan} from the schema and the env files' values; returns the issues that stop it
 * (errors) or are worth knowing (warnings). Pure: no I/O.
 */
function planService(
  options: Omit<
    ManifestGenerateOptions,
    'environment' | 'envFiles' | 'format' | 'out' | 'json' | 'project' | 'service'
  > & {
    project: string;
    service: string;
    schema: ConfigSchema;
    environment: Environment;
    values: Record<string, string>;
  },
): { plan: ServicePlan | undefined; issues: Issue[] } {
  const { schema, environment, values } = options;
  const variables = describeSchema(schema, environment);
  const byName = new Map<string, VariableDescription>(variables.map((v) => [v.variable, v]));
  const issues: Issue[] = [];

  // Values for names this environment does not read: another environment's name, or not in the schema at all.
  for (const name of Object.keys(values)) {
    if (byName.has(name)) continue;
    const owner = variables.find((v) => v.otherNames.includes(name));
    if (owner !== undefined) {
      issues.push(
        issue({
          code: 'wrong-name',
          key: owner.key,
          variable: name,
          message: `${name} is another environment's name for ${owner.key}; ${environment} reads ${owner.variable}`,
          hint: `Rename it to ${owner.variable} in the env file.`,
        }),
      );
      continue;
    }
    const suggestion = didYouMean(name, byName.keys());
    issues.push(
      issue({
        severity: 'warning',
        code: 'unknown-variable',
        key: '',
        variable: name,
        message: `${name} is not a variable of the Netra backend schema in ${environment}; it is left out of the manifest`,
        hint:
          suggestion === undefined
            ? 'Remove it from the env file, or add it to the schema first.'
            : `Did you mean ${suggestion}?`,
      }),
    );
  }

  const literals: Array<[string, string]> = [];
  const secrets: Array<[string, { secret: string; version: string }]> = [];
  // Literals that are sm:// references: rendered as they are, validated as provided (the loader reads them).
  const referenced = new Set<string>();
  for (const variable of variables) {
    const name = variable.variable;
    const value = values[name];
    if (variable.reserved) {
      if (value !== undefined) {
        issues.push(
          issue({
            severity: 'warning',
            code: 'reserved-variable',
            key: variable.key,
            variable: name,
            message: `${name} is set by Cloud Run; the env file's value is left out of the manifest`,
            hint: `Remove ${name} from the env file; change the container port with --port at deploy time.`,
          }),
        );
      }
      continue;
    }
    // An sm:// reference is not a value: the loader reads it at start-up. A reference to a secret of this project
    // becomes the binding (its #VERSION pins it); one that picks a JSON field (?field=), which a binding cannot,
    // names another project, or a regional secret (Cloud Run's binding forms are SECRET and
    // projects/P/secrets/SECRET — no location) stays a reference.
    const reference = value === undefined ? undefined : (parseSecretReference(value) ?? undefined);
    if (
      reference !== undefined &&
      (reference.field !== undefined ||
        reference.project !== options.project ||
        reference.location !== undefined)
    ) {
      literals.push([name, value!]);
      referenced.add(name);
      continue;
    }
    if (variable.secret !== undefined) {
      secrets.push([
        name,
        {
          secret: reference?.secret ?? variable.secret.secret,
          version: reference?.version ?? variable.secret.version,
        },
      ]);
      if (value !== undefined && reference === undefined) {
        issues.push(
          issue({
            severity: 'warning',
            code: 'manifest-plaintext-secret',
            key: variable.key,
            variable: name,
            message: `${name} has a value in the env files, but ${environment} reads it from Secret Manager (${variable.secret.secret}); the value is left out of the manifest`,
            hint: `Store it with: netra-verify secrets push --env ${environment} --project ${options.project} --from-file FILE, and remove it from the env file.`,
          }),
        );
      }
      continue;
    }
    if (name === 'ENVIRONMENT') {
      literals.push([name, environment]);
      continue;
    }
    if (value !== undefined) {
      if (reference !== undefined) {
        // A reference of this project for a variable without a schema binding: the loader resolves it.
        literals.push([name, value]);
        referenced.add(name);
        continue;
      }
      if (variable.sensitive) {
        issues.push(
          issue({
            code: 'manifest-plaintext-secret',
            key: variable.key,
            variable: name,
            message: `${name} is sensitive and has no Secret Manager binding in ${environment}; it would be plain text in the manifest`,
            hint: `Remove ${name} from the env file; deploy ${environment} with a Secret Manager binding instead.`,
          }),
        );
        continue;
      }
      literals.push([name, value]);
    }
    // No setting is filled by its name (a GCP_PROJECT_ID from --project): every literal comes from the env files,
    // and one the schema requires and they lack is `missing`, as at start-up.
  }

  // The runtime's own validation, with the secrets counted as provided: a manifest that would not start is refused.
  const env = Object.fromEntries(literals.filter(([name]) => !referenced.has(name)));
  const loaded = safeLoadConfig(schema, {
    env,
    environment,
    providedElsewhere: [...secrets.map(([name]) => name), ...referenced],
  });
  const runtimeIssues = loaded.ok ? loaded.warnings : loaded.issues;
  for (const runtimeIssue of runtimeIssues) {
    if (runtimeIssue.code === 'missing') {
      issues.push({
        ...runtimeIssue,
        hint: `${runtimeIssue.hint}${/[.!?]$/.test(runtimeIssue.hint) || runtimeIssue.hint === '' ? '' : '.'} Add ${runtimeIssue.variable}=… to an --env-file.`.trim(),
      });
    } else {
      issues.push(runtimeIssue);
    }
  }

  // The hosts of the schema's PostgreSQL and Redis fragments (by role, whatever their prefix): a /cloudsql/ socket
  // attaches its Cloud SQL instance, a private address asks for VPC egress.
  const hostOf = (fragmentKey: string) => variables.find((v) => v.key === `${fragmentKey}.host`);
  const hosts = fragmentsOf(schema)
    .filter((fragment) => fragment.role === 'postgres' || fragment.role === 'redis')
    .flatMap((fragment) => {
      const described = hostOf(fragment.key);
      const value = described === undefined ? undefined : env[described.variable];
      return described === undefined || value === undefined
        ? []
        : [{ key: described.key, variable: described.variable, value, role: fragment.role }];
    });
  const cloudsqlInstances: string[] = [];
  for (const host of hosts) {
    if (host.role !== 'postgres' || !host.value.startsWith('/cloudsql/')) continue;
    const instance = cloudSqlInstanceOf(host.value);
    if (instance === undefined) {
      issues.push(
        issue({
          code: 'invalid',
          key: host.key,
          variable: host.variable,
          message: `${host.variable} ${host.value} is not /cloudsql/PROJECT:REGION:INSTANCE`,
          hint: 'Use the instance connection name: gcloud sql instances describe INSTANCE --format "value(connectionName)".',
        }),
      );
    } else if (!cloudsqlInstances.includes(instance)) {
      cloudsqlInstances.push(instance);
    }
  }

  let vpc: ServicePlan['vpc'];
  if (options.vpcConnector !== undefined || options.network !== undefined || options.subnet !== undefined) {
    vpc = {
      ...(options.vpcConnector === undefined ? {} : { connector: options.vpcConnector }),
      ...(options.network === undefined ? {} : { network: options.network }),
      ...(options.subnet === undefined ? {} : { subnet: options.subnet }),
      egress: options.vpcEgress ?? 'private-ranges-only',
    };
  } else {
    for (const { key, variable: name, value: host } of hosts) {
      if (isPrivateHost(host)) {
        issues.push(
          issue({
            code: 'manifest-no-vpc-egress',
            key,
            variable: name,
            message: `${name} ${host} is a private address, and the service would have no VPC egress to reach it`,
            hint: 'Pass --vpc-connector CONNECTOR (Serverless VPC Access) or --network NETWORK --subnet SUBNET (Direct VPC egress).',
          }),
        );
      }
    }
  }

  if (issues.some((i) => i.severity === 'error')) return { plan: undefined, issues };
  return {
    plan: {
      environment,
      service: options.service,
      project: options.project,
      ...(options.region === undefined ? {} : { region: options.region }),
      image: options.image,
      ...(options.serviceAccount === undefined ? {} : { serviceAccount: options.serviceAccount }),
      literals,
      secrets,
      cloudsqlInstances,
      ...(vpc === undefined ? {} : { vpc }),
    },
    issues,
  };
}

/**
 * The plan as the deploy-manifest model: what the revision gets (literals, bindings, Cloud SQL, VPC egress), which
 * the package's generators write and its readers read back.
 */
function planDeployment(plan: ServicePlan): Deployment {
  const at = { file: 'generated', line: 1 };
  return {
    format: 'generated',
    ...at,
    service: plan.service,
    project: plan.project,
    ...(plan.region === undefined ? {} : { region: plan.region }),
    image: plan.image,
    containers: [],
    variables: [
      ...plan.literals.map(([name, value]) => ({ name, kind: 'literal' as const, value, ...at })),
      ...plan.secrets.map(([name, ref]) => ({
        name,
        kind: 'secret' as const,
        secret: { name: ref.secret, version: ref.version },
        ...at,
      })),
    ],
    mounts: [],
    cloudSqlInstances: plan.cloudsqlInstances,
    vpcEgress: plan.vpc !== undefined,
    ...(plan.vpc === undefined ? {} : { vpcEgressSetting: plan.vpc.egress }),
    update: 'replace',
    issues: [],
  };
}

function generateOptions(plan: ServicePlan): GenerateOptions {
  return {
    ingress: 'all',
    labels: { 'netra-environment': plan.environment },
    ...(plan.serviceAccount === undefined ? {} : { serviceAccount: plan.serviceAccount }),
    ...(plan.vpc?.connector === undefined ? {} : { vpcConnector: plan.vpc.connector }),
    ...(plan.vpc?.network === undefined ? {} : { network: plan.vpc.network }),
    ...(plan.vpc?.subnet === undefined ? {} : { subnet: plan.vpc.subnet }),
  };
}

/** The Cloud Run service YAML (`apiVersion: serving.knative.dev/v1`, `kind: Service`) for a plan. */
export function renderServiceYaml(plan: ServicePlan): string {
  const header = `# Generated by netra-verify manifest generate --env ${plan.environment}; deploy with:\n#   gcloud run services replace FILE${plan.region === undefined ? '' : ` --region ${plan.region}`}\n`;
  return header + toCloudRunYaml(planDeployment(plan), generateOptions(plan));
}

/**
 * One `gcloud run deploy` command with the same content as the YAML, as a person writes it: a flag a line, quoted
 * only where the shell needs it, gcloud's `^DELIM^` list syntax where a value holds a comma. Throws
 * {@link InputError} when the values use every delimiter gcloud accepts (the YAML form is the way then).
 */
export function renderGcloudCommand(plan: ServicePlan): string {
  const header = `# Generated by netra-verify manifest generate --env ${plan.environment} --format gcloud\n`;
  try {
    return header + toGcloudCommand(planDeployment(plan), generateOptions(plan));
  } catch (error) {
    if (error instanceof ManifestError) {
      throw new InputError(
        'the env values use every list delimiter gcloud accepts; write the YAML form instead (--format yaml)',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Runs `manifest generate`: 0 with the manifest, 1 (and no manifest) when the configuration would not start. */
export async function runManifestGenerate(
  options: ManifestGenerateOptions,
  io: Io,
  context: CommandContext,
): Promise<number> {
  const environment = context.environment(options.environment);
  const { project, service } = projectAndService(options, context, environment);
  const read = await readEnvFileValues(context, options.envFiles, io, environment);
  const planned = planService({
    ...options,
    project,
    service,
    schema: context.schema,
    environment,
    values: read.values,
  });
  // A value cut at '#' is an error, as in check: no manifest is made of the cut value.
  const plan = read.issues.length > 0 ? undefined : planned.plan;
  const issues = [...read.issues, ...planned.issues];
  const manifest =
    plan === undefined
      ? undefined
      : options.format === 'yaml'
        ? renderServiceYaml(plan)
        : renderGcloudCommand(plan);
  const ok = plan !== undefined;

  if (manifest !== undefined && options.out !== undefined) {
    try {
      await writeFile(resolve(io.cwd, options.out), manifest);
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot write it (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ok, environment, format: options.format, ...(options.out === undefined ? { manifest: manifest ?? null } : { out: options.out }), issues: issues.map(jsonIssue) }, null, 2)}\n`,
    );
    return ok ? EXIT_OK : EXIT_ISSUES;
  }
  // Without --out the manifest owns stdout (it is redirected into a file); the report goes to stderr.
  const report = options.out === undefined ? io.stderr : io.stdout;
  if (manifest !== undefined && options.out === undefined) io.stdout.write(manifest);
  if (issues.length > 0) {
    report.write(
      `${formatIssues(issues, {
        color: shouldUseColor(report, io.env),
        title: ok
          ? `manifest generate (${environment})`
          : `manifest generate (${environment}): no manifest written`,
      })}\n`,
    );
  }
  if (ok && options.out !== undefined) {
    io.stdout.write(
      `wrote ${options.out}: ${plan!.literals.length} literal and ${plan!.secrets.length} secret variables${plan!.cloudsqlInstances.length > 0 ? `, Cloud SQL ${plan!.cloudsqlInstances.join(', ')}` : ''}\n`,
    );
  }
  return ok ? EXIT_OK : EXIT_ISSUES;
}
