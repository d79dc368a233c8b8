export {
  type AccessRequest,
  type AccessSecretsOptions,
  type AccessSecretsResult,
  accessSecrets,
  DEADLINE_VARIABLE,
  DEFAULT_CONCURRENCY,
  DEFAULT_DEADLINE_MS,
} from './access.ts';
export {
  type AuditedSecret,
  type AuditReport,
  type AuditSecretsOptions,
  auditSecrets,
  type PushAction,
  type PushPlan,
  type PushSecretsOptions,
  pushSecrets,
} from './admin.ts';
export {
  type CreateSecretManagerClientOptions,
  createSecretManagerClient,
  EMULATOR_HOST_VARIABLE,
  EmulatorHostError,
  startupCallOptions,
} from './client.ts';
export {
  type LoadedSecrets,
  type LoadSecretsOptions,
  loadSecrets,
  type ResolveSecretReferencesOptions,
  resolveSecretReferences,
  type SafeLoadSecretsResult,
  type SecretSource,
  SecretsError,
  safeLoadSecrets,
} from './load.ts';
export {
  type LoadStartupOptions,
  type NotReadSource,
  type StartupResult,
  safeLoadStartup,
} from './startup.ts';
