import { parseSecretName } from './names.ts';
import { ApiError, Status, type StatusName, toStatusCode } from './status.ts';
import type { Store, Target } from './store.ts';

/**
 * The RPCs of google.cloud.secretmanager.v1.SecretManagerService that the emulator serves.
 *
 * @example METHODS.includes('AccessSecretVersion') // true
 */
export const METHODS = [
  'ListSecrets',
  'CreateSecret',
  'AddSecretVersion',
  'GetSecret',
  'UpdateSecret',
  'DeleteSecret',
  'ListSecretVersions',
  'GetSecretVersion',
  'AccessSecretVersion',
  'DisableSecretVersion',
  'EnableSecretVersion',
  'DestroySecretVersion',
  'SetIamPolicy',
  'GetIamPolicy',
  'TestIamPermissions',
] as const;

/** An RPC name as in the proto, e.g. `'AccessSecretVersion'`. */
export type MethodName = (typeof METHODS)[number];

/** Options of {@link FaultApi.failNext}. */
export interface FailNextOptions {
  /** How many matching calls fail. @default 1 */
  times?: number;
  /** The gRPC status to answer with: a number or a name. @example 'UNAVAILABLE' */
  code: number | StatusName;
  /** Only calls about this secret: a secret ID (any project) or `projects/P/secrets/S`. @default every call */
  secret?: string;
  /** The status details. @default 'Injected fault: <CODE>' */
  message?: string;
}

/** Options of {@link FaultApi.setLatency}: which calls the latency applies to. */
export interface LatencyOptions {
  /** Only this RPC. @default every RPC */
  method?: MethodName;
  /** Only calls about this secret (a secret ID or `projects/P/secrets/S`). @default every secret */
  secret?: string;
}

/**
 * Fault injection, for testing how clients behave when Secret Manager misbehaves. Faults apply to calls that
 * arrive after they are set; `reset()` removes them all (the data stays).
 *
 * @example
 * emulator.faults.failNext('AccessSecretVersion', { times: 2, code: 'UNAVAILABLE' });
 * emulator.faults.setLatency(50, { secret: 'jwt-secret-staging' });
 */
export interface FaultApi {
  /** The next `times` calls of `method` (`'*'`: any method), optionally about one secret, fail with `code`. */
  failNext(method: MethodName | '*', options: FailNextOptions): void;
  /**
   * Delays answers by `ms` (a timer: other calls are not blocked). The most specific rule wins:
   * method+secret, then secret, then method, then global (no options). `0` sets a rule of no delay.
   */
  setLatency(ms: number, options?: LatencyOptions): void;
  /** AccessSecretVersion of this secret returns a `data_crc32c` that does not match the data. */
  corruptChecksum(secret: string): void;
  /** Every call about this secret fails with PERMISSION_DENIED, as when the caller lacks the IAM role. */
  deny(secret: string): void;
  /** Removes every fault, including the start-up latency. */
  reset(): void;
}

interface SecretRule {
  project?: string;
  secret: string;
}

function secretRule(secret: string): SecretRule {
  if (secret.includes('/')) {
    const name = parseSecretName('secret', secret);
    return { project: name.project, secret: name.secret };
  }
  return { secret };
}

const PERMISSIONS: Record<MethodName, string> = {
  ListSecrets: 'secretmanager.secrets.list',
  CreateSecret: 'secretmanager.secrets.create',
  AddSecretVersion: 'secretmanager.versions.add',
  GetSecret: 'secretmanager.secrets.get',
  UpdateSecret: 'secretmanager.secrets.update',
  DeleteSecret: 'secretmanager.secrets.delete',
  ListSecretVersions: 'secretmanager.versions.list',
  GetSecretVersion: 'secretmanager.versions.get',
  AccessSecretVersion: 'secretmanager.versions.access',
  DisableSecretVersion: 'secretmanager.versions.disable',
  EnableSecretVersion: 'secretmanager.versions.enable',
  DestroySecretVersion: 'secretmanager.versions.destroy',
  SetIamPolicy: 'secretmanager.secrets.setIamPolicy',
  GetIamPolicy: 'secretmanager.secrets.getIamPolicy',
  TestIamPermissions: 'secretmanager.secrets.get',
};

