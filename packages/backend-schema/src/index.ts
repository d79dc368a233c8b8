export type { NetraBackendConfig } from './schema.ts';
export { DEVELOPMENT_FERNET_KEY, DEVELOPMENT_JWT_SECRET, netraBackendSchema } from './schema.ts';
