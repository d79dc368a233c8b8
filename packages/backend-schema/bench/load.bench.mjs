// loadConfig of the full Netra staging schema vs @t3-oss/env-core and envalid validating an equivalent schema
// (same variables, same rules where the library can express them), measured in the same run with mitata.
// Run: pnpm build && node bench/load.bench.mjs

import { loadConfig } from '@netra/config-schema';
import { createEnv } from '@t3-oss/env-core';
import { bool, cleanEnv, makeValidator, port, str, url } from 'envalid';
import { bench, do_not_optimize, run, summary } from 'mitata';
import { z } from 'zod';
import { netraBackendSchema } from '../dist/index.js';
import { STAGING_ENV } from './fixtures/env.mjs';

const LOOPBACK = /^(localhost\.?|.*\.localhost\.?|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|::1|\[::1\])$/i;
const PLACEHOLDER = /^(changeme|secret|password|dev|test|<.*>)$/i;
const FERNET = /^[A-Za-z0-9_-]{43}=$/;
const notLoopback = (value) => !LOOPBACK.test(value) && !/^https?:\/\/(localhost|127\.)/i.test(value);

// ---- @t3-oss/env-core (zod 4 via Standard Schema) ----
const secret = (min) =>
  z
    .string()
    .min(min)
    .refine((v) => !PLACEHOLDER.test(v));
const t3Server = {
  ENVIRONMENT: z.enum(['development', 'test', 'staging', 'production']),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  JWT_SECRET_STAGING: secret(32),
  DATABASE_HOST: z.string().refine(notLoopback),
  DATABASE_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  DATABASE_NAME: z.string().default('postgres'),
  DATABASE_USER: z.string(),
  DATABASE_PASSWORD: secret(16),
  DATABASE_SSL_MODE: z.enum(['disable', 'require', 'verify-full']).default('require'),
  REDIS_HOST: z.string().refine(notLoopback),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379),
  REDIS_PASSWORD: secret(1),
  REDIS_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  FERNET_KEY: z.string().regex(FERNET),
  GEMINI_API_KEY: secret(1),
  GOOGLE_OAUTH_CLIENT_ID_STAGING: z.string().endsWith('.apps.googleusercontent.com'),
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: secret(1),
  API_BASE_URL: z.url().startsWith('https://').refine(notLoopback),
  FRONTEND_URL: z.url().startsWith('https://').refine(notLoopback),
  GCP_PROJECT_ID: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
const t3 = (env) =>
  createEnv({ server: t3Server, runtimeEnv: env, isServer: true, emptyStringAsUndefined: true });

// ---- envalid ----
const host = makeValidator((value) => {
  if (LOOPBACK.test(value)) throw new Error('loopback');
  return value;
});
const strong = (min) =>
  makeValidator((value) => {
    if (value.length < min || PLACEHOLDER.test(value)) throw new Error('weak');
    return value;
  });
const httpsUrl = makeValidator((value) => {
  if (!value.startsWith('https://') || !notLoopback(value)) throw new Error('not https');
  return new URL(value).toString() && value;
});
const fernet = makeValidator((value) => {
  if (!FERNET.test(value)) throw new Error('fernet');
  return value;
});
const envalidSpec = {
  ENVIRONMENT: str({ choices: ['development', 'test', 'staging', 'production'] }),
  PORT: port({ default: 8080 }),
  JWT_SECRET_STAGING: strong(32)(),
  DATABASE_HOST: host(),
  DATABASE_PORT: port({ default: 5432 }),
  DATABASE_NAME: str({ default: 'postgres' }),
  DATABASE_USER: str(),
  DATABASE_PASSWORD: strong(16)(),
  DATABASE_SSL_MODE: str({ choices: ['disable', 'require', 'verify-full'], default: 'require' }),
  REDIS_HOST: host(),
  REDIS_PORT: port({ default: 6379 }),
  REDIS_PASSWORD: strong(1)(),
  REDIS_TLS: bool({ default: false }),
  FERNET_KEY: fernet(),
  GEMINI_API_KEY: strong(1)(),
  GOOGLE_OAUTH_CLIENT_ID_STAGING: str(),
  GOOGLE_OAUTH_CLIENT_SECRET_STAGING: strong(1)(),
  API_BASE_URL: httpsUrl(),
  FRONTEND_URL: httpsUrl(),
  GCP_PROJECT_ID: str(),
  LOG_LEVEL: str({
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
  }),
};
void url;
const envalid = (env) => cleanEnv(env, envalidSpec);

// Sanity: all three accept the environment.
if (loadConfig(netraBackendSchema, { env: STAGING_ENV }).redis.tls !== true) throw new Error('netra');
if (t3(STAGING_ENV).REDIS_TLS !== true) throw new Error('t3');
if (envalid(STAGING_ENV).REDIS_TLS !== true) throw new Error('envalid');

summary(() => {
  bench('@netra/config-schema loadConfig (staging)', () => {
    do_not_optimize(loadConfig(netraBackendSchema, { env: STAGING_ENV }));
  }).baseline(true);
  bench('@t3-oss/env-core createEnv (equivalent schema)', () => {
    do_not_optimize(t3(STAGING_ENV));
  });
  bench('envalid cleanEnv (equivalent schema)', () => {
    do_not_optimize(envalid(STAGING_ENV));
  });
});

await run();
