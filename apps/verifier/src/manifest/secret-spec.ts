import { InputError } from '../errors';
import type { ManifestSecretRef } from './types';

const FULL_NAME = /^projects\/([^/]+)\/secrets\/([^/:]+)(?:(?::|\/versions\/)([^/:]+))?$/;
const SHORT_NAME = /^([A-Za-z0-9_-]+)(?::([^/:]+))?$/;

/**
 * Parses a secret as Cloud Run names it: `SECRET:VERSION`, `projects/P/secrets/S:VERSION` or
 * `projects/P/secrets/S/versions/VERSION`; a missing version means `latest`.
 * Throws {@link InputError} naming `context` for anything else.
 */
export function parseSecretSpec(spec: string, context: { file: string; where: string }): ManifestSecretRef {
  const full = FULL_NAME.exec(spec);
  if (full) {
    const [, project, secret, version] = full;
    return { project: project!, secret: secret!, version: version ?? 'latest' };
  }
  const short = SHORT_NAME.exec(spec);
  if (short) {
    const [, secret, version] = short;
    return { secret: secret!, version: version ?? 'latest' };
  }
  throw new InputError(
    `${context.file}: ${context.where}: "${spec}" is not a secret reference; expected SECRET:VERSION or projects/PROJECT/secrets/SECRET:VERSION`,
    { file: context.file },
  );
}
