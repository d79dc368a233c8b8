import { createHash, randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { type Filter, parseFilter } from './filter.ts';
import {
  NameError,
  type ParentName,
  parseParentName,
  parseSecretName,
  parseVersionName,
  type SecretName,
  secretIdProblem,
  type VersionName,
} from './names.ts';
import type { Seed, VersionState } from './seed.ts';
import { ApiError, Status } from './status.ts';

/** The real API's payload limit. */
const MAX_PAYLOAD_BYTES = 65536;
const MAX_PAGE_SIZE = 25000;
const DEFAULT_PAGE_SIZE = 25000;
const MAX_LABELS = 64;
const MAX_ALIASES = 50;
const MAX_TOPICS = 10;
const MAX_ANNOTATIONS_BYTES = 16384;
const MIN_ROTATION_LEAD_SECONDS = 300;
const MIN_ROTATION_PERIOD_SECONDS = 3600;
const MAX_ROTATION_SECONDS = 3153600000;

/** google.protobuf.Timestamp / Duration as proto-loader gives and takes them. */
export interface Timestamp {
  seconds: string;
  nanos: number;
}
type Duration = Timestamp;

interface VersionRecord {
  number: number;
  createTime: Timestamp;
  destroyTime?: Timestamp;
  scheduledDestroyTime?: Timestamp;
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
  /** A unique ID per created secret (a re-created secret gets a new one), for policy_member. */
  uid: string;
  /** The location of a regional secret; undefined for a global one. */
  location: string | undefined;
  createTime: Timestamp;
  etag: string;
  /** The stored fields of the Secret message that the API returns (labels, rotation, …). */
  fields: Record<string, unknown>;
  /** INPUT_ONLY: kept, never returned. */
  tags: Record<string, string>;
  versions: VersionRecord[];
  policy: PolicyRecord;
}

interface ProjectRecord {
  id: string;
  number: string;
  /** Keyed by `${location ?? ''}/${secretId}`: each location's secrets, and the global ones, apart. */
  secrets: Map<string, SecretRecord>;
}

/** What a request is about, for faults that target one secret. */
export interface Target {
  project: string;
  secret: string;
}

/** Options of the {@link Store}. */
export interface StoreOptions {
  projectNumbers?: Record<string, string>;
  /** The locations regional secrets may use; undefined = any. */
  locations?: readonly string[];
  /** The clock, in ms since the epoch (for expiration, rotation and delayed destruction). */
  now?: () => number;
  /** Regional names only through their regional endpoint (as Google), not through the plain address. */
  strictEndpoints?: boolean;
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
    if (error instanceof NameError) throw new ApiError(Status.INVALID_ARGUMENT, error.message);
    throw error;
  }
}

function invalidArgument(message: string): ApiError {
  return new ApiError(Status.INVALID_ARGUMENT, message);
}

function durationSeconds(duration: unknown): number | undefined {
  if (!duration || typeof duration !== 'object') return undefined;
  const { seconds = 0, nanos = 0 } = duration as { seconds?: string | number; nanos?: number };
  return Number(seconds) + Number(nanos) / 1e9;
}

function timestampMs(time: unknown): number | undefined {
  const seconds = durationSeconds(time);
  return seconds === undefined ? undefined : seconds * 1000;
}

function toTimestamp(ms: number): Timestamp {
  return { seconds: String(Math.floor(ms / 1000)), nanos: Math.round((ms % 1000) * 1e6) };
}

/** A set map field: proto-loader leaves an empty map out, and so do we. */
function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return Object.keys(value).length > 0;
  return true;
}

