/**
 * The `terraform` reader: `.tf` files (one file, or a folder read as one module) parsed by HashiCorp's HCL parser
 * ({@link parseHcl}), and `terraform show -json` output. `google_cloud_run_v2_service` and
 * `google_cloud_run_service`: `env` blocks incl. `dynamic "env"` over a local or variable map,
 * `value_source.secret_key_ref` / `value_from.secret_key_ref`, secret volumes, Cloud SQL, VPC access. References
 * are followed only to what the files say: `local.x`, a variable's `default` (unknown, with that default: a
 * `-var` or `.tfvars` may override it), a `google_secret_manager_secret`'s `secret_id`. Nothing is evaluated —
 * no `terraform` binary, no functions; anything else is unknown.
 */
import { extname } from 'node:path';
import { ManifestError } from './errors.ts';
import { parseSecretSpec } from './gcloud-deploy.ts';
import { parseHcl } from './hcl.ts';
import type { Deployment, DeployVariable, ReadIssue, SecretVersionRef } from './model.ts';
import type { DeployFormat, ReadOptions } from './registry.ts';

type Json = Record<string, unknown>;
const CLOUD_RUN_TYPES = ['google_cloud_run_v2_service', 'google_cloud_run_service'] as const;

/** A resolved value: known, or set outside the files (`expression`, with a `default` where one is given). */
type Resolved = { known: true; value: unknown } | { known: false; expression: string; default?: unknown };

/** One source file of a module, to locate settings (hcl2json gives no positions). */
interface SourceFile {
  file: string;
  lines: string[];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested block: hcl2json and `terraform show -json` both give blocks as arrays. */
function block(value: unknown, key: string): Json | undefined {
  const entry = isObject(value) ? value[key] : undefined;
  const first = Array.isArray(entry) ? entry[0] : entry;
  return isObject(first) ? first : undefined;
}

function blocks(value: unknown, key: string): Json[] {
  const entry = isObject(value) ? value[key] : undefined;
  return (Array.isArray(entry) ? entry : entry === undefined ? [] : [entry]).filter(isObject);
}

/** The module: what `local.*`, `var.*` and resource references resolve to. */
class Module {
  readonly locals: Json = {};
  readonly variables = new Map<string, Json>();
  readonly resources = new Map<string, Map<string, Json>>();

  add(parsed: Json): void {
    for (const locals of blocks(parsed, 'locals')) Object.assign(this.locals, locals);
    if (isObject(parsed.variable)) {
      for (const [name, definitions] of Object.entries(parsed.variable)) {
        const definition = Array.isArray(definitions) ? definitions[0] : definitions;
        this.variables.set(name, isObject(definition) ? definition : {});
      }
    }
    if (isObject(parsed.resource)) {
      for (const [type, byName] of Object.entries(parsed.resource)) {
        if (!isObject(byName)) continue;
        const map = this.resources.get(type) ?? new Map<string, Json>();
        for (const [name, definitions] of Object.entries(byName)) {
          const definition = Array.isArray(definitions) ? definitions[0] : definitions;
          if (isObject(definition)) map.set(name, definition);
        }
        this.resources.set(type, map);
      }
    }
  }

  /** One `${…}` reference (the traversal only; anything with an operator or a call is unknown). */
  reference(expression: string, depth: number, scope: Json): Resolved {
    const unknown: Resolved = { known: false, expression };
    if (depth > 16) return unknown;
    const path = expression.trim();
    const parts = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\["[^"]*"\])*$/.test(path)
      ? [...path.matchAll(/([A-Za-z_][\w-]*)|\["([^"]*)"\]/g)].map((match) => match[1] ?? match[2]!)
      : undefined;
    if (parts === undefined) return unknown;
    const [head, ...rest] = parts;
    const walk = (value: unknown, keys: string[]): unknown =>
      keys.reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);
    if (head !== undefined && head in scope) {
      const value = walk(scope[head], rest);
      return value === undefined ? unknown : this.resolve(value, depth + 1, scope);
    }
    if (head === 'local') {
      const value = walk(this.locals, rest);
      return value === undefined ? unknown : this.resolve(value, depth + 1, scope);
    }
    if (head === 'var') {
      const variable = this.variables.get(rest[0] ?? '');
      if (variable === undefined || !('default' in variable) || variable.default === null) return unknown;
      const fallback = this.resolve(walk(variable.default, rest.slice(1)), depth + 1, scope);
      return fallback.known ? { known: false, expression, default: fallback.value } : unknown;
    }
    if (head === 'google_secret_manager_secret' && rest.length === 2) {
      const secret = this.resources.get(head)?.get(rest[0]!);
      const id = secret === undefined ? undefined : this.resolve(secret.secret_id, depth + 1, scope);
      if (!id?.known) return unknown;
      const project =
        secret?.project === undefined ? undefined : this.resolve(secret.project, depth + 1, scope);
      const projectText = project?.known ? String(project.value) : undefined;
      if (rest[1] === 'secret_id') return { known: true, value: id.value };
      if (rest[1] === 'id' || rest[1] === 'name') {
        return { known: true, value: projectText ? `projects/${projectText}/secrets/${id.value}` : id.value };
      }
    }
    return unknown;
  }

