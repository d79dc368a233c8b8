/**
 * An environment's name, as a schema declares it (`defineSchema(shape, { environments })`): lower-case
 * `[a-z][a-z0-9-]*`, read from `ENVIRONMENT` (never from `NODE_ENV`).
 */
export type Environment = string;

/**
 * Where an environment runs. `local` (a laptop, CI tests): every setting has a default or is optional.
 * `deployed` (Cloud Run): no secret, host or URL defaults; secrets are bound from Secret Manager.
 */
export type Tier = 'local' | 'deployed';

/**
 * An entry of an environment list in a definition (`required`, `suffixed`, `environments`, a rule's
 * `environments`, the keys of `default` and `names`): an environment of the schema or a whole tier.
 *
 * @example
 * required: ['deployed'] // every deployed environment of the schema (staging, production, qa, …)
 */
export type EnvironmentSelector = Tier | Environment;

/** The environments a schema has when it declares none: development and test (local), staging and production (deployed). */
export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, Tier>> = Object.freeze({
  development: 'local',
  test: 'local',
  staging: 'deployed',
  production: 'deployed',
});

/** `error` fails loading; `warning` is reported but the configuration still loads. */
export type Severity = 'error' | 'warning';

/**
 * Stable, kebab-case issue codes (DESIGN.md). This package emits `unknown-environment`, `missing`, `invalid`,
 * `wrong-name`, `loopback-host`, `weak-secret`, `placeholder`, `whitespace`, `unknown-variable` and
 * `not-allowed`; the rest are emitted by `@netra/secrets-loader` and `@netra/verifier` and are listed so every
 * tool shares one type.
 */
export type IssueCode =
  | 'unknown-environment'
  | 'missing'
  | 'invalid'
  | 'wrong-name'
  | 'loopback-host'
  | 'weak-secret'
  | 'placeholder'
  | 'secret-not-found'
  | 'secret-disabled'
  | 'secret-invalid-value'
  | 'secret-permission-denied'
  | 'secret-checksum'
  | 'secret-deadline'
  | 'whitespace'
  | 'unknown-variable'
  | 'not-allowed'
  | 'reserved-variable'
  | 'unpinned-version'
  | 'unresolved-value'
  | 'unresolved-flags'
  | 'manifest-missing'
  | 'manifest-plaintext-secret'
  | 'manifest-shared-secret'
  | 'manifest-unknown-variable'
  | 'manifest-cloudsql-missing'
  | 'manifest-no-vpc-egress'
  | 'parity-mismatch'
  | 'probe-failed'
  | (string & {});

/**
 * One problem with a configuration. Never contains a secret value.
 *
 * @example
 * { severity: 'error', code: 'wrong-name', key: 'apiToken', variable: 'API_TOKEN',
 *   message: 'API_TOKEN is set, but staging reads API_TOKEN_STAGING', hint: 'Rename API_TOKEN to API_TOKEN_STAGING.' }
 */
export interface Issue {
  /** `error` fails loading, `warning` does not. */
  severity: Severity;
  /** Stable kebab-case code, see {@link IssueCode}. */
  code: IssueCode;
  /** Logical key, e.g. `database.host` (`''` when none). */
  key: string;
  /** Environment variable name, e.g. `API_TOKEN_STAGING` (`''` when none). */
  variable: string;
  /** What is wrong and what was expected. */
  message: string;
  /** How to fix it. */
  hint: string;
  /** Secret Manager secret name (Secret Manager issues). */
  secret?: string;
  /** Google Cloud project (Secret Manager issues). */
  project?: string;
  /** gRPC status or similar (Secret Manager issues). */
  status?: string;
  /** Env file or manifest the issue came from (verifier). */
  file?: string;
}

/** A Secret Manager binding: which secret (and version) provides a variable. */
export interface SecretBinding {
  /** Secret name, e.g. `jwt-secret-staging`. */
  secret: string;
  /** Version, e.g. `latest` or `3`. */
  version: string;
}
