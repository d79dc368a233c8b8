/**
 * The `cloud-run-yaml` reader: Knative `serving.knative.dev/v1` Services as `gcloud run services describe
 * --format export` prints them and `gcloud run services replace` takes them; every Service document of a
 * multi-document file (other kinds, such as a ConfigMap, are skipped).
 */
import { posix } from 'node:path';
import { type Document, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors.ts';
import { parseSecretSpec } from './gcloud-deploy.ts';
import type { Deployment, DeployVariable, ReadIssue, SecretVersionRef } from './model.ts';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(node: Node, key: string): string | undefined {
  const value = node[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? undefined : String(value);
}

/** Revision annotations (`spec.template.metadata.annotations`) the checks read. */
const REVISION_ANNOTATIONS = [
  'run.googleapis.com/cloudsql-instances',
  'run.googleapis.com/vpc-access-connector',
  'run.googleapis.com/vpc-access-egress',
  'run.googleapis.com/network-interfaces',
];

/** Whether a parsed document is a Cloud Run (Knative) service: `kind: Service` with a `spec`. */
export function isCloudRunService(document: unknown): boolean {
  return isNode(document) && document.kind === 'Service' && isNode(document.spec);
}

/**
 * Reads every Service of a YAML (or JSON) file. Throws {@link ManifestError}: `malformed` for YAML that does
 * not parse (with its line) or a Service without a container; `no-deploy` when no document is a Service.
 */
export function readCloudRunYaml(text: string, options: { file: string }): Deployment[] {
  const { file } = options;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      throw new ManifestError(`${file}:${line}: malformed YAML: ${error.message.split('\n')[0]}`, {
        code: 'malformed',
        file,
        line,
        cause: error,
      });
    }
  }
  const deployments: Deployment[] = [];
  const kinds: string[] = [];
  for (const document of list) {
    const data: unknown = document.toJS();
    if (!isCloudRunService(data)) {
      if (isNode(data) && data.kind !== undefined) kinds.push(String(data.kind));
      continue;
    }
    deployments.push(readService(data as Node, document, lineCounter, file));
  }
  if (deployments.length === 0) {
    throw new ManifestError(
      `${file}: not a Cloud Run service${kinds.length > 0 ? ` (kind: ${kinds.join(', ')})` : ''}; expected the YAML of \`gcloud run services describe SERVICE --format export\` (apiVersion: serving.knative.dev/v1, kind: Service)`,
      { code: 'no-deploy', file },
    );
  }
  return deployments;
}