  /** A value with its `${…}` parts resolved; objects and lists resolved member by member. */
  resolve(value: unknown, depth = 0, scope: Json = {}): Resolved {
    if (typeof value === 'string') {
      const parts = [...value.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)];
      if (parts.length === 0) return { known: true, value };
      if (parts.length === 1 && parts[0]![0] === value) return this.reference(parts[0]![1]!, depth, scope);
      let text = '';
      let fallback: string | undefined = '';
      let cursor = 0;
      for (const part of parts) {
        const literal = value.slice(cursor, part.index);
        text += literal;
        if (fallback !== undefined) fallback += literal;
        cursor = part.index + part[0].length;
        const resolved = this.reference(part[1]!, depth, scope);
        if (resolved.known) {
          text += String(resolved.value);
          if (fallback !== undefined) fallback += String(resolved.value);
        } else {
          text += part[0];
          fallback =
            resolved.default === undefined || fallback === undefined
              ? undefined
              : fallback + String(resolved.default);
        }
      }
      text += value.slice(cursor);
      if (fallback !== undefined) fallback += value.slice(cursor);
      if (!/\$\{/.test(text)) return { known: true, value: text };
      return fallback === undefined
        ? { known: false, expression: value }
        : { known: false, expression: value, default: fallback };
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => this.resolve(item, depth + 1, scope));
      return items.every((item) => item.known)
        ? { known: true, value: items.map((item) => (item as { value: unknown }).value) }
        : { known: false, expression: JSON.stringify(value) };
    }
    return { known: true, value };
  }
}

function expressionText(expression: string): string {
  const single = /^\$\{(.*)\}$/s.exec(expression);
  return single && !single[1]!.includes('${') ? single[1]! : expression;
}

