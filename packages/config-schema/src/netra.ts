import { defineSchema, type InferConfig } from './dsl.ts';
import { netraShape } from './fragments.ts';

/**
 * THE Netra backend schema (DESIGN.md's table): one composition of the environment, the database, Redis and
 * OAuth fragments and the top-level settings.
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
