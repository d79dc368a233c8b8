import {
  base64UrlBytes,
  base64UrlBytesCommand,
  databaseFragment,
  defineSchema,
  environmentVariable,
  expecting,
  googleOAuthFragment,
  httpsUrl,
  httpUrl,
  type InferConfig,
  minStrength,
  noPlaceholder,
  notLoopbackHost,
  oneOf,
  port,
  redisFragment,
  text,
  variable,
} from '@netra/config-schema';
import { z } from 'zod';

const DEPLOYED = ['deployed'] as const;

/** Development/test-only defaults: public by design, refused in staging and production. */
export const DEVELOPMENT_JWT_SECRET = 'netra-development-only-jwt-secret-never-deploy';
/** A valid Fernet key that is public by design: development/test only. */
export const DEVELOPMENT_FERNET_KEY = 'bmV0cmEtZGV2ZWxvcG1lbnQtb25seS1mZXJuZXQtayE=';

const GCP_PROJECT_ID = expecting(
  z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
  'a Google Cloud project ID (6–30 characters: a-z, 0-9, -)',
);

/** The Netra backend's settings, in DESIGN.md's table's order (environment first). */
function netraShape() {
  return {
    environment: environmentVariable(),
    port: variable({
      name: 'PORT',
      schema: port(),
      description: 'HTTP port. Cloud Run sets it; a manifest must not.',
      example: '8080',
      default: '8080',
      reserved: true,
    }),
    jwtSecret: variable({
      name: 'JWT_SECRET',
      suffixed: DEPLOYED,
      schema: text(),
      description: 'Signs session tokens (HS256). At least 32 random characters in staging and production.',
      sensitive: true,
      required: DEPLOYED,
      default: { local: DEVELOPMENT_JWT_SECRET },
      secret: 'jwt-secret-{env}',
      obtain: { generate: 'openssl rand -base64 48' },
      rules: [minStrength(32), noPlaceholder()],
    }),
    database: databaseFragment(),
    redis: redisFragment(),
    fernetKey: variable({
      name: 'FERNET_KEY',
      schema: text(),
      description:
        'Encrypts stored credentials (Fernet): url-safe base64 of exactly 32 bytes, 44 characters ending in =.',
      sensitive: true,
      required: DEPLOYED,
      default: { local: DEVELOPMENT_FERNET_KEY },
      secret: 'fernet-key-{env}',
      obtain: { generate: base64UrlBytesCommand(32) },
      rules: [base64UrlBytes(32), noPlaceholder()],
    }),
    geminiApiKey: variable({
      name: 'GEMINI_API_KEY',
      schema: text(),
      description:
        "Gemini API key for LLM operations. No format rule (Google's key formats change); optional in development/test.",
      sensitive: true,
      required: DEPLOYED,
      secret: 'gemini-api-key-{env}',
      obtain: {
        copyFrom:
          'the Google Cloud console (APIs & Services → Credentials → the API key) or Google AI Studio (Get API key)',
      },
      rules: [noPlaceholder()],
    }),
    oauth: googleOAuthFragment(),
    apiBaseUrl: variable({
      name: 'API_BASE_URL',
      schema: httpUrl(),
      description:
        'Public base URL of this API (OAuth redirect URIs derive from it). https in staging and production.',
      example: 'https://api.staging.netra.example',
      required: DEPLOYED,
      default: { local: 'http://localhost:8080' },
      rules: [httpsUrl(), notLoopbackHost({ url: true })],
    }),
    frontendUrl: variable({
      name: 'FRONTEND_URL',
      schema: httpUrl(),
      description:
        'Public URL of the web frontend (CORS and OAuth JavaScript origins). https in staging and production.',
      example: 'https://app.staging.netra.example',
      required: DEPLOYED,
      default: { local: 'http://localhost:3000' },
      rules: [httpsUrl(), notLoopbackHost({ url: true })],
    }),
    gcpProjectId: variable({
      name: 'GCP_PROJECT_ID',
      schema: GCP_PROJECT_ID,
      description:
        'Google Cloud project whose Secret Manager holds the secrets. Required where Secret Manager is used.',
      example: 'netra-staging',
      required: DEPLOYED,
    }),
    logLevel: variable({
      name: 'LOG_LEVEL',
      schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      description: 'pino log level.',
      example: 'info',
      default: 'info',
    }),
  };
}

/**
 * THE Netra backend schema (DESIGN.md's table): one composition of the environment, the database, Redis and
 * OAuth fragments and the top-level settings, built only on `@netra/config-schema`'s public API. Its
 * environments are the default four: development and test (local), staging and production (deployed).
 *
 * @example
 * const config = loadConfig(netraBackendSchema); // NetraBackendConfig
 */
export const netraBackendSchema = defineSchema(netraShape(), {
  title: 'Netra backend',
  prefixes: ['JWT_', 'FERNET_', 'GEMINI_'],
});

/** The loaded Netra backend configuration (deeply frozen; sensitive fields print as `[redacted]`). */
export type NetraBackendConfig = InferConfig<typeof netraBackendSchema>;
