/**
 * Exit codes of `netra-verify` (DESIGN.md): 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error.
 */
export const EXIT_OK = 0;
export const EXIT_ISSUES = 1;
export const EXIT_USAGE = 2;

/**
 * The command line cannot be run as given: an unknown command or flag, a missing or malformed argument,
 * an unreadable or unparseable input file. The CLI prints `message` on stderr (one line, no stack) and exits 2.
 *
 * @example
 * throw new UsageError('--env is required: pass --env staging (one of development, test, staging, production)');
 */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
  /** Stable code for programmatic callers. */
  readonly code: 'USAGE_ERROR' | 'INPUT_ERROR';
  constructor(message: string, options?: { cause?: unknown; code?: 'USAGE_ERROR' | 'INPUT_ERROR' }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code ?? 'USAGE_ERROR';
  }
}

/**
 * An input file (env file, manifest, env-vars file) is unreadable or not in a form the verifier understands.
 * A {@link UsageError} with code `INPUT_ERROR`: the CLI exits 2.
 *
 * @example
 * throw new InputError('deploy.sh: no `gcloud run deploy` command found', { file: 'deploy.sh' });
 */
export class InputError extends UsageError {
  override readonly name: string = 'InputError';
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  constructor(message: string, options?: { cause?: unknown; file?: string }) {
    super(message, { cause: options?.cause, code: 'INPUT_ERROR' });
    this.file = options?.file;
  }
}
