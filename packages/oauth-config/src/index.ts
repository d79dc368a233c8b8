export {
  type GoogleAuthLibraryOptions,
  googleAuthLibraryOptions,
  type OpenidClientConfigurationOptions,
  openidClientConfiguration,
} from './adapters.ts';
export {
  GOOGLE_X509_CERT_URL,
  type GoogleClientSecret,
  parseGoogleClientSecretJson,
  type ToGoogleClientSecretJsonOptions,
  toGoogleClientSecretJson,
} from './client-secret-json.ts';
export { ClientSecretJsonError, OAuthConfigError } from './errors.ts';
export {
  DEFAULT_CALLBACK_PATH,
  DEFAULT_SCOPES,
  GOOGLE_AUTHORIZATION_ENDPOINT,
  GOOGLE_CLIENT_ID_SUFFIX,
  GOOGLE_ISSUER,
  GOOGLE_TOKEN_ENDPOINT,
  type GoogleOAuthSettings,
  getOAuthConfig,
  type OAuthConfig,
  type OAuthConfigOf,
  type OAuthInput,
  type OAuthOptions,
  type OAuthSchemaOptions,
  type OAuthUrls,
  type SafeOAuthResult,
  safeGetOAuthConfig,
} from './oauth-config.ts';
export { REDACTED } from './redact.ts';
export {
  type RedirectRegistration,
  type RedirectRegistrationOptions,
  redirectUrisToRegister,
} from './register.ts';
export { type GoogleOAuthFragmentVariables, googleOAuthFragments, type OAuthVariable } from './schema.ts';
