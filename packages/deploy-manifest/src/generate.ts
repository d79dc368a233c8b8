/**
 * Deployments written back as deploy inputs: a Cloud Run service YAML (`gcloud run services replace`) and one
 * readable `gcloud run deploy` command — quoted only where the shell needs it, no `\=`/`\:`/`\,` escapes —
 * both of which the readers read back to the same deployment.
 */
import { stringify } from 'yaml';
import { ManifestError } from './errors.ts';
import type { Deployment, DeployVariable, SecretVersionRef } from './model.ts';

/** What a deploy sets that the {@link Deployment} model does not hold. Each is written only when given. */
export interface GenerateOptions {
  /** The revision's runtime service account. */
  serviceAccount?: string;
  /** Serverless VPC Access connector. */
  vpcConnector?: string;
  /** Direct VPC egress network (and `subnet`). */
  network?: string;
  subnet?: string;
  /** YAML only: the `run.googleapis.com/network-interfaces` annotation as written (instead of `network`/`subnet`). */
  networkInterfaces?: string;
  /** Service labels (`--labels`, `metadata.labels`). */
  labels?: Record<string, string>;
  /** `--ingress` / the `run.googleapis.com/ingress` annotation. */
  ingress?: 'all' | 'internal' | 'internal-and-cloud-load-balancing';
}

function secretName(secret: SecretVersionRef): string {
  return secret.project === undefined ? secret.name : `projects/${secret.project}/secrets/${secret.name}`;
}

// Characters a shell word may hold without quotes (no glob, expansion, operator, quote or blank).
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./^-]+$/;

