export { EXIT_ISSUES, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './errors';
export type { Io, OutputStream } from './io';
export { parseCloudRunService } from './manifest/cloud-run-yaml';
export type { DeployScriptOptions } from './manifest/gcloud';
export { parseDeployScript } from './manifest/gcloud';
export { loadManifest, parseManifest } from './manifest/load';
export type { ManifestKind, ManifestSecretRef, ProvidedVariables } from './manifest/types';
export { emptyProvidedVariables, providedNames } from './manifest/types';
