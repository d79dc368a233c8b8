export type { CompiledSchema } from './compile.ts';
export { REDACTED, secretFields } from './config-object.ts';
export type { RedactOptions } from './credentials.ts';
export {
  credentialShape,
  displayValue,
  MASK,
  maskCredentials,
  redactIssues,
  redactText,
} from './credentials.ts';
export type { VariableDescription } from './describe.ts';
export { describeSchema } from './describe.ts';
export { renderDocs, renderEnvExample } from './docs.ts';
export type {
  ConfigSchema,
  CrossRule,
  CrossRuleContext,
  CrossRuleFailure,
  DefaultOption,
  DynamicDefault,
  FragmentRole,
  Group,
  GroupOptions,
  InferConfig,
  InferShape,
  IsOptional,
  ObtainOption,
  Rule,
  RuleContext,
  RuleFailure,
  SchemaFragment,
  SchemaOptions,
  SecretOption,
  SensitiveDefaultsOnlyLocally,
  Shape,
  Variable,
  VariableOptions,
} from './dsl.ts';
export { defineSchema, fragmentsOf, group, SchemaDefinitionError, variable } from './dsl.ts';
export type { EnvironmentsOf } from './environment.ts';
export { environmentNames, isEnvironment, parseEnvironment } from './environment.ts';
export type { FormatIssuesOptions } from './format.ts';
export { fingerprint, formatIssues, summarizeIssues } from './format.ts';
export type {
  DatabaseFragmentOptions,
  GoogleOAuthFragmentOptions,
  RedisFragmentOptions,
} from './fragments.ts';
export {
  databaseFragment,
  environmentVariable,
  googleOAuthFragment,
  redisFragment,
} from './fragments.ts';
export type { HostClass } from './hosts.ts';
export { classifyHost, cloudSqlInstanceOf, isLoopbackHost, isPrivateHost } from './hosts.ts';
export type { UncheckedRule } from './json-schema.ts';
export { toJSONSchema } from './json-schema.ts';
export type { LoadOptions, SafeLoadResult, ValidateValueOptions } from './load.ts';
export { ConfigError, loadConfig, MAX_VALUE_BYTES, safeLoadConfig, validateValue } from './load.ts';
export type { PolicyOptions } from './policies.ts';
export {
  base64UrlBytes,
  base64UrlBytesCommand,
  httpsUrl,
  minStrength,
  noPlaceholder,
  notJsonDocument,
  notLoopbackHost,
  PLACEHOLDERS,
} from './policies.ts';
export type {
  PortableCrossRule,
  PortableCrossRuleIn,
  PortableDefault,
  PortableEnvironment,
  PortableField,
  PortableGroup,
  PortablePolicy,
  PortableRuleIn,
  PortableSchema,
  PortableValue,
  PortableVariable,
  UnportablePart,
} from './portable.ts';
export { portableSchema } from './portable.ts';
export type { SecretReference, SecretReferenceParse } from './secret-reference.ts';
export {
  explainSecretReference,
  formatSecretReference,
  isSecretReference,
  parseSecretReference,
  SECRET_REFERENCE_SYNTAX,
} from './secret-reference.ts';
export { closest as didYouMean } from './suggest.ts';
export type {
  Environment,
  EnvironmentSelector,
  Issue,
  IssueCode,
  SecretBinding,
  Severity,
  Tier,
} from './types.ts';
export type { HostOptions } from './values.ts';
export { boolean, expecting, googleClientId, host, httpUrl, oneOf, port, text } from './values.ts';