/** A shell word for `text`: as it is when safe, else in single quotes (`'` written as `'\''`). */
export function shellWord(text: string): string {
  if (text !== '' && SAFE_WORD.test(text)) return text;
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The first delimiter no item contains: `,` (gcloud's default), else `^@^`, `^~^`, `^;^`, `^|^`… */
function listValue(items: string[]): string {
  if (!items.some((item) => item.includes(','))) return items.join(',');
  const delimiter = ['@', '~', ';', '|', '#', '!', '*'].find((candidate) =>
    items.every((item) => !item.includes(candidate)),
  );
  if (delimiter === undefined)
    throw new ManifestError(
      'generated: the values use every list delimiter gcloud accepts; write the service YAML instead (or an --env-vars-file)',
      { code: 'malformed', file: 'generated' },
    );
  return `^${delimiter}^${items.join(delimiter)}`;
}

const literalOf = (variable: DeployVariable) => variable.kind === 'literal' || variable.kind === 'file';

/**
 * One `gcloud run deploy` command, a flag a line: `--set-env-vars` with the literals (gcloud's `^@^` delimiter
 * when a value holds a comma), `--set-secrets` with the bindings and mounts, Cloud SQL, VPC egress.
 * Variables of kind `unknown` are left out (their value is not known here).
 *
 * @example
 * toGcloudCommand(deployment);
 * // gcloud run deploy api \
 * //   --project=acme-staging \
 * //   --set-env-vars=LOG_LEVEL=info,API_BASE_URL=https://api.example.com
 */
export function toGcloudCommand(deployment: Deployment, options: GenerateOptions = {}): string {
  const flags: string[] = [];
  const flag = (name: string, value: string) => flags.push(`--${name}=${shellWord(value)}`);
  if (deployment.project !== undefined) flag('project', deployment.project);
  if (deployment.region !== undefined) flag('region', deployment.region);
  if (deployment.image !== undefined) flag('image', deployment.image);
  if (options.ingress !== undefined) flag('ingress', options.ingress);
  const labels = Object.entries(options.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) flag('labels', listValue(labels));
  if (options.serviceAccount !== undefined) flag('service-account', options.serviceAccount);
  const literals = deployment.variables
    .filter(literalOf)
    .map((variable) => `${variable.name}=${variable.value ?? ''}`);
  if (literals.length > 0) flag('set-env-vars', listValue(literals));
  const secrets = [
    ...deployment.variables
      .filter((variable) => variable.kind === 'secret' && variable.secret)
      .map((variable) => `${variable.name}=${secretName(variable.secret!)}:${variable.secret!.version}`),
    ...deployment.mounts.map((mount) => `${mount.path}=${secretName(mount.secret)}:${mount.secret.version}`),
  ];
  if (secrets.length > 0) flag('set-secrets', listValue(secrets));
  if (deployment.cloudSqlInstances.length > 0)
    flag('set-cloudsql-instances', deployment.cloudSqlInstances.join(','));
  if (options.vpcConnector !== undefined) flag('vpc-connector', options.vpcConnector);
  if (options.network !== undefined) flag('network', options.network);
  if (options.subnet !== undefined) flag('subnet', options.subnet);
  if (deployment.vpcEgressSetting !== undefined) flag('vpc-egress', deployment.vpcEgressSetting);
  const service = shellWord(deployment.service ?? 'SERVICE');
  return `gcloud run deploy ${service}${flags.map((text) => ` \\\n  ${text}`).join('')}\n`;
}

/**
 * The Knative service YAML of a deployment (`gcloud run services replace` input): the ingress container's env
 * (`value`, `valueFrom.secretKeyRef`), secret volumes, Cloud SQL and VPC annotations on the template.
 */
export function toCloudRunYaml(deployment: Deployment, options: GenerateOptions = {}): string {
  const annotations: Record<string, string> = {};
  if (deployment.cloudSqlInstances.length > 0)
    annotations['run.googleapis.com/cloudsql-instances'] = deployment.cloudSqlInstances.join(',');
  if (options.vpcConnector !== undefined)
    annotations['run.googleapis.com/vpc-access-connector'] = options.vpcConnector;
  const networkInterfaces =
    options.networkInterfaces ??
    (options.network === undefined && options.subnet === undefined
      ? undefined
      : JSON.stringify([
          {
            ...(options.network === undefined ? {} : { network: options.network }),
            ...(options.subnet === undefined ? {} : { subnetwork: options.subnet }),
          },
        ]));
  if (networkInterfaces !== undefined)
    annotations['run.googleapis.com/network-interfaces'] = networkInterfaces;
  if (deployment.vpcEgressSetting !== undefined)
    annotations['run.googleapis.com/vpc-access-egress'] = deployment.vpcEgressSetting;
  const env = deployment.variables.flatMap((variable): Array<Record<string, unknown>> => {
    if (literalOf(variable)) return [{ name: variable.name, value: variable.value ?? '' }];
    if (variable.kind === 'secret' && variable.secret)
      return [
        {
          name: variable.name,
          valueFrom: { secretKeyRef: { name: secretName(variable.secret), key: variable.secret.version } },
        },
      ];
    return [];
  });
  // One volume per mount directory (Cloud Run mounts one secret per directory).
  const byDirectory = new Map<
    string,
    { secret: SecretVersionRef; items: Array<{ key: string; path: string }> }
  >();
  for (const mount of deployment.mounts) {
    const slash = mount.path.lastIndexOf('/');
    const directory = mount.path.slice(0, slash) || '/';
    const entry = byDirectory.get(directory) ?? { secret: mount.secret, items: [] };
    entry.items.push({ key: mount.secret.version, path: mount.path.slice(slash + 1) });
    byDirectory.set(directory, entry);
  }
  const volumes = [...byDirectory].map(([, entry], index) => ({
    name: `secret-${index + 1}`,
    secret: { secretName: secretName(entry.secret), items: entry.items },
  }));
  const container: Record<string, unknown> = {
    ...(deployment.image === undefined ? {} : { image: deployment.image }),
    ...(env.length === 0 ? {} : { env }),
    ...(volumes.length === 0
      ? {}
      : {
          volumeMounts: [...byDirectory.keys()].map((directory, index) => ({
            name: `secret-${index + 1}`,
            mountPath: directory,
          })),
        }),
  };
  const labels: Record<string, string> = {
    ...options.labels,
    ...(deployment.region === undefined ? {} : { 'cloud.googleapis.com/location': deployment.region }),
  };
  const service = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: deployment.service ?? 'SERVICE',
      ...(deployment.project === undefined ? {} : { namespace: deployment.project }),
      ...(Object.keys(labels).length === 0 ? {} : { labels }),
      ...(options.ingress === undefined
        ? {}
        : { annotations: { 'run.googleapis.com/ingress': options.ingress } }),
    },
    spec: {
      template: {
        ...(Object.keys(annotations).length === 0 ? {} : { metadata: { annotations } }),
        spec: {
          ...(options.serviceAccount === undefined ? {} : { serviceAccountName: options.serviceAccount }),
          containers: [container],
          ...(volumes.length === 0 ? {} : { volumes }),
        },
      },
    },
  };
  return stringify(service, { lineWidth: 0 });
}
