/** Why a deploy input cannot be read. Stable codes; the CLI maps every one to exit 2. */
export type ManifestErrorCode =
  | 'unknown-format'
  | 'no-deploy'
  | 'several-services'
  | 'no-such-service'
  | 'malformed'
  | 'unreadable';

/**
 * A deploy input that cannot be read: the message names the file (and the line where there is one), what is
 * wrong and the fix. Never a value of the file beyond what locates the problem.
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly code: ManifestErrorCode;
  readonly file: string;
  readonly line: number | undefined;
  /** With `several-services`: the services the file deploys. */
  readonly services: string[] | undefined;

  constructor(
    message: string,
    options: { code: ManifestErrorCode; file: string; line?: number; services?: string[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.file = options.file;
    this.line = options.line;
    this.services = options.services;
  }
}
