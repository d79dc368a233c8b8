// @netra/sample-service: the reference service, as a library for tests and for services built from it.
export { type AppDependencies, buildApp } from './app.ts';
export {
  ConnectError,
  closeRedis,
  connectPostgres,
  connectRedis,
  createPostgresPool,
  createRedisClient,
  type ProbeResult,
  probe,
  type RedisClient,
  type RetryOptions,
  retryDelay,
} from './dependencies.ts';
export { DependencyError, type ErrorBody, HttpError } from './http-errors.ts';
export { loggerOptions, REDACTED, sensitiveLogPaths } from './logging.ts';
export { RunExistsError, type RunRecord, RunStore, type RunStoreOptions } from './run-store.ts';
export { type LoadSettingsOptions, loadSettings, type SettingsResult } from './settings.ts';
export {
  EXIT_CONFIG,
  EXIT_UNAVAILABLE,
  type RunningService,
  type StartServiceOptions,
  StartupError,
  type StartupTimings,
  startService,
} from './start.ts';