function camel(segment: string): string {
  return segment.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function pageSize(value: unknown): number {
  const size = Number(value ?? 0);
  if (size < 0) throw invalidArgument(`page_size must not be negative (got ${size}).`);
  if (size === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}

/** Fields of Secret an update mask may name: top-level name → the sub-paths it accepts. */
const UPDATABLE: Record<string, 'map' | readonly string[] | 'leaf'> = {
  labels: 'map',
  annotations: 'map',
  versionAliases: 'map',
  topics: 'leaf',
  rotation: ['next_rotation_time', 'rotation_period'],
  expireTime: 'leaf',
  ttl: 'leaf',
  versionDestroyTtl: 'leaf',
  customerManagedEncryption: ['kms_key_name'],
};
const IMMUTABLE = new Set(['replication', 'tags', 'secretType']);
const OUTPUT_ONLY = new Set(['name', 'createTime', 'policyMember', 'etag']);
/** What `*` replaces. */
const WILDCARD_FIELDS = [
  'labels',
  'annotations',
  'versionAliases',
  'topics',
  'rotation',
  'expiration',
  'versionDestroyTtl',
  'customerManagedEncryption',
] as const;

const SECRET_TYPES = new Set([
  'SECRET_TYPE_UNSPECIFIED',
  'CLOUD_SQL_DB_CREDENTIALS',
  'ACCESS_KEY',
  'CERTIFICATE',
  'OTHER_DB_CREDENTIALS',
  'OTHER',
]);

/** The emulator's state: projects, secrets, versions and IAM policies, and the API semantics over them. */
export class Store {
  readonly #projects = new Map<string, ProjectRecord>();
  readonly #byNumber = new Map<string, ProjectRecord>();
  readonly #declaredNumbers: Map<string, string>;
  readonly #locations: ReadonlySet<string> | undefined;
  readonly #clock: () => number;
  readonly #strictEndpoints: boolean;
  #lastTime = 0n;
  #etagCounter = 0;
  /** The location of the regional endpoint the current call was addressed to, if any. */
  #endpointLocation: string | undefined;

  constructor(options: StoreOptions = {}) {
    this.#declaredNumbers = new Map(Object.entries(options.projectNumbers ?? {}));
    this.#clock = options.now ?? Date.now;
    this.#strictEndpoints = options.strictEndpoints ?? false;
    this.#locations = options.locations ? new Set(options.locations) : undefined;
    for (const location of options.locations ?? []) {
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(location)) {
        throw new TypeError(`locations: "${location}" is not a location ID such as europe-west1.`);
      }
    }
    for (const [id, number] of this.#declaredNumbers) {
      if (!/^[1-9][0-9]{0,18}$/.test(number)) {
        throw new TypeError(`projectNumbers["${id}"] must be a string of digits (got "${number}").`);
      }
      this.#project(id);
    }
  }

  /**
   * Runs one call as addressed to an endpoint: a regional endpoint (`secretmanager.L.rep.googleapis.com`)
   * serves only names in location L.
   */
  withEndpoint<T>(location: string | undefined, run: () => T): T {
    this.#endpointLocation = location;
    try {
      return run();
    } finally {
      this.#endpointLocation = undefined;
    }
  }

  /** Strictly increasing timestamps, so creation order is also time order. */
  #now(): Timestamp {
    let nanos = BigInt(Math.floor(this.#clock())) * 1000000n;
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

  /** The parent a name lives in, checked against the served locations and the call's endpoint. */
  #parent(name: ParentName): ProjectRecord {
    const { location } = name;
    if (location !== undefined && this.#locations && !this.#locations.has(location)) {
      throw invalidArgument(
        `Location "${location}" is not served by this emulator (served: ${[...this.#locations].join(', ')}).`,
      );
    }
    if (this.#strictEndpoints && location !== undefined && this.#endpointLocation === undefined) {
      throw invalidArgument(
        `Regional secrets of location "${location}" are served by secretmanager.${location}.rep.googleapis.com; ` +
          'this call did not come through that endpoint (the emulator runs with strictEndpoints).',
      );
    }
    if (this.#endpointLocation !== undefined && location !== this.#endpointLocation) {
      throw invalidArgument(
        `The regional endpoint secretmanager.${this.#endpointLocation}.rep.googleapis.com serves only ` +
          `projects/*/locations/${this.#endpointLocation}/…; ${location === undefined ? 'a global name' : `location "${location}"`} was requested.`,
      );
    }
    return this.#project(name.project);
  }

  #parentPath(project: ProjectRecord, location: string | undefined): string {
    return location === undefined
      ? `projects/${project.number}`
      : `projects/${project.number}/locations/${location}`;
  }

  #secretPath(project: ProjectRecord, location: string | undefined, secret: string): string {
    return `${this.#parentPath(project, location)}/secrets/${secret}`;
  }

  #versionPath(project: ProjectRecord, secret: SecretRecord, version: VersionRecord): string {
    return `${this.#secretPath(project, secret.location, secret.id)}/versions/${version.number}`;
  }

  /** Applies what time does: expired secrets go, versions past their scheduled destruction are destroyed. */
  #sweep(project: ProjectRecord): void {
    const now = this.#clock();
    for (const [key, secret] of project.secrets) {
      const expires = timestampMs(secret.fields['expireTime']);
      if (expires !== undefined && expires <= now) {
        project.secrets.delete(key);
        continue;
      }
      for (const version of secret.versions) {
        const scheduled = timestampMs(version.scheduledDestroyTime);
        if (scheduled !== undefined && scheduled <= now && version.state !== 'DESTROYED') {
          version.state = 'DESTROYED';
          version.destroyTime = version.scheduledDestroyTime!;
          delete version.scheduledDestroyTime;
          delete version.data;
        }
      }
    }
  }

  #secret(name: SecretName): { project: ProjectRecord; secret: SecretRecord } {
    const project = this.#parent(name);
    this.#sweep(project);
    const secret = project.secrets.get(`${name.location ?? ''}/${name.secret}`);
    if (!secret) {
      throw new ApiError(
        Status.NOT_FOUND,
        `Secret [${this.#secretPath(project, name.location, name.secret)}] not found.`,
      );
    }
    return { project, secret };
  }

  #version(name: VersionName): { project: ProjectRecord; secret: SecretRecord; version: VersionRecord } {
    const { project, secret } = this.#secret(name);
    const secretPath = this.#secretPath(project, secret.location, secret.id);
    if (name.version === 'latest') {
      const latest = secret.versions.at(-1);
      if (!latest) {
        throw new ApiError(Status.NOT_FOUND, `Secret [${secretPath}] not found or has no versions.`);
      }
      return { project, secret, version: latest };
    }
    let number = Number(name.version);
    if (!/^[0-9]+$/.test(name.version)) {
      const aliases = (secret.fields['versionAliases'] ?? {}) as Record<string, string>;
      const aliased = aliases[name.version];
      if (aliased === undefined) {
        throw new ApiError(
          Status.NOT_FOUND,
          `Secret Version alias [${secretPath}/versions/${name.version}] not found.`,
        );
      }
      number = Number(aliased);
    }
    const version = secret.versions[number - 1];
    if (!version) {
      throw new ApiError(
        Status.NOT_FOUND,
        `Secret Version [${secretPath}/versions/${name.version}] not found.`,
      );
    }
    return { project, secret, version };
  }

  #secretMessage(project: ProjectRecord, secret: SecretRecord): Message {
    const name = this.#secretPath(project, secret.location, secret.id);
    const uidPath = name.replace(`/secrets/${secret.id}`, `/secrets/${secret.uid}`);
    const message: Message = {
      name,
      createTime: secret.createTime,
      etag: secret.etag,
      policyMember: {
        iamPolicyNamePrincipal: `principal://secretmanager.googleapis.com/${name}`,
        iamPolicyUidPrincipal: `principal://secretmanager.googleapis.com/${uidPath.replace(/^projects\/([^/]+)\//, 'projects/$1/uid/')}`,
      },
    };
    for (const [key, value] of Object.entries(secret.fields)) {
      if (nonEmpty(value)) message[key] = value;
    }
    return message;
  }

  #versionMessage(project: ProjectRecord, secret: SecretRecord, version: VersionRecord): Message {
    const message: Message = {
      name: this.#versionPath(project, secret, version),
      createTime: version.createTime,
      state: version.state,
      etag: version.etag,
      clientSpecifiedPayloadChecksum: version.clientChecksum,
    };
    const replication = secret.fields['replication'] as
      | { automatic?: unknown; userManaged?: { replicas?: { location?: string }[] } }
      | undefined;
    if (replication?.userManaged) {
      message['replicationStatus'] = {
        userManaged: {
          replicas: (replication.userManaged.replicas ?? []).map((replica) => ({
            location: replica.location,
          })),
        },
      };
    } else if (replication) {
      message['replicationStatus'] = { automatic: {} };
    }
    const cmek = secret.fields['customerManagedEncryption'] as { kmsKeyName?: string } | undefined;
    if (cmek?.kmsKeyName) {
      message['customerManagedEncryption'] = { kmsKeyVersionName: `${cmek.kmsKeyName}/cryptoKeyVersions/1` };
    }
    if (version.destroyTime) message['destroyTime'] = version.destroyTime;
    if (version.scheduledDestroyTime) message['scheduledDestroyTime'] = version.scheduledDestroyTime;
    return message;
  }

  /** The etags page (https://cloud.google.com/secret-manager/docs/etags): a mismatch is FAILED_PRECONDITION. */
  #checkEtag(kind: string, name: string, requested: unknown, current: string): void {
    if (typeof requested === 'string' && requested !== '' && requested !== current) {
      throw new ApiError(
        Status.FAILED_PRECONDITION,
        `The etag provided (${requested}) does not match the current etag of ${kind} [${name}] (${current}).`,
      );
    }
  }

  /** A Cloud KMS key name; in `location` when the reference says where it must reside. */
  #checkKmsKey(field: string, key: unknown, location: string | undefined): void {
    const match = /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.exec(
      String(key ?? ''),
    );
    if (!match) {
      throw invalidArgument(
        `${field} "${String(key ?? '')}" must be projects/*/locations/*/keyRings/*/cryptoKeys/*.`,
      );
    }
    if (location !== undefined && match[1] !== location) {
      throw invalidArgument(`${field} must be a key in location "${location}" (got "${match[1]}").`);
    }
  }

  /** Checks every field of a Secret as it will be stored (after create or after the mask is applied). */
  #validateSecret(
    fields: Message,
    secret: { location: string | undefined; versions: VersionRecord[] },
    touched: ReadonlySet<string>,
  ): void {
    const labels = (fields['labels'] ?? {}) as Record<string, string>;
    const labelEntries = Object.entries(labels);
    if (labelEntries.length > MAX_LABELS) {
      throw invalidArgument(`A secret may have at most ${MAX_LABELS} labels (got ${labelEntries.length}).`);
    }
    for (const [key, value] of labelEntries) {
      if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(key) || Buffer.byteLength(key) > 128) {
        throw invalidArgument(
          `Invalid label key "${key}": 1–63 characters (at most 128 bytes), starting with a lowercase letter, then lowercase letters, digits, _ and -.`,
        );
      }
      if (!/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(value) || Buffer.byteLength(value) > 128) {
        throw invalidArgument(
          `Invalid value for label "${key}": at most 63 lowercase letters, digits, _ and - (at most 128 bytes).`,
        );
      }
    }
    const annotations = (fields['annotations'] ?? {}) as Record<string, string>;
    let annotationBytes = 0;
    for (const [key, value] of Object.entries(annotations)) {
      if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(key) || Buffer.byteLength(key) > 128) {
        throw invalidArgument(
          `Invalid annotation key "${key}": 1–63 characters, beginning and ending with a letter or digit, with -, _ and . in between.`,
        );
      }
      annotationBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    if (annotationBytes >= MAX_ANNOTATIONS_BYTES) {
      throw invalidArgument(
        `The annotations total ${annotationBytes} bytes; keys and values together must be less than 16 KiB (${MAX_ANNOTATIONS_BYTES} bytes).`,
      );
    }
    const aliases = (fields['versionAliases'] ?? {}) as Record<string, string>;
    const aliasEntries = Object.entries(aliases);
    if (aliasEntries.length > MAX_ALIASES) {
      throw invalidArgument(
        `A secret may have at most ${MAX_ALIASES} version aliases (got ${aliasEntries.length}).`,
      );
    }
    for (const [alias, version] of aliasEntries) {
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(alias) || /^(latest|new)$/i.test(alias)) {
        throw invalidArgument(
          `Invalid version alias "${alias}": up to 63 letters, digits, - and _, starting with a letter; not "latest" or "new" in any case.`,
        );
      }
      const number = Number(version);
      const target = Number.isInteger(number) && number >= 1 ? secret.versions[number - 1] : undefined;
      if (!target)
        throw invalidArgument(`Version alias "${alias}" refers to version ${version}, which does not exist.`);
      if (target.state === 'DESTROYED') {
        throw invalidArgument(`Version alias "${alias}" refers to version ${version}, which is destroyed.`);
      }
    }
    const topics = (fields['topics'] ?? []) as { name?: string }[];
    if (topics.length > MAX_TOPICS) {
      throw invalidArgument(`A secret may have at most ${MAX_TOPICS} Pub/Sub topics (got ${topics.length}).`);
    }
    for (const topic of topics) {
      if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topic.name ?? '')) {
        throw invalidArgument(`Invalid topic name "${topic.name ?? ''}": expected projects/*/topics/*.`);
      }
    }
    const now = this.#clock();
    const rotation = fields['rotation'] as
      | { nextRotationTime?: Timestamp; rotationPeriod?: Duration }
      | undefined;
    if (rotation && (rotation.nextRotationTime || rotation.rotationPeriod)) {
      if (topics.length === 0) {
        throw invalidArgument('Secret.topics must be set to configure rotation (Secret.rotation).');
      }
      if (rotation.rotationPeriod) {
        const period = durationSeconds(rotation.rotationPeriod)!;
        if (
          !Number.isInteger(period) ||
          period < MIN_ROTATION_PERIOD_SECONDS ||
          period > MAX_ROTATION_SECONDS
        ) {
          throw invalidArgument(
            `rotation.rotation_period must be whole seconds from ${MIN_ROTATION_PERIOD_SECONDS}s (1 h) to ${MAX_ROTATION_SECONDS}s (100 years) (got ${period}s).`,
          );
        }
        if (!rotation.nextRotationTime) {
          throw invalidArgument(
            'rotation.next_rotation_time must be set when rotation.rotation_period is set.',
          );
        }
      }
      if (rotation.nextRotationTime && touched.has('rotation.next_rotation_time')) {
        const lead = (timestampMs(rotation.nextRotationTime)! - now) / 1000;
        if (lead < MIN_ROTATION_LEAD_SECONDS || lead > MAX_ROTATION_SECONDS) {
          throw invalidArgument(
            `rotation.next_rotation_time must be at least ${MIN_ROTATION_LEAD_SECONDS}s (5 min) and at most ${MAX_ROTATION_SECONDS}s (100 years) in the future.`,
          );
        }
      }
    }
    if (touched.has('expiration') && fields['expireTime'] !== undefined) {
      if (timestampMs(fields['expireTime'])! <= now) {
        throw invalidArgument('Secret.expire_time must be in the future (or use ttl).');
      }
    }
    const destroyTtl = durationSeconds(fields['versionDestroyTtl']);
    if (destroyTtl !== undefined && destroyTtl < 0) {
      throw invalidArgument(`Secret.version_destroy_ttl must not be negative (got ${destroyTtl}s).`);
    }
    const cmek = fields['customerManagedEncryption'] as { kmsKeyName?: string } | undefined;
    if (cmek !== undefined) {
      if (secret.location === undefined) {
        throw invalidArgument(
          'Secret.customer_managed_encryption is for regional secrets; a global secret sets it in its replication policy.',
        );
      }
      this.#checkKmsKey('customer_managed_encryption.kms_key_name', cmek.kmsKeyName, undefined);
    }
  }

  #validateReplication(input: Message, location: string | undefined): void {
    const replication = input['replication'] as
      | {
          automatic?: { customerManagedEncryption?: { kmsKeyName?: string } };
          userManaged?: {
            replicas?: { location?: string; customerManagedEncryption?: { kmsKeyName?: string } }[];
          };
        }
      | undefined;
    if (location !== undefined) {
      if (replication) {
        throw invalidArgument(
          'A regional secret has no replication policy: its data stays in its location. Leave Secret.replication unset.',
        );
      }
      return;
    }
    if (!replication || (!replication.automatic && !replication.userManaged)) {
      throw invalidArgument(
        'Secret.replication must be provided (automatic or user_managed) for a global secret.',
      );
    }
    if (replication.automatic?.customerManagedEncryption) {
      this.#checkKmsKey(
        'replication.automatic.customer_managed_encryption.kms_key_name',
        replication.automatic.customerManagedEncryption.kmsKeyName,
        'global',
      );
    }
    if (replication.userManaged) {
      const replicas = replication.userManaged.replicas ?? [];
      if (replicas.length === 0)
        throw invalidArgument('Secret.replication.user_managed.replicas must not be empty.');
      for (const replica of replicas) {
        if (!/^[a-z][a-z0-9-]{0,62}$/.test(replica.location ?? '')) {
          throw invalidArgument(`Invalid replica location "${replica.location ?? ''}".`);
        }
        if (replica.customerManagedEncryption) {
          this.#checkKmsKey(
            'replication.user_managed.replicas.customer_managed_encryption.kms_key_name',
            replica.customerManagedEncryption.kmsKeyName,
            replica.location!,
          );
        }
      }
    }
  }

  #validateTags(tags: unknown): Record<string, string> {
    const entries = Object.entries((tags ?? {}) as Record<string, string>);
    for (const [key, value] of entries) {
      if (!/^(tagKeys\/[0-9]+|[^/]+\/[^/]+)$/.test(key) || !/^(tagValues\/[0-9]+|[^/]+)$/.test(value)) {
        throw invalidArgument(
          `Invalid tag "${key}": "${value}": keys are tagKeys/ID or PARENT/SHORT_NAME, values tagValues/ID or a short name.`,
        );
      }
    }
    return Object.fromEntries(entries);
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

  #newSecret(
    project: ProjectRecord,
    location: string | undefined,
    id: string,
    fields: Message,
    tags: Record<string, string> = {},
  ): SecretRecord {
    const secret: SecretRecord = {
      id,
      uid: randomBytes(8).toString('hex'),
      location,
      createTime: this.#now(),
      etag: '',
      fields,
      tags,
      versions: [],
      policy: { version: 0, bindings: [], auditConfigs: [], etag: Buffer.from('ACAB', 'base64') },
    };
    secret.etag = this.#etag();
    project.secrets.set(`${location ?? ''}/${id}`, secret);
    return secret;
  }

  /** Loads a validated seed (see validateSeed). Existing secrets of the same name get the versions appended. */
  seed(seed: Seed): void {
    for (const [key, secrets] of Object.entries(seed)) {
      const [projectToken, location] = key.split('/locations/') as [string, string | undefined];
      const project = this.#project(projectToken);
      for (const [id, value] of Object.entries(secrets)) {
        const secret =
          project.secrets.get(`${location ?? ''}/${id}`) ??
          this.#newSecret(project, location, id, location ? {} : { replication: { automatic: {} } });
        for (const version of typeof value === 'string' ? [value] : value) {
          const { value: text, state = 'ENABLED' } =
            typeof version === 'string' ? { value: version } : version;
          const data = Buffer.from(text, 'utf8');
          if (data.length > MAX_PAYLOAD_BYTES) {
            throw invalidArgument(`Seed value of ${key}/${id} exceeds 64 KiB.`);
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
      const match = /^projects\/([^/]+)(?:\/locations\/[^/]+)?\/secrets\/([^/]+)/.exec(name);
      if (match) return { project: match[1]!, secret: match[2]! };
    }
    if (typeof request['parent'] === 'string' && typeof request['secretId'] === 'string') {
      const match = /^projects\/([^/]+)(?:\/locations\/[^/]+)?$/.exec(request['parent']);
      if (match) return { project: match[1]!, secret: request['secretId'] };
    }
    const secret = request['secret'] as { name?: unknown } | undefined;
    if (typeof secret?.name === 'string') return Store.targetOf({ name: secret.name });
    return undefined;
  }

  /** True when a target names this project+secret (project by ID or number, or any project when omitted). */
  matches(target: Target | undefined, rule: { project?: string; secret: string }): boolean {
    if (!target || target.secret !== rule.secret) return false;
    if (rule.project === undefined) return true;
    return this.#project(rule.project) === this.#project(target.project);
  }

  // ---- page tokens -----------------------------------------------------------------------------

  /** A page token names the request it continues (method, parent, filter), as AIP-158 asks. */
  #requestKey(kind: string, parent: string, filter: string): string {
    return createHash('sha256').update(`${kind}\n${parent}\n${filter}`).digest('base64url').slice(0, 16);
  }

  #encodePageToken(key: string, offset: number): string {
    return Buffer.from(`${key}:${offset}`).toString('base64url');
  }

  #decodePageToken(key: string, token: string): number {
    if (token === '') return 0;
    const match = /^([A-Za-z0-9_-]{16}):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!match) throw invalidArgument(`Invalid page token "${token}".`);
    if (match[1] !== key) {
      throw invalidArgument(
        `The page token "${token}" belongs to a different request: parent and filter must be those of the request that returned it.`,
      );
    }
    return Number(match[2]);
  }

  // ---- RPCs ------------------------------------------------------------------------------------

  createSecret(request: Message): Message {
    const parent: ParentName = checkedName(parseParentName, 'parent', request['parent']);
    const secretId = String(request['secretId'] ?? '');
    const problem = secretIdProblem(secretId);
    if (problem) throw invalidArgument(problem);
    const input = (request['secret'] ?? {}) as Message;
    const project = this.#parent(parent);
    this.#sweep(project);
    this.#validateReplication(input, parent.location);
    const secretType = String(input['secretType'] ?? 'SECRET_TYPE_UNSPECIFIED');
    if (!SECRET_TYPES.has(secretType)) throw invalidArgument(`Invalid secret_type "${secretType}".`);
    if (secretType === 'CLOUD_SQL_DB_CREDENTIALS' && parent.location === undefined) {
      throw invalidArgument('secret_type CLOUD_SQL_DB_CREDENTIALS is supported for regional secrets only.');
    }
    const tags = this.#validateTags(input['tags']);
    const {
      name: _name,
      createTime: _createTime,
      etag: _etag,
      ttl,
      tags: _tags,
      policyMember: _policyMember,
      secretType: _secretType,
      ...fields
    } = input;
    if (ttl !== undefined) {
      const seconds = durationSeconds(ttl)!;
      if (seconds <= 0) throw invalidArgument('Secret.ttl must be positive.');
      fields['expireTime'] = toTimestamp(this.#clock() + seconds * 1000);
    }
    if (secretType !== 'SECRET_TYPE_UNSPECIFIED') fields['secretType'] = secretType;
    const touched = new Set(['expiration', 'rotation.next_rotation_time']);
    this.#validateSecret(fields, { location: parent.location, versions: [] }, touched);
    if (project.secrets.has(`${parent.location ?? ''}/${secretId}`)) {
      throw new ApiError(
        Status.ALREADY_EXISTS,
        `Secret [${this.#secretPath(project, parent.location, secretId)}] already exists.`,
      );
    }
    const secret = this.#newSecret(project, parent.location, secretId, fields, tags);
    return this.#secretMessage(project, secret);
  }

  getSecret(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'name', request['name']);
    const { project, secret } = this.#secret(name);
    return this.#secretMessage(project, secret);
  }

  /** Field masks as AIP-161 defines them: top-level fields, sub-fields, map keys (`labels.env`) and `*`. */
  updateSecret(request: Message): Message {
    const input = (request['secret'] ?? {}) as Message;
    const name: SecretName = checkedName(parseSecretName, 'secret.name', input['name']);
    const { project, secret } = this.#secret(name);
    this.#checkEtag(
      'Secret',
      this.#secretPath(project, secret.location, secret.id),
      input['etag'],
      secret.etag,
    );
    const paths = (request['updateMask'] as { paths?: string[] } | undefined)?.paths ?? [];
    if (paths.length === 0) throw invalidArgument('update_mask must list at least one field.');
    const fields: Message = structuredClone(secret.fields);
    const touched = new Set<string>();
    const setOrClear = (key: string, value: unknown): void => {
      if (nonEmpty(value)) fields[key] = structuredClone(value);
      else delete fields[key];
    };
    for (const path of paths) {
      if (path === '*') {
        if (paths.length > 1) throw invalidArgument('update_mask "*" must be the only path.');
        for (const field of WILDCARD_FIELDS) {
          if (field === 'expiration') {
            delete fields['expireTime'];
            if (input['ttl'] !== undefined) {
              fields['expireTime'] = toTimestamp(this.#clock() + durationSeconds(input['ttl'])! * 1000);
            } else if (input['expireTime'] !== undefined) fields['expireTime'] = input['expireTime'];
            touched.add('expiration');
          } else if (field === 'customerManagedEncryption' && secret.location === undefined) {
            if (input[field] !== undefined) setOrClear(field, input[field]);
          } else {
            setOrClear(field, input[field]);
          }
        }
        touched.add('rotation.next_rotation_time');
        continue;
      }
      const [head, ...rest] = path.split('.');
      const top = camel(head!);
      const sub = rest.join('.');
      if (IMMUTABLE.has(top)) throw invalidArgument(`update_mask path "${path}": ${head} is immutable.`);
      if (OUTPUT_ONLY.has(top))
        throw invalidArgument(`update_mask path "${path}": ${head} cannot be updated.`);
      const kind = UPDATABLE[top];
      if (kind === undefined)
        throw invalidArgument(`update_mask path "${path}" does not name a field of Secret.`);
      if (sub === '') {
        if (top === 'ttl' || top === 'expireTime') {
          delete fields['expireTime'];
          const expireTime =
            top === 'ttl'
              ? input['ttl'] === undefined
                ? undefined
                : toTimestamp(this.#clock() + durationSeconds(input['ttl'])! * 1000)
              : input['expireTime'];
          if (expireTime !== undefined) fields['expireTime'] = expireTime;
          touched.add('expiration');
        } else {
          setOrClear(top, input[top]);
          if (top === 'rotation') touched.add('rotation.next_rotation_time');
        }
      } else if (kind === 'map') {
        const map = { ...((fields[top] ?? {}) as Record<string, unknown>) };
        const given = (input[top] ?? {}) as Record<string, unknown>;
        if (Object.hasOwn(given, sub)) map[sub] = given[sub];
        else delete map[sub];
        setOrClear(top, map);
      } else if (Array.isArray(kind) && kind.includes(sub)) {
        const current = { ...((fields[top] ?? {}) as Record<string, unknown>) };
        const given = (input[top] ?? {}) as Record<string, unknown>;
        const key = camel(sub);
        if (given[key] !== undefined) current[key] = given[key];
        else delete current[key];
        setOrClear(top, current);
        touched.add(`${head}.${sub}`);
      } else {
        throw invalidArgument(`update_mask path "${path}" does not name a field of Secret.`);
      }
    }
    this.#validateSecret(fields, secret, touched);
    secret.fields = fields;
    secret.etag = this.#etag();
    return this.#secretMessage(project, secret);
  }

  listSecrets(request: Message): Message {
    const parent: ParentName = checkedName(parseParentName, 'parent', request['parent']);
    const size = pageSize(request['pageSize']);
    const filterText = String(request['filter'] ?? '');
    const filter: Filter = parseFilter(filterText, 'secrets');
    const project = this.#parent(parent);
    this.#sweep(project);
    const key = this.#requestKey('secrets', this.#parentPath(project, parent.location), filterText);
    const offset = this.#decodePageToken(key, String(request['pageToken'] ?? ''));
    // Newest first, as ListSecretsResponse documents; only this parent's location (or the global ones).
    const matching = [...project.secrets.values()]
      .filter((secret) => secret.location === parent.location)
      .reverse()
      .map((secret) => this.#secretMessage(project, secret))
      .filter((message) => filter(message));
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? this.#encodePageToken(key, offset + size) : '';
    // total_size is 0 when a filter is set, as documented.
    return { secrets: page, nextPageToken: next, totalSize: filterText ? 0 : matching.length };
  }

  deleteSecret(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'name', request['name']);
    const { project, secret } = this.#secret(name);
    this.#checkEtag(
      'Secret',
      this.#secretPath(project, secret.location, secret.id),
      request['etag'],
      secret.etag,
    );
    project.secrets.delete(`${secret.location ?? ''}/${secret.id}`);
    return {};
  }

  addSecretVersion(request: Message): Message {
    const name: SecretName = checkedName(parseSecretName, 'parent', request['parent']);
    const payload = request['payload'] as { data?: Buffer; dataCrc32c?: string | number } | undefined;
    if (!payload) throw invalidArgument('payload must be provided.');
    const data = Buffer.from(payload.data ?? Buffer.alloc(0));
    if (data.length > MAX_PAYLOAD_BYTES) {
      throw invalidArgument(
        `Secret payload data is ${data.length} bytes; the maximum is ${MAX_PAYLOAD_BYTES} bytes (64 KiB).`,
      );
    }
    const { project, secret } = this.#secret(name);
    if (secret.fields['secretType'] === 'CLOUD_SQL_DB_CREDENTIALS') {
      throw new ApiError(
        Status.FAILED_PRECONDITION,
        'AddSecretVersion is not allowed on a CLOUD_SQL_DB_CREDENTIALS secret: use EnableManagedRotation / RotateSecret.',
      );
    }
    const clientChecksum = payload.dataCrc32c !== undefined && payload.dataCrc32c !== null;
    if (clientChecksum && Number(payload.dataCrc32c) !== crc32c(data)) {
      throw invalidArgument(
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
    const name = this.#versionPath(project, secret, version);
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
    const filterText = String(request['filter'] ?? '');
    const filter: Filter = parseFilter(filterText, 'versions');
    const { project, secret } = this.#secret(name);
    const key = this.#requestKey(
      'versions',
      this.#secretPath(project, secret.location, secret.id),
      filterText,
    );
    const offset = this.#decodePageToken(key, String(request['pageToken'] ?? ''));
    const matching = [...secret.versions]
      .reverse()
      .map((version) => this.#versionMessage(project, secret, version))
      .filter((message) => filter(message));
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? this.#encodePageToken(key, offset + size) : '';
    return { versions: page, nextPageToken: next, totalSize: filterText ? 0 : matching.length };
  }

  #transition(request: Message, to: VersionState): Message {
    const { project, secret, version } = this.#version(this.#parseVersion(request));
    const name = this.#versionPath(project, secret, version);
    this.#checkEtag('Secret Version', name, request['etag'], version.etag);
    if (version.state === 'DESTROYED') {
      throw new ApiError(Status.FAILED_PRECONDITION, `Secret Version [${name}] is in DESTROYED state.`);
    }
    const delay = durationSeconds(secret.fields['versionDestroyTtl']) ?? 0;
    if (to === 'DESTROYED' && delay > 0) {
      // Delayed destruction: disabled now, destroyed at scheduled_destroy_time (enable/disable cancels it).
      version.state = 'DISABLED';
      version.scheduledDestroyTime = toTimestamp(this.#clock() + delay * 1000);
    } else {
      version.state = to;
      delete version.scheduledDestroyTime;
      if (to === 'DESTROYED') {
        version.destroyTime = this.#now();
        delete version.data;
      }
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
    if (!policy) throw invalidArgument('policy must be provided.');
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
        throw invalidArgument(`Invalid role "${binding.role ?? ''}" in policy binding.`);
      }
      for (const member of binding.members ?? []) {
        if (
          !/^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|principal|principalSet|deleted:user|deleted:serviceAccount|deleted:group):.+)$/.test(
            member,
          )
        ) {
          throw invalidArgument(`Invalid member "${member}" in policy binding for ${binding.role}.`);
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

  /** As documented: a secret that does not exist gets an empty set of permissions, not NOT_FOUND. */
  testIamPermissions(request: Message): Message {
    try {
      this.#policySecret(request);
    } catch (error) {
      if (error instanceof ApiError && error.status === Status.NOT_FOUND) return { permissions: [] };
      throw error;
    }
    return { permissions: (request['permissions'] as string[] | undefined) ?? [] };
  }
}
