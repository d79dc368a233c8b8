export { EXIT_ISSUES, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './errors';
export type { Io, OutputStream } from './io';