/** The fault state of one emulator; the server consults it on every call. */
export class Faults implements FaultApi {
  readonly #store: Store;
  #failures: {
    method: MethodName | '*';
    remaining: number;
    code: number;
    rule?: SecretRule;
    message: string;
  }[] = [];
  #latencies: { ms: number; method?: MethodName; rule?: SecretRule }[] = [];
  #corrupted: SecretRule[] = [];
  #denied: SecretRule[] = [];

  constructor(store: Store, latencyMs = 0) {
    this.#store = store;
    if (latencyMs > 0) this.setLatency(latencyMs);
  }

  failNext(method: MethodName | '*', options: FailNextOptions): void {
    if (method !== '*' && !METHODS.includes(method)) {
      throw new TypeError(`Unknown method "${method}": expected one of ${METHODS.join(', ')} or '*'.`);
    }
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new TypeError(`failNext times must be a positive integer (got ${times}).`);
    }
    const code = toStatusCode(options.code);
    const name = Object.entries(Status).find(([, value]) => value === code)![0];
    this.#failures.push({
      method,
      remaining: times,
      code,
      message: options.message ?? `Injected fault: ${name}`,
      ...(options.secret === undefined ? {} : { rule: secretRule(options.secret) }),
    });
  }

  setLatency(ms: number, options: LatencyOptions = {}): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new TypeError(`Latency must be a non-negative number of ms (got ${ms}).`);
    if (options.method !== undefined && !METHODS.includes(options.method)) {
      throw new TypeError(`Unknown method "${options.method}": expected one of ${METHODS.join(', ')}.`);
    }
    const rule = options.secret === undefined ? undefined : secretRule(options.secret);
    this.#latencies = this.#latencies.filter(
      (latency) =>
        latency.method !== options.method ||
        latency.rule?.secret !== rule?.secret ||
        latency.rule?.project !== rule?.project,
    );
    this.#latencies.push({
      ms,
      ...(options.method ? { method: options.method } : {}),
      ...(rule ? { rule } : {}),
    });
  }

  corruptChecksum(secret: string): void {
    this.#corrupted.push(secretRule(secret));
  }

  deny(secret: string): void {
    this.#denied.push(secretRule(secret));
  }

  reset(): void {
    this.#failures = [];
    this.#latencies = [];
    this.#corrupted = [];
    this.#denied = [];
  }

  /** The delay for a call, by the most specific matching rule. */
  latencyFor(method: MethodName, target: Target | undefined): number {
    let best: { score: number; ms: number } | undefined;
    for (const latency of this.#latencies) {
      if (latency.method !== undefined && latency.method !== method) continue;
      if (latency.rule && !this.#store.matches(target, latency.rule)) continue;
      const score = (latency.rule ? 2 : 0) + (latency.method ? 1 : 0);
      if (!best || score >= best.score) best = { score, ms: latency.ms };
    }
    return best?.ms ?? 0;
  }

  /** Throws the injected failure or denial for this call, if any. */
  check(method: MethodName, target: Target | undefined, resource: string): void {
    const failure = this.#failures.find(
      (rule) =>
        rule.remaining > 0 &&
        (rule.method === '*' || rule.method === method) &&
        (!rule.rule || this.#store.matches(target, rule.rule)),
    );
    if (failure) {
      failure.remaining -= 1;
      this.#failures = this.#failures.filter((rule) => rule.remaining > 0);
      throw new ApiError(failure.code, failure.message);
    }
    if (this.#denied.some((rule) => this.#store.matches(target, rule))) {
      throw new ApiError(
        Status.PERMISSION_DENIED,
        `Permission '${PERMISSIONS[method]}' denied for resource '${resource}' (or it may not exist).`,
      );
    }
  }

  /** True when AccessSecretVersion of this secret should carry a wrong checksum. */
  corrupts(target: Target | undefined): boolean {
    return this.#corrupted.some((rule) => this.#store.matches(target, rule));
  }
}