function readService(service: Node, document: Document, lineCounter: LineCounter, file: string): Deployment {
  const lineAt = (path: Array<string | number>, fallback: number): number => {
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  };
  const serviceLine = document.contents?.range ? lineCounter.linePos(document.contents.range[0]).line : 1;
  const issues: ReadIssue[] = [];
  const metadata = isNode(service.metadata) ? service.metadata : {};
  const deployment: Deployment = {
    format: 'cloud-run-yaml',
    file,
    line: serviceLine,
    containers: [],
    variables: [],
    mounts: [],
    cloudSqlInstances: [],
    vpcEgress: false,
    update: 'replace',
    issues,
  };
  const name = stringAt(metadata, 'name');
  if (name !== undefined) deployment.service = name;
  const namespace = stringAt(metadata, 'namespace');
  if (namespace !== undefined) deployment.project = namespace;
  const labels = isNode(metadata.labels) ? metadata.labels : {};
  const region = stringAt(labels, 'cloud.googleapis.com/location');
  if (region !== undefined) deployment.region = region;

  const spec = service.spec as Node;
  const template = spec.template;
  if (!isNode(template) || !isNode(template.spec)) {
    throw new ManifestError(
      `${file}:${serviceLine}: spec.template.spec is missing; a Cloud Run service describes its revision there`,
      {
        code: 'malformed',
        file,
        line: serviceLine,
      },
    );
  }
  const templateMetadata = isNode(template.metadata) ? template.metadata : {};
  const annotations = isNode(templateMetadata.annotations) ? templateMetadata.annotations : {};
  const serviceAnnotations = isNode(metadata.annotations) ? metadata.annotations : {};
  const annotation = (key: string) => stringAt(annotations, key);
  for (const key of REVISION_ANNOTATIONS) {
    if (annotation(key) === undefined && stringAt(serviceAnnotations, key) !== undefined) {
      issues.push({
        severity: 'warning',
        code: 'misplaced-annotation',
        variable: '',
        message: `${file}: ${key} is on the service's metadata.annotations, where Cloud Run does not apply it to revisions.`,
        hint: `Move ${key} to spec.template.metadata.annotations.`,
        file,
        line: lineAt(['metadata', 'annotations', key], serviceLine),
      });
    }
  }

  const aliases = new Map<string, SecretVersionRef>();
  const secretAliases =
    annotation('run.googleapis.com/secrets') ?? stringAt(serviceAnnotations, 'run.googleapis.com/secrets');
  for (const entry of (secretAliases ?? '').split(',').filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon === -1) continue;
    const ref = parseSecretSpec(entry.slice(colon + 1).trim());
    if (ref) aliases.set(entry.slice(0, colon).trim(), ref);
  }
  const resolveSecret = (secretName: string, version: string, line: number): SecretVersionRef => {
    const alias = aliases.get(secretName);
    if (alias) return { ...alias, version };
    const ref = parseSecretSpec(secretName);
    if (!ref) {
      throw new ManifestError(
        `${file}:${line}: "${secretName}" is not a secret name; expected SECRET or projects/PROJECT/secrets/SECRET`,
        {
          code: 'malformed',
          file,
          line,
        },
      );
    }
    return { ...ref, version };
  };

  const templateSpec = template.spec;
  const containers = (Array.isArray(templateSpec.containers) ? templateSpec.containers : []).filter(isNode);
  if (containers.length === 0) {
    throw new ManifestError(
      `${file}:${serviceLine}: spec.template.spec.containers is empty; a Cloud Run service has a container`,
      {
        code: 'malformed',
        file,
        line: serviceLine,
      },
    );
  }
  // With sidecars, the serving (ingress) container is the one that declares a port.
  const ingressIndex = Math.max(
    0,
    containers.findIndex((candidate) => Array.isArray(candidate.ports) && candidate.ports.length > 0),
  );
  const container = containers[ingressIndex]!;
  deployment.containers = [
    stringAt(container, 'name') ?? 'container',
    ...containers
      .filter((_, index) => index !== ingressIndex)
      .map((other) => stringAt(other, 'name') ?? 'container'),
  ];
  const image = stringAt(container, 'image');
  if (image !== undefined) deployment.image = image;
  const containerPath = ['spec', 'template', 'spec', 'containers', ingressIndex];

  // Secret volumes: each item is a file `mountPath/path` holding version `key` of the secret.
  const volumes = new Map<string, Node>();
  for (const volume of Array.isArray(templateSpec.volumes) ? templateSpec.volumes : []) {
    if (isNode(volume) && stringAt(volume, 'name') !== undefined && isNode(volume.secret)) {
      volumes.set(stringAt(volume, 'name')!, volume.secret);
    }
  }
  const mountsOf = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
  for (const [index, mount] of mountsOf.entries()) {
    if (!isNode(mount)) continue;
    const volume = volumes.get(stringAt(mount, 'name') ?? '');
    const mountPath = stringAt(mount, 'mountPath');
    if (volume === undefined || mountPath === undefined) continue;
    const line = lineAt([...containerPath, 'volumeMounts', index], serviceLine);
    const secretName = stringAt(volume, 'secretName');
    if (secretName === undefined) {
      throw new ManifestError(
        `${file}:${line}: the secret volume mounted at ${mountPath} has no secretName`,
        {
          code: 'malformed',
          file,
          line,
        },
      );
    }
    const items = (Array.isArray(volume.items) ? volume.items : []).filter(isNode);
    if (items.length === 0) {
      deployment.mounts.push({
        path: posix.join(mountPath, secretName),
        secret: resolveSecret(secretName, 'latest', line),
        file,
        line,
      });
    }
    for (const item of items) {
      const path = stringAt(item, 'path') ?? secretName;
      deployment.mounts.push({
        path: posix.join(mountPath, path),
        secret: resolveSecret(secretName, stringAt(item, 'key') ?? 'latest', line),
        file,
        line,
      });
    }
  }

  const envNode = document.getIn([...containerPath, 'env'], true);
  const env = isSeq(envNode) ? (container.env as unknown[]) : [];
  const byName = new Map<string, DeployVariable>();
  for (const [index, entry] of env.entries()) {
    const line = lineAt([...containerPath, 'env', index], serviceLine);
    if (!isNode(entry) || stringAt(entry, 'name') === undefined) {
      throw new ManifestError(`${file}:${line}: env[${index}] has no name`, {
        code: 'malformed',
        file,
        line,
      });
    }
    const variable = stringAt(entry, 'name')!;
    const valueFrom = entry.valueFrom;
    let parsed: DeployVariable;
    if (isNode(valueFrom)) {
      const ref = valueFrom.secretKeyRef;
      if (!isNode(ref) || stringAt(ref, 'name') === undefined) {
        throw new ManifestError(
          `${file}:${line}: ${variable}: valueFrom needs secretKeyRef with name and key`,
          {
            code: 'malformed',
            file,
            line,
          },
        );
      }
      parsed = {
        name: variable,
        kind: 'secret',
        secret: resolveSecret(stringAt(ref, 'name')!, stringAt(ref, 'key') ?? 'latest', line),
        file,
        line,
      };
    } else {
      const value = stringAt(entry, 'value') ?? '';
      const mount = deployment.mounts.find((candidate) => candidate.path === value);
      parsed = mount
        ? { name: variable, kind: 'file', value, secret: mount.secret, file, line }
        : { name: variable, kind: 'literal', value, file, line };
    }
    byName.delete(variable);
    byName.set(variable, parsed);
  }
  deployment.variables = [...byName.values()];

  deployment.cloudSqlInstances = (annotation('run.googleapis.com/cloudsql-instances') ?? '')
    .split(',')
    .map((instance) => instance.trim())
    .filter(Boolean);
  const connector = annotation('run.googleapis.com/vpc-access-connector');
  const networkInterfaces = annotation('run.googleapis.com/network-interfaces');
  deployment.vpcEgress = Boolean(connector) || Boolean(networkInterfaces && networkInterfaces !== '[]');
  const egress = annotation('run.googleapis.com/vpc-access-egress');
  if (egress !== undefined) deployment.vpcEgressSetting = egress;
  return deployment;
}
