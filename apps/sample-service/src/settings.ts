import { type NetraBackendConfig, netraBackendSchema } from '@netra/backend-schema';
import type { Environment, Issue } from '@netra/config-schema';
import { type OAuthConfig, safeGetOAuthConfig } from '@netra/oauth-config';
import { type LoadSecretsOptions, type SecretSource, safeLoadStartup } from '@netra/secrets-loader';

/** Milliseconds spent in each start-up step. */
interface SettingsTimings {
  /** The verdict: secrets and configuration, one step (`safeLoadStartup`). */
  secretsMs: number;
  oauthMs: number;
}

/** The outcome of {@link loadSettings}: everything needed to start, or every problem at once. */
export type SettingsResult =
  | {
      ok: true;
      environment: Environment;
      config: NetraBackendConfig;
      /** `null`: OAuth is disabled (no client configured; development and test only). */
      oauth: OAuthConfig | null;
      /** Warnings from the configuration and OAuth steps (never values). */
      warnings: Issue[];
      /** Where each secret came from (env, file, sm:// reference, Secret Manager binding). */
      sources: Record<string, SecretSource>;
      timings: SettingsTimings;
    }
  | {
      ok: false;
      environment: Environment | undefined;
      /** Secret, configuration and OAuth problems together, errors and warnings. */
      issues: Issue[];
      timings: SettingsTimings;
    };

/** Options of {@link loadSettings}. */
export interface LoadSettingsOptions {
  /** The process environment. @default process.env */
  env?: Record<string, string | undefined>;
  /** Deadline of the Secret Manager calls. @default the secrets-loader default */
  secretsDeadlineMs?: number;
  /**
   * Secret Manager client to use (not closed). @default one the secrets loader creates when there is
   * something to fetch, following the `SECRET_MANAGER_EMULATOR_HOST` of `env`, else of `process.env`
   */
  secretManagerClient?: LoadSecretsOptions['client'];
}

/**
 * The start-up configuration steps: the verdict of `@netra/secrets-loader`'s `safeLoadStartup` (environment →
 * secrets → configuration, every problem of the three together: a secret that cannot be fetched does not hide a
 * loopback database host), then the OAuth rules over the loaded configuration. `netra-verify check` runs the
 * same verdict over what a deployment provides.
 *
 * @example
 * const settings = await loadSettings({ env: process.env });
 * if (!settings.ok) console.error(formatIssues(settings.issues));
 */
export async function loadSettings(options: LoadSettingsOptions = {}): Promise<SettingsResult> {
  const env = options.env ?? process.env;
  const timings: SettingsTimings = { secretsMs: 0, oauthMs: 0 };

  let started = performance.now();
  // The one start-up verdict that `netra-verify check` also runs: ENVIRONMENT, then the schema's secrets from
  // their sources (env, sm:// references, NAME_FILE, the Secret Manager bindings when GCP_PROJECT_ID is set; an
  // sm:// reference in any other setting too), then the schema's validation — every problem at once. A client
  // the loader creates follows the SECRET_MANAGER_EMULATOR_HOST of `env` first, so no call can reach Google.
  const verdict = await safeLoadStartup(netraBackendSchema, {
    env,
    ...(options.secretsDeadlineMs ? { deadlineMs: options.secretsDeadlineMs } : {}),
    ...(options.secretManagerClient ? { client: options.secretManagerClient } : {}),
  });
  timings.secretsMs = performance.now() - started;
  if (!verdict.ok) return { ok: false, environment: verdict.environment, issues: verdict.issues, timings };
  const { environment, config, sources } = verdict;
  const loaded = { config, warnings: verdict.warnings };

  started = performance.now();
  const oauth = safeGetOAuthConfig(loaded.config, { schema: netraBackendSchema });
  timings.oauthMs = performance.now() - started;
  if (!oauth.ok) {
    return {
      ok: false,
      environment,
      issues: [...oauth.issues, ...loaded.warnings],
      timings,
    };
  }

  return {
    ok: true,
    environment,
    config: loaded.config,
    oauth: oauth.oauth,
    warnings: [...loaded.warnings, ...oauth.warnings],
    sources,
    timings,
  };
}
