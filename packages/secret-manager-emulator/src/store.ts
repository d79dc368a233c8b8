import { createHash, randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { type Filter, parseFilter } from './filter.ts';
import {
  NameError,
  parseProjectName,
  parseSecretName,
  parseVersionName,
  type SecretName,
  secretIdProblem,
  type VersionName,
} from './names.ts';
import type { Seed, VersionState } from './seed.ts';
import { ApiError, Status } from './status.ts';

/** The real API's payload limit. */
export const MAX_PAYLOAD_BYTES = 65536;
const MAX_PAGE_SIZE = 25000;
const DEFAULT_PAGE_SIZE = 25000;

/** google.protobuf.Timestamp as proto-loader takes it. */
export interface Timestamp {
  seconds: string;
  nanos: number;
}

interface VersionRecord {
  number: number;
  createTime: Timestamp;
  destroyTime?: Timestamp;
  state: VersionState;
  data?: Buffer;
  crc32c: number;
  clientChecksum: boolean;
  etag: string;
}

interface PolicyRecord {
  version: number;
  bindings: unknown[];
  auditConfigs: unknown[];
  etag: Buffer;
}

interface SecretRecord {
  id: string;
  createTime: Timestamp;
  etag: string;
  /** The caller-supplied fields of the Secret message (replication, labels, annotations, …). */
  fields: Record<string, unknown>;
  versions: VersionRecord[];
  policy: PolicyRecord;
}

interface ProjectRecord {
  id: string;
  number: string;
  secrets: Map<string, SecretRecord>;
}

/** What a request is about, for faults that target one secret. */
export interface Target {
  project: string;
  secret: string;
}

type Message = Record<string, unknown>;

/** Deterministic 12-digit project number for a project whose number was not declared. */
function derivedProjectNumber(id: string): string {
  const hash = BigInt(`0x${createHash('sha256').update(id).digest('hex').slice(0, 15)}`);
  return String((hash % 900000000000n) + 100000000000n);
}

/** Parses a resource-name field of a request; a malformed name is the API's error, not an exception. */
function checkedName<T>(parse: (field: string, value: string) => T, field: string, value: unknown): T {
  try {
    return parse(field, String(value ?? ''));
  } catch (error) {
    invalid(error);
  }
}

function invalid(error: unknown): never {
  if (error instanceof NameError) {
    throw new ApiError(
      error.code === 'REGIONAL_UNSUPPORTED' ? Status.UNIMPLEMENTED : Status.INVALID_ARGUMENT,
      error.message,
    );
  }
  throw error;
}

function encodePageToken(kind: string, offset: number): string {
  return Buffer.from(`${kind}:${offset}`).toString('base64url');
}

function decodePageToken(kind: string, token: string): number {
  if (token === '') return 0;
  const match = /^([a-z]+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match || match[1] !== kind)
    throw new ApiError(Status.INVALID_ARGUMENT, `Invalid page token "${token}".`);
  return Number(match[2]);
}

function pageSize(value: unknown): number {
  const size = Number(value ?? 0);
  if (size < 0) throw new ApiError(Status.INVALID_ARGUMENT, `page_size must not be negative (got ${size}).`);
  if (size === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}

/** The emulator's state: projects, secrets, versions and IAM policies, and the API semantics over them. */
export class Store {
  readonly #projects = new Map<string, ProjectRecord>();
  readonly #byNumber = new Map<string, ProjectRecord>();
  readonly #declaredNumbers: Map<string, string>;
  #lastTime = 0n;
  #etagCounter = 0;

  constructor(options: { projectNumbers?: Record<string, string> } = {}) {
    this.#declaredNumbers = new Map(Object.entries(options.projectNumbers ?? {}));
    for (const [id, number] of this.#declaredNumbers) {
      if (!/^[1-9][0-9]{0,18}$/.test(number)) {
        throw new TypeError(`projectNumbers["${id}"] must be a string of digits (got "${number}").`);
      }
      this.#project(id);
    }
  }

  /** Strictly increasing timestamps, so creation order is also time order. */
  #now(): Timestamp {
    let nanos = BigInt(Date.now()) * 1000000n;
    if (nanos <= this.#lastTime) nanos = this.#lastTime + 1000n;
    this.#lastTime = nanos;
    return { seconds: String(nanos / 1000000000n), nanos: Number(nanos % 1000000000n) };
  }

  #etag(): string {
    this.#etagCounter += 1;
    return `"${(this.#lastTime / 1000n).toString(16)}${this.#etagCounter.toString(16).padStart(4, '0')}"`;
  }

  /** Finds (or, as an emulator, creates on first use) a project by ID or number. */
  #project(token: string): ProjectRecord {
    const existing = this.#byNumber.get(token) ?? this.#projects.get(token);
    if (existing) return existing;
    let number = /^[0-9]+$/.test(token)
      ? token
      : (this.#declaredNumbers.get(token) ?? derivedProjectNumber(token));
    while (this.#byNumber.has(number)) number = String(BigInt(number) + 1n);
    const project: ProjectRecord = { id: token, number, secrets: new Map() };
    this.#projects.set(token, project);
    this.#byNumber.set(number, project);
    return project;
  }

  /** The project number a project ID (or number) maps to. */
  projectNumber(token: string): string {
    return this.#project(token).number;
  }

  #secretPath(project: ProjectRecord, secret: string): string {
    return `projects/${project.number}/secrets/${secret}`;
  }

  #secret(name: SecretName): { project: ProjectRecord; secret: SecretRecord } {
    const project = this.#project(name.project);
    const secret = project.secrets.get(name.secret);
    if (!secret) {
      throw new ApiError(Status.NOT_FOUND, `Secret [${this.#secretPath(project, name.secret)}] not found.`);
    }
    return { project, secret };
  }

  #version(name: VersionName): { project: ProjectRecord; secret: SecretRecord; version: VersionRecord } {
    const { project, secret } = this.#secret(name);
    if (name.version === 'latest') {
      const latest = secret.versions.at(-1);
      if (!latest) {
        throw new ApiError(
          Status.NOT_FOUND,
          `Secret [${this.#secretPath(project, secret.id)}] not found or has no versions.`,
        );
      }
      return { project, secret, version: latest };
    }
    let number = Number(name.version);
    if (!/^[0-9]+$/.test(name.version)) {
      // A version alias (Secret.version_aliases).
      const aliases = (secret.fields['versionAliases'] ?? {}) as Record<string, string>;
      const aliased = aliases[name.version];
      if (aliased === undefined) {
        throw new ApiError(
          Status.NOT_FOUND,
          `Secret Version alias [${this.#secretPath(project, secret.id)}/versions/${name.version}] not found.`,
        );
      }
      number = Number(aliased);
    }
    const version = secret.versions[number - 1];
    if (!version) {
      throw new ApiError(
        Status.NOT_FOUND,
        `Secret Version [${this.#secretPath(project, secret.id)}/versions/${name.version}] not found.`,
      );
    }
    return { project, secret, version };
  }

  #secretMessage(project: ProjectRecord, secret: SecretRecord): Message {
    return {
      ...secret.fields,
      name: this.#secretPath(project, secret.id),
      createTime: secret.createTime,
      etag: secret.etag,
    };
  }

  #versionMessage(project: ProjectRecord, secret: SecretRecord, version: VersionRecord): Message {
    const message: Message = {
      name: `${this.#secretPath(project, secret.id)}/versions/${version.number}`,
      createTime: version.createTime,
      state: version.state,
      etag: version.etag,
      clientSpecifiedPayloadChecksum: version.clientChecksum,
      replicationStatus: { automatic: {} },
    };
    if (version.destroyTime) message['destroyTime'] = version.destroyTime;
    return message;
  }

  #checkEtag(kind: string, name: string, requested: unknown, current: string): void {
    if (typeof requested === 'string' && requested !== '' && requested !== current) {
      throw new ApiError(
        Status.ABORTED,
        `The etag provided (${requested}) does not match the current etag of ${kind} [${name}] (${current}).`,
      );
    }
  }

  /** `ttl` (INPUT_ONLY) becomes `expire_time`, which the API always returns instead. */
  #expiryFromTtl(ttl: unknown): Timestamp | undefined {
    if (!ttl || typeof ttl !== 'object') return undefined;
    const seconds = Number((ttl as { seconds?: string }).seconds ?? 0);
    return { seconds: String(Math.floor(Date.now() / 1000 + seconds)), nanos: 0 };
  }

  /** Labels and version aliases as the API documents them. */
  #checkFields(input: Record<string, unknown>, secret: SecretRecord | undefined): void {
    const labels = (input['labels'] ?? {}) as Record<string, string>;
    const entries = Object.entries(labels);
    if (entries.length > 64)
      throw new ApiError(Status.INVALID_ARGUMENT, 'A secret may have at most 64 labels.');
    for (const [key, value] of entries) {
      if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(key)) {
        throw new ApiError(
          Status.INVALID_ARGUMENT,
          `Invalid label key "${key}": 1–63 characters, starting with a lowercase letter, then lowercase letters, digits, _ and -.`,
        );
      }
      if (!/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(value)) {
        throw new ApiError(
          Status.INVALID_ARGUMENT,
          `Invalid value for label "${key}": at most 63 lowercase letters, digits, _ and -.`,
        );
      }
    }
    const aliases = (input['versionAliases'] ?? {}) as Record<string, string>;
    for (const [alias, version] of Object.entries(aliases)) {
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(alias) || alias === 'latest' || alias === 'NEW') {
        throw new ApiError(
          Status.INVALID_ARGUMENT,
          `Invalid version alias "${alias}": up to 63 letters, digits, - and _, starting with a letter; not "latest" or "NEW".`,
        );
      }
      const number = Number(version);
      if (!secret || !Number.isInteger(number) || number < 1 || number > secret.versions.length) {
        throw new ApiError(
          Status.INVALID_ARGUMENT,
          `Version alias "${alias}" refers to version ${version}, which does not exist.`,
        );
      }
    }
  }

  #addVersion(
    secret: SecretRecord,
    data: Buffer,
    state: VersionState,
    clientChecksum: boolean,
  ): VersionRecord {
    const version: VersionRecord = {
      number: secret.versions.length + 1,
      createTime: this.#now(),
      state,
      data,
      crc32c: crc32c(data),
      clientChecksum,
      etag: '',
    };
    version.etag = this.#etag();
    if (state === 'DESTROYED') {
      version.destroyTime = version.createTime;
      delete version.data;
    }
    secret.versions.push(version);
    return version;
  }

  #newSecret(project: ProjectRecord, id: string, fields: Record<string, unknown>): SecretRecord {
    const secret: SecretRecord = {
      id,
      createTime: this.#now(),
      etag: '',
      fields,
      versions: [],
      policy: { version: 0, bindings: [], auditConfigs: [], etag: Buffer.from('ACAB', 'base64') },
    };
    secret.etag = this.#etag();
    project.secrets.set(id, secret);
    return secret;
  }

  /** Loads a validated seed (see validateSeed). Existing secrets of the same name get the versions appended. */
  seed(seed: Seed): void {
    for (const [projectToken, secrets] of Object.entries(seed)) {
      const project = this.#project(projectToken);
      for (const [id, value] of Object.entries(secrets)) {
        const secret =
          project.secrets.get(id) ?? this.#newSecret(project, id, { replication: { automatic: {} } });
        for (const version of typeof value === 'string' ? [value] : value) {
          const { value: text, state = 'ENABLED' } =
            typeof version === 'string' ? { value: version } : version;
          const data = Buffer.from(text, 'utf8');
          if (data.length > MAX_PAYLOAD_BYTES) {
            throw new ApiError(
              Status.INVALID_ARGUMENT,
              `Seed value of ${projectToken}/${id} exceeds 64 KiB.`,
            );
          }
          this.#addVersion(secret, data, state, false);
        }
      }
    }
  }

  /** The secret a request names (for targeted faults), or undefined if it names none or is malformed. */
  static targetOf(request: Message): Target | undefined {
    const name = request['name'] ?? request['parent'] ?? request['resource'];
    if (typeof name === 'string') {
      const match = /^projects\/([^/]+)\/secrets\/([^/]+)/.exec(name);
      if (match) return { project: match[1]!, secret: match[2]! };
    }
    if (typeof request['parent'] === 'string' && typeof request['secretId'] === 'string') {
      const match = /^projects\/([^/]+)$/.exec(request['parent']);
      if (match) return { project: match[1]!, secret: request['secretId'] };
    }
    return undefined;
  }

  /** True when a target names this project+secret (project by ID or number, or any project when omitted). */
  matches(target: Target | undefined, rule: { project?: string; secret: string }): boolean {
    if (!target || target.secret !== rule.secret) return false;
    if (rule.project === undefined) return true;
    return this.#project(rule.project) === this.#project(target.project);
  }

  // ---- RPCs ------------------------------------------------------------------------------------

  createSecret(request: Message): Message {
    const projectToken: string = checkedName(parseProjectName, 'parent', request['parent']);
    const secretId = String(request['secretId'] ?? '');
    const problem = secretIdProblem(secretId);
    if (problem) throw new ApiError(Status.INVALID_ARGUMENT, problem);
    const input = (request['secret'] ?? {}) as Record<string, unknown>;
    const replication = input['replication'] as Record<string, unknown> | undefined;
    const userManaged = replication?.['userManaged'] as { replicas?: unknown[] } | undefined;
    if (!replication || (!replication['automatic'] && !userManaged)) {
      throw new ApiError(
        Status.INVALID_ARGUMENT,
        'Secret.replication must be provided (automatic or user_managed) for a global secret.',
      );
    }
    if (userManaged && (userManaged.replicas ?? []).length === 0) {
      throw new ApiError(
        Status.INVALID_ARGUMENT,
        'Secret.replication.user_managed.replicas must not be empty.',
      );
    }
    const project = this.#project(projectToken);
    this.#checkFields(input, undefined);
    if (project.secrets.has(secretId)) {
      throw new ApiError(
        Status.ALREADY_EXISTS,
        `Secret [${this.#secretPath(project, secretId)}] already exists.`,
      );
    }
    const { name: _name, createTime: _createTime, etag: _etag, ttl, ...fields } = input;
    const expireTime = this.#expiryFromTtl(ttl);
    if (expireTime) fields['expireTime'] = expireTime;
    const secret = this.#newSecret(project, secretId, fields);
    return this.#secretMessage(project, secret);
  }

  getSecret(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'name', request['name']);
    const { project, secret } = this.#secret(name);
    return this.#secretMessage(project, secret);
  }

  updateSecret(request: Message): Message {
    const input = (request['secret'] ?? {}) as Record<string, unknown>;
    const name: SecretName = checkedName(parseSecretName, 'secret.name', input['name']);
    const { project, secret } = this.#secret(name);
    this.#checkEtag('Secret', this.#secretPath(project, secret.id), input['etag'], secret.etag);
    const paths = ((request['updateMask'] as { paths?: string[] } | undefined)?.paths ?? []).map((path) =>
      path.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    );
    if (paths.length === 0)
      throw new ApiError(Status.INVALID_ARGUMENT, 'update_mask must list at least one field.');
    const updatable = [
      'labels',
      'annotations',
      'topics',
      'rotation',
      'expireTime',
      'ttl',
      'versionAliases',
      'versionDestroyTtl',
    ];
    for (const path of paths) {
      if (!updatable.includes(path)) {
        throw new ApiError(Status.INVALID_ARGUMENT, `update_mask path "${path}" cannot be updated.`);
      }
    }
    this.#checkFields(input, secret);
    for (const path of paths) {
      if (path === 'ttl' || path === 'expireTime') {
        delete secret.fields['expireTime'];
        const expireTime = path === 'ttl' ? this.#expiryFromTtl(input['ttl']) : input['expireTime'];
        if (expireTime !== undefined) secret.fields['expireTime'] = expireTime;
      } else if (input[path] === undefined) delete secret.fields[path];
      else secret.fields[path] = input[path];
    }
    secret.etag = this.#etag();
    return this.#secretMessage(project, secret);
  }

  listSecrets(request: Message): Message {
    const projectToken: string = checkedName(parseProjectName, 'parent', request['parent']);
    const size = pageSize(request['pageSize']);
    const offset = decodePageToken('secrets', String(request['pageToken'] ?? ''));
    const filter: Filter = parseFilter(String(request['filter'] ?? ''), 'secrets');
    const project = this.#project(projectToken);
    // Newest first, as ListSecretsResponse documents.
    const matching = [...project.secrets.values()]
      .reverse()
      .map((secret) => this.#secretMessage(project, secret))
      .filter((message) => filter(message));
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? encodePageToken('secrets', offset + size) : '';
    // total_size is 0 when a filter is set, as documented.
    return { secrets: page, nextPageToken: next, totalSize: request['filter'] ? 0 : matching.length };
  }

  deleteSecret(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'name', request['name']);
    const { project, secret } = this.#secret(name);
    this.#checkEtag('Secret', this.#secretPath(project, secret.id), request['etag'], secret.etag);
    project.secrets.delete(secret.id);
    return {};
  }

  addSecretVersion(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'parent', request['parent']);
    const payload = request['payload'] as { data?: Buffer; dataCrc32c?: string | number } | undefined;
    if (!payload) throw new ApiError(Status.INVALID_ARGUMENT, 'payload must be provided.');
    const data = Buffer.from(payload.data ?? Buffer.alloc(0));
    if (data.length > MAX_PAYLOAD_BYTES) {
      throw new ApiError(
        Status.INVALID_ARGUMENT,
        `Secret payload data is ${data.length} bytes; the maximum is ${MAX_PAYLOAD_BYTES} bytes (64 KiB).`,
      );
    }
    const { project, secret } = this.#secret(name);
    const clientChecksum = payload.dataCrc32c !== undefined && payload.dataCrc32c !== null;
    if (clientChecksum && Number(payload.dataCrc32c) !== crc32c(data)) {
      throw new ApiError(
        Status.INVALID_ARGUMENT,
        'The data_crc32c of the payload does not match the CRC32C of its data: the data was corrupted in transit or the checksum is wrong.',
      );
    }
    const version = this.#addVersion(secret, data, 'ENABLED', clientChecksum);
    return this.#versionMessage(project, secret, version);
  }

  #parseVersion(request: Message): VersionName {
    return checkedName(parseVersionName, 'name', request['name']);
  }

  getSecretVersion(request: Message): Message {
    const { project, secret, version } = this.#version(this.#parseVersion(request));
    return this.#versionMessage(project, secret, version);
  }

  /** The payload of an ENABLED version (through `latest` too), with its CRC32C as a decimal string. */
  accessSecretVersion(request: Message): Message {
    const { project, secret, version } = this.#version(this.#parseVersion(request));
    const name = `${this.#secretPath(project, secret.id)}/versions/${version.number}`;
    if (version.state !== 'ENABLED') {
      throw new ApiError(
        Status.FAILED_PRECONDITION,
        `Secret Version [${name}] is in ${version.state} state.`,
      );
    }
    return { name, payload: { data: version.data, dataCrc32c: String(version.crc32c) } };
  }

  listSecretVersions(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'parent', request['parent']);
    const size = pageSize(request['pageSize']);
    const offset = decodePageToken('versions', String(request['pageToken'] ?? ''));
    const filter: Filter = parseFilter(String(request['filter'] ?? ''), 'versions');
    const { project, secret } = this.#secret(name);
    const matching = [...secret.versions]
      .reverse()
      .map((version) => this.#versionMessage(project, secret, version))
      .filter((message) => filter(message));
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? encodePageToken('versions', offset + size) : '';
    return { versions: page, nextPageToken: next, totalSize: request['filter'] ? 0 : matching.length };
  }

  #transition(request: Message, to: VersionState): Message {
    const { project, secret, version } = this.#version(this.#parseVersion(request));
    const name = `${this.#secretPath(project, secret.id)}/versions/${version.number}`;
    this.#checkEtag('Secret Version', name, request['etag'], version.etag);
    if (version.state === 'DESTROYED') {
      throw new ApiError(Status.FAILED_PRECONDITION, `Secret Version [${name}] is in DESTROYED state.`);
    }
    version.state = to;
    if (to === 'DESTROYED') {
      version.destroyTime = this.#now();
      delete version.data;
    }
    version.etag = this.#etag();
    return this.#versionMessage(project, secret, version);
  }

  enableSecretVersion(request: Message): Message {
    return this.#transition(request, 'ENABLED');
  }

  disableSecretVersion(request: Message): Message {
    return this.#transition(request, 'DISABLED');
  }

  destroySecretVersion(request: Message): Message {
    return this.#transition(request, 'DESTROYED');
  }

  #policySecret(request: Message): { project: ProjectRecord; secret: SecretRecord } {
    const name: SecretName = checkedName(parseSecretName, 'resource', request['resource']);
    return this.#secret(name);
  }

  #policyMessage(policy: PolicyRecord): Message {
    return {
      version: policy.version,
      bindings: policy.bindings,
      auditConfigs: policy.auditConfigs,
      etag: policy.etag,
    };
  }

  getIamPolicy(request: Message): Message {
    return this.#policyMessage(this.#policySecret(request).secret.policy);
  }

  setIamPolicy(request: Message): Message {
    const { secret } = this.#policySecret(request);
    const policy = request['policy'] as
      | {
          version?: number;
          bindings?: { role?: string; members?: string[] }[];
          auditConfigs?: unknown[];
          etag?: Buffer;
        }
      | undefined;
    if (!policy) throw new ApiError(Status.INVALID_ARGUMENT, 'policy must be provided.');
    if (policy.etag && policy.etag.length > 0 && !Buffer.from(policy.etag).equals(secret.policy.etag)) {
      throw new ApiError(
        Status.ABORTED,
        'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.',
      );
    }
    const bindings = policy.bindings ?? [];
    for (const binding of bindings) {
      if (
        !binding.role ||
        !/^(roles|projects\/[^/]+\/roles|organizations\/[^/]+\/roles)\/./.test(binding.role)
      ) {
        throw new ApiError(
          Status.INVALID_ARGUMENT,
          `Invalid role "${binding.role ?? ''}" in policy binding.`,
        );
      }
      for (const member of binding.members ?? []) {
        if (
          !/^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|principal|principalSet|deleted:user|deleted:serviceAccount|deleted:group):.+)$/.test(
            member,
          )
        ) {
          throw new ApiError(
            Status.INVALID_ARGUMENT,
            `Invalid member "${member}" in policy binding for ${binding.role}.`,
          );
        }
      }
    }
    secret.policy = {
      version: policy.version ?? 1,
      bindings,
      auditConfigs: policy.auditConfigs ?? [],
      etag: randomBytes(8),
    };
    return this.#policyMessage(secret.policy);
  }

  testIamPermissions(request: Message): Message {
    this.#policySecret(request);
    return { permissions: (request['permissions'] as string[] | undefined) ?? [] };
  }
}
