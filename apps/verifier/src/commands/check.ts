import { UsageError } from '../errors';
import type { Io } from '../io';
import {
  booleanOption,
  type RawOptions,
  requiredStringOption,
  stringListOption,
  stringOption,
} from '../options';

/** Options of `netra-verify check`. */
export interface CheckOptions {
  /** `--env`: the environment to check, as typed (validated by the command). */
  environment: string;
  /** `--env-file`, in order; later files win. */
  envFiles: string[];
  /** `--manifest`: Cloud Run service YAML or a deploy script. */
  manifest?: string;
  /** `--project`: read bound secrets and sm:// references from Secret Manager. */
  project?: string;
  /** `--json`: one JSON object on stdout. */
  json: boolean;
}

/** Turns cac's parsed flags into {@link CheckOptions}; throws {@link UsageError} for a missing or repeated flag. */
export function parseCheckOptions(options: RawOptions): CheckOptions {
  return {
    environment: requiredStringOption(options, 'env', '--env', '--env staging'),
    envFiles: stringListOption(options, 'envFile', '--env-file'),
    manifest: stringOption(options, 'manifest', '--manifest'),
    project: stringOption(options, 'project', '--project'),
    json: booleanOption(options, 'json'),
  };
}

/** `netra-verify check`: returns the exit code. (Work in progress: validation lands in the next commit.) */
export async function runCheck(_options: CheckOptions, _io: Io): Promise<number> {
  throw new UsageError('check is being implemented (issue 7)');
}