/** Locates settings in the files' text: the line of the first match at or after `from` (1-based), else `fallback`. */
function locate(source: SourceFile | undefined, pattern: RegExp, from: number, fallback: number): number {
  if (source === undefined) return fallback;
  for (let index = Math.max(0, from - 1); index < source.lines.length; index++) {
    if (pattern.test(source.lines[index]!)) return index + 1;
  }
  return fallback;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface ServiceSource {
  type: (typeof CLOUD_RUN_TYPES)[number];
  name: string;
  values: Json;
  source: SourceFile | undefined;
  line: number;
}

/** Reads one Cloud Run resource into a deployment. `resolved`: values are final (`terraform show -json`). */
function readService(service: ServiceSource, module: Module, resolvedValues: boolean): Deployment {
  const { values, source, line: resourceLine } = service;
  const file = source?.file ?? '';
  const issues: ReadIssue[] = [];
  const resolve = (value: unknown, scope: Json = {}): Resolved =>
    resolvedValues ? { known: true, value } : module.resolve(value, 0, scope);
  const text = (value: unknown): string | undefined => {
    const resolved = resolve(value);
    return resolved.known &&
      resolved.value !== undefined &&
      resolved.value !== null &&
      typeof resolved.value !== 'object'
      ? String(resolved.value)
      : undefined;
  };
  const deployment: Deployment = {
    // The registry's name of the form it came from: `terraform show -json` output has every value resolved.
    format: resolvedValues ? 'terraform-show-json' : 'terraform',
    file,
    line: resourceLine,
    containers: [],
    variables: [],
    mounts: [],
    cloudSqlInstances: [],
    vpcEgress: false,
    update: 'replace',
    issues,
  };
  const v2 = service.type === 'google_cloud_run_v2_service';
  const serviceName = text(values.name);
  if (serviceName !== undefined) deployment.service = serviceName;
  const region = text(values.location);
  if (region !== undefined) deployment.region = region;
  const project = text(values.project) ?? (v2 ? undefined : text(block(values, 'metadata')?.namespace));
  if (project !== undefined) deployment.project = project;

  const template = block(values, 'template') ?? {};
  const spec = v2 ? template : (block(template, 'spec') ?? {});
  const containers = blocks(spec, 'containers');
  if (containers.length === 0) {
    throw new ManifestError(
      `${file}:${resourceLine}: ${service.type}.${service.name} has no containers block; a Cloud Run service has a container`,
      {
        code: 'malformed',
        file,
        line: resourceLine,
      },
    );
  }
  const ingressIndex = Math.max(
    0,
    containers.findIndex((container) => blocks(container, 'ports').length > 0),
  );
  const container = containers[ingressIndex]!;
  deployment.containers = [ingressIndex, ...containers.keys()]
    .filter((index, position) => position === 0 || index !== ingressIndex)
    .map((index) => text(containers[index]!.name) ?? 'container');
  const image = text(container.image);
  if (image !== undefined) deployment.image = image;

  const secretOf = (
    secretValue: unknown,
    versionValue: unknown,
    at: number,
    scope: Json = {},
  ): SecretVersionRef | Resolved => {
    const secret = resolve(secretValue, scope);
    const version = resolve(versionValue ?? 'latest', scope);
    if (!secret.known || !version.known) return secret.known ? version : secret;
    const ref = parseSecretSpec(String(secret.value));
    if (!ref) {
      throw new ManifestError(
        `${file}:${at}: "${String(secret.value)}" is not a secret; expected a secret_id or projects/PROJECT/secrets/SECRET`,
        {
          code: 'malformed',
          file,
          line: at,
        },
      );
    }
    return { ...ref, version: String(version.value) };
  };
  const isRef = (value: SecretVersionRef | Resolved): value is SecretVersionRef =>
    'name' in value && 'version' in value;

  // Secret volumes and Cloud SQL volumes (v2), secret volumes (v1).
  const volumeMounts = blocks(container, 'volume_mounts');
  for (const volume of blocks(spec, 'volumes')) {
    const volumeName = text(volume.name);
    const mount = volumeMounts.find((candidate) => text(candidate.name) === volumeName);
    const volumeLine = locate(
      source,
      new RegExp(`"?name"?\\s*[=:]\\s*"${escapeRegExp(volumeName ?? '')}"`),
      resourceLine,
      resourceLine,
    );
    const cloudSql = block(volume, 'cloud_sql_instance');
    if (cloudSql) {
      const instances = resolve(cloudSql.instances);
      if (instances.known && Array.isArray(instances.value))
        deployment.cloudSqlInstances.push(...instances.value.map(String));
      continue;
    }
    const secret = block(volume, 'secret');
    const mountPath = text(mount?.mount_path);
    if (!secret || mountPath === undefined) continue;
    const secretName = v2 ? secret.secret : secret.secret_name;
    const items = blocks(secret, 'items');
    for (const item of items.length > 0 ? items : [{}]) {
      const ref = secretOf(secretName, v2 ? (item.version ?? 'latest') : (item.key ?? 'latest'), volumeLine);
      if (!isRef(ref)) continue;
      deployment.mounts.push({
        path: `${mountPath.replace(/\/$/, '')}/${text(item.path) ?? ref.name}`,
        secret: ref,
        file,
        line: volumeLine,
      });
    }
  }

  const byName = new Map<string, DeployVariable>();
  const envLine = (name: string) =>
    locate(
      source,
      new RegExp(`^\\s*"?name"?\\s*[=:]\\s*"${escapeRegExp(name)}"`),
      resourceLine,
      resourceLine,
    );
  const addEnv = (entry: Json, line: number, scope: Json = {}) => {
    const name = resolve(entry.name, scope);
    if (!name.known) {
      issues.push({
        severity: 'warning',
        code: 'unresolved-flags',
        variable: '',
        message: `${file}: an env block's name, ${expressionText(name.expression)}, is set outside these files; what it sets is unknown here.`,
        hint: 'Write the variable name in the Terraform files.',
        file,
        line,
      });
      return;
    }
    const variableName = String(name.value);
    const secretRef = block(block(entry, v2 ? 'value_source' : 'value_from'), 'secret_key_ref');
    let variable: DeployVariable;
    if (secretRef) {
      const ref = secretOf(
        v2 ? secretRef.secret : secretRef.name,
        v2 ? secretRef.version : secretRef.key,
        line,
        scope,
      );
      variable = isRef(ref)
        ? { name: variableName, kind: 'secret', secret: ref, file, line }
        : {
            name: variableName,
            kind: 'unknown',
            expression: expressionText((ref as { expression: string }).expression),
            file,
            line,
          };
    } else {
      const value = resolve(entry.value ?? '', scope);
      if (value.known) {
        const literal = String(value.value);
        const mount = deployment.mounts.find((candidate) => candidate.path === literal);
        variable = mount
          ? { name: variableName, kind: 'file', value: literal, secret: mount.secret, file, line }
          : { name: variableName, kind: 'literal', value: literal, file, line };
      } else {
        variable = {
          name: variableName,
          kind: 'unknown',
          expression: expressionText(value.expression),
          file,
          line,
        };
        if (value.default !== undefined && typeof value.default !== 'object')
          variable.default = String(value.default);
      }
    }
    byName.delete(variableName);
    byName.set(variableName, variable);
  };
  for (const entry of blocks(container, 'env')) {
    const name = resolve(entry.name);
    addEnv(entry, name.known ? envLine(String(name.value)) : resourceLine);
  }
  for (const dynamic of blocks(block(container, 'dynamic') ?? container.dynamic, 'env')) {
    const dynamicLine = locate(source, /^\s*dynamic\s+"env"/, resourceLine, resourceLine);
    const iterator = text(dynamic.iterator) ?? 'env';
    const content = block(dynamic, 'content') ?? {};
    const collection = resolvedValues
      ? { known: true as const, value: dynamic.for_each }
      : module.resolve(dynamic.for_each);
    const entries = collection.known ? collection.value : collection.default;
    if (!isObject(entries) && !Array.isArray(entries)) {
      issues.push({
        severity: 'warning',
        code: 'unresolved-flags',
        variable: '',
        message: `${file}: dynamic "env" iterates over ${expressionText(String(dynamic.for_each))}, which these files do not give; the variables it sets are unknown here and the check may miss them.`,
        hint: "Give the map in a locals block or as the variable's default, or write env blocks.",
        file,
        line: dynamicLine,
      });
      continue;
    }
    const pairs = Array.isArray(entries)
      ? entries.map((value, index) => [String(index), value] as const)
      : Object.entries(entries);
    for (const [key, value] of pairs) {
      const keyLine = locate(source, new RegExp(`^\\s*"?${escapeRegExp(key)}"?\\s*=`), 1, dynamicLine);
      const entryValue = collection.known
        ? value
        : `\${${expressionText(String(dynamic.for_each))}["${key}"]}`;
      const scope = { [iterator]: { key, value: entryValue } };
      if (!collection.known) {
        // A variable's default map: each value may be overridden; unknown, with the default.
        const name = resolve(content.name, scope);
        if (name.known) {
          byName.set(String(name.value), {
            name: String(name.value),
            kind: 'unknown',
            expression: `${expressionText(String(dynamic.for_each))}["${key}"]`,
            ...(typeof value === 'object' ? {} : { default: String(value) }),
            file,
            line: keyLine,
          });
        }
        continue;
      }
      addEnv(content, keyLine, scope);
    }
  }
  deployment.variables = [...byName.values()];

  if (v2) {
    const access = block(spec, 'vpc_access');
    if (access) {
      deployment.vpcEgress =
        (access.connector !== undefined && access.connector !== null && access.connector !== '') ||
        blocks(access, 'network_interfaces').length > 0;
      const egress = text(access.egress);
      if (egress !== undefined) deployment.vpcEgressSetting = egress.toLowerCase().replaceAll('_', '-');
    }
  } else {
    const annotations = resolve(block(template, 'metadata')?.annotations);
    const map = annotations.known && isObject(annotations.value) ? annotations.value : {};
    const cloudSql = map['run.googleapis.com/cloudsql-instances'];
    if (typeof cloudSql === 'string')
      deployment.cloudSqlInstances.push(
        ...cloudSql
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      );
    deployment.vpcEgress =
      Boolean(map['run.googleapis.com/vpc-access-connector']) ||
      Boolean(map['run.googleapis.com/network-interfaces']);
    const egress = map['run.googleapis.com/vpc-access-egress'];
    if (typeof egress === 'string') deployment.vpcEgressSetting = egress;
  }
  return deployment;
}

/** A folder's `.tf` files, read as one module. */
export interface TerraformFile {
  file: string;
  text: string;
}

/**
 * Reads the Cloud Run services of a Terraform module (one `.tf` file or every `.tf` file of a folder). Throws
 * {@link ManifestError}: `malformed` for HCL that does not parse (file and line), `no-deploy` when no file has a
 * Cloud Run service.
 */
export async function readTerraform(
  files: readonly TerraformFile[],
  label = files[0]?.file ?? '',
): Promise<Deployment[]> {
  const module = new Module();
  const services: ServiceSource[] = [];
  const parsed = await Promise.all(
    files.map(async (source) => ({ source, json: await parseHcl(source.file, source.text) })),
  );
  for (const { json } of parsed) module.add(json);
  for (const { source, json } of parsed) {
    const sourceFile: SourceFile = { file: source.file, lines: source.text.split('\n') };
    const resources = isObject(json.resource) ? json.resource : {};
    for (const type of CLOUD_RUN_TYPES) {
      const byName = resources[type];
      if (!isObject(byName)) continue;
      for (const [name, definitions] of Object.entries(byName)) {
        const values = Array.isArray(definitions) ? definitions[0] : definitions;
        if (!isObject(values)) continue;
        const line = locate(
          sourceFile,
          new RegExp(`^\\s*resource\\s+"${type}"\\s+"${escapeRegExp(name)}"`),
          1,
          1,
        );
        services.push({ type, name, values, source: sourceFile, line });
      }
    }
  }
  if (services.length === 0) {
    throw new ManifestError(
      `${label}: no google_cloud_run_v2_service or google_cloud_run_service resource in ${files.map((source) => source.file).join(', ') || 'no .tf file'}; --manifest takes Terraform that defines a Cloud Run service`,
      { code: 'no-deploy', file: label },
    );
  }
  return services.map((service) => readService(service, module, false));
}

/** Reads `terraform show -json` (state or plan): values are final, so nothing is unknown but `(known after apply)`. */
export function readTerraformShowJson(text: string, options: { file: string }): Deployment[] {
  const { file } = options;
  let data: Json;
  try {
    data = JSON.parse(text) as Json;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new ManifestError(
      `${file}${line === undefined ? '' : `:${line}`}: not valid JSON: ${(error as Error).message}`,
      {
        code: 'malformed',
        file,
        ...(line === undefined ? {} : { line }),
        cause: error,
      },
    );
  }
  const source: SourceFile = { file, lines: text.split('\n') };
  const services: ServiceSource[] = [];
  const visit = (module: unknown) => {
    if (!isObject(module)) return;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(resource) || resource.mode === 'data') continue;
      const type = CLOUD_RUN_TYPES.find((candidate) => candidate === resource.type);
      if (!type || !isObject(resource.values)) continue;
      const address = String(resource.address ?? `${type}.${String(resource.name)}`);
      const line = locate(source, new RegExp(`"address"\\s*:\\s*"${escapeRegExp(address)}"`), 1, 1);
      services.push({ type, name: String(resource.name), values: resource.values, source, line });
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) visit(child);
  };
  visit(block(data, 'values')?.root_module ?? (isObject(data.values) ? data.values.root_module : undefined));
  if (services.length === 0) {
    visit(isObject(data.planned_values) ? data.planned_values.root_module : undefined);
  }
  if (services.length === 0) {
    throw new ManifestError(
      `${file}: no google_cloud_run_v2_service or google_cloud_run_service in this terraform show -json output`,
      {
        code: 'no-deploy',
        file,
      },
    );
  }
  return services.map((service) => readService(service, new Module(), true));
}

/** Terraform: a `.tf` file, or a folder of them (read as one module). */
export const terraformFormat: DeployFormat = {
  name: 'terraform',
  detect: (file) => extname(file).toLowerCase() === '.tf',
  read: (text, options: ReadOptions) => readTerraform([{ file: options.file, text }]),
  directory: {
    includes: (name) => extname(name).toLowerCase() === '.tf',
    read: (files, options) => readTerraform(files, options.file),
  },
};

/** `terraform show -json` output: JSON with `format_version` and `values` or `planned_values`. */
export const terraformShowJsonFormat: DeployFormat = {
  name: 'terraform-show-json',
  detect: (file, text) =>
    extname(file).toLowerCase() === '.json' &&
    /"format_version"\s*:/.test(text.slice(0, 4096)) &&
    /"(values|planned_values)"\s*:/.test(text),
  read: (text, options) => readTerraformShowJson(text, options),
};
