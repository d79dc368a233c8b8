import { posix } from 'node:path';
import { InputError } from '../errors';
import { parseSecretSpec } from './secret-spec';
import { emptyProvidedVariables, type ManifestSecretRef, type ProvidedVariables } from './types';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listAt(node: Node, key: string, path: string, file: string): unknown[] {
  const value = node[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${file}: ${path}.${key} must be a list`, { file });
  return value;
}

function stringAt(node: Node, key: string): string | undefined {
  const value = node[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? undefined : String(value);
}

/** Annotations of the revision (`spec.template.metadata.annotations`) that the checks read. */
const REVISION_ANNOTATIONS = [
  'run.googleapis.com/cloudsql-instances',
  'run.googleapis.com/vpc-access-connector',
  'run.googleapis.com/vpc-access-egress',
  'run.googleapis.com/network-interfaces',
];

/** Whether a parsed YAML document looks like a Cloud Run (Knative) service: `kind: Service` with a template. */
export function isCloudRunService(document: unknown): boolean {
  return isNode(document) && document.kind === 'Service' && isNode(document.spec);
}

/**
 * Parses the Cloud Run service YAML that `gcloud run services describe SERVICE --format export` prints into
 * {@link ProvidedVariables}: the serving container's `env` (`value`, `valueFrom.secretKeyRef`), secret volumes and
 * their mounts, and the template annotations `run.googleapis.com/cloudsql-instances`,
 * `run.googleapis.com/vpc-access-connector`, `run.googleapis.com/vpc-access-egress`,
 * `run.googleapis.com/network-interfaces` and `run.googleapis.com/secrets` (aliases of other projects' secrets).
 */
export function parseCloudRunService(document: unknown, file: string): ProvidedVariables {
  if (!isCloudRunService(document)) {
    const kind = isNode(document) && document.kind !== undefined ? ` (kind: ${String(document.kind)})` : '';
    throw new InputError(
      `${file}: not a Cloud Run service${kind}; expected the YAML of \`gcloud run services describe SERVICE --format export\` (apiVersion: serving.knative.dev/v1, kind: Service)`,
      { file },
    );
  }
  const service = document as Node;
  const manifest = emptyProvidedVariables('cloud-run-yaml', file);
  const metadata = isNode(service.metadata) ? service.metadata : {};
  const name = stringAt(metadata, 'name');
  if (name !== undefined) manifest.service = name;
  const namespace = stringAt(metadata, 'namespace');
  if (namespace !== undefined) manifest.project = namespace;

  const spec = service.spec as Node;
  const template = spec.template;
  if (!isNode(template) || !isNode(template.spec)) {
    throw new InputError(
      `${file}: spec.template.spec is missing; a Cloud Run service describes its revision there`,
      {
        file,
      },
    );
  }
  const templateMetadata = isNode(template.metadata) ? template.metadata : {};
  const annotations = isNode(templateMetadata.annotations) ? templateMetadata.annotations : {};
  const serviceAnnotations = isNode(metadata.annotations) ? metadata.annotations : {};
  // Revision settings are read from the template only: on the service's metadata Cloud Run does not apply them.
  const annotation = (key: string) => stringAt(annotations, key);
  const misplaced = REVISION_ANNOTATIONS.filter(
    (key) => stringAt(annotations, key) === undefined && stringAt(serviceAnnotations, key) !== undefined,
  );
  if (misplaced.length > 0) manifest.misplacedAnnotations = misplaced;

  // `run.googleapis.com/secrets: alias:projects/P/secrets/S,...` lets secretKeyRef name another project's secret.
  const aliases = new Map<string, ManifestSecretRef>();
  const secretAliases =
    annotation('run.googleapis.com/secrets') ?? stringAt(serviceAnnotations, 'run.googleapis.com/secrets');
  for (const entry of (secretAliases ?? '').split(',').filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon === -1) continue;
    const alias = entry.slice(0, colon).trim();
    aliases.set(
      alias,
      parseSecretSpec(entry.slice(colon + 1).trim(), { file, where: 'run.googleapis.com/secrets' }),
    );
  }
  const resolveSecret = (secretName: string, version: string, where: string): ManifestSecretRef => {
    const alias = aliases.get(secretName);
    if (alias) return { ...alias, version };
    const ref = parseSecretSpec(secretName, { file, where });
    return { ...ref, version };
  };

  const templateSpec = template.spec;
  const containers = listAt(templateSpec, 'containers', 'spec.template.spec', file).filter(isNode);
  if (containers.length === 0) {
    throw new InputError(
      `${file}: spec.template.spec.containers is empty; a Cloud Run service has a container`,
      {
        file,
      },
    );
  }
  // With sidecars, the serving (ingress) container is the one that declares a port.
  const container =
    containers.find((candidate) => listAt(candidate, 'ports', 'container', file).length > 0) ??
    containers[0]!;
  const containerName = stringAt(container, 'name') ?? 'container';

  for (const [index, entry] of listAt(container, 'env', containerName, file).entries()) {
    const where = `${containerName}.env[${index}]`;
    if (!isNode(entry) || stringAt(entry, 'name') === undefined) {
      throw new InputError(`${file}: ${where} has no name`, { file });
    }
    const variable = stringAt(entry, 'name')!;
    const valueFrom = entry.valueFrom;
    if (isNode(valueFrom)) {
      const ref = valueFrom.secretKeyRef;
      if (!isNode(ref) || stringAt(ref, 'name') === undefined) {
        throw new InputError(
          `${file}: ${where} (${variable}): valueFrom needs secretKeyRef with name and key`,
          {
            file,
          },
        );
      }
      const version = stringAt(ref, 'key') ?? 'latest';
      manifest.secrets.set(
        variable,
        resolveSecret(stringAt(ref, 'name')!, version, `${where} (${variable})`),
      );
    } else {
      manifest.literals.set(variable, stringAt(entry, 'value') ?? '');
    }
  }

  // Secret volumes: each item is a file `mountPath/path` holding version `key` of the secret.
  const volumes = new Map<string, Node>();
  for (const volume of listAt(templateSpec, 'volumes', 'spec.template.spec', file)) {
    if (isNode(volume) && stringAt(volume, 'name') !== undefined && isNode(volume.secret)) {
      volumes.set(stringAt(volume, 'name')!, volume.secret);
    }
  }
  for (const mount of listAt(container, 'volumeMounts', containerName, file)) {
    if (!isNode(mount)) continue;
    const volume = volumes.get(stringAt(mount, 'name') ?? '');
    const mountPath = stringAt(mount, 'mountPath');
    if (volume === undefined || mountPath === undefined) continue;
    const secretName = stringAt(volume, 'secretName');
    if (secretName === undefined) {
      throw new InputError(`${file}: secret volume mounted at ${mountPath} has no secretName`, { file });
    }
    const items = listAt(volume, 'items', `volume ${secretName}`, file).filter(isNode);
    if (items.length === 0) {
      manifest.files.set(posix.join(mountPath, secretName), resolveSecret(secretName, 'latest', mountPath));
    }
    for (const item of items) {
      const path = stringAt(item, 'path') ?? secretName;
      manifest.files.set(
        posix.join(mountPath, path),
        resolveSecret(secretName, stringAt(item, 'key') ?? 'latest', `${mountPath}/${path}`),
      );
    }
  }

  manifest.cloudsqlInstances = (annotation('run.googleapis.com/cloudsql-instances') ?? '')
    .split(',')
    .map((instance) => instance.trim())
    .filter(Boolean);
  const connector = annotation('run.googleapis.com/vpc-access-connector');
  const networkInterfaces = annotation('run.googleapis.com/network-interfaces');
  manifest.vpcEgress = Boolean(connector) || Boolean(networkInterfaces && networkInterfaces !== '[]');
  const egress = annotation('run.googleapis.com/vpc-access-egress');
  if (egress !== undefined) manifest.vpcEgressSetting = egress;
  return manifest;
}
