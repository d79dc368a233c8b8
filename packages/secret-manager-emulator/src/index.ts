export type { EmulatorClientOptions } from './client.ts';
export {
  createEmulatorClient,
  EMULATOR_HOST_VARIABLE,
  EmulatorAddressError,
  emulatorClientOptions,
  parseEmulatorAddress,
  redirectClients,
} from './client.ts';
export type { FailNextOptions, FaultApi, LatencyOptions, MethodName } from './faults.ts';
export { METHODS } from './faults.ts';
export type { Seed, SeedVersion, VersionState } from './seed.ts';
export { SeedError, validateSeed } from './seed.ts';
export type { Emulator, EmulatorOptions } from './server.ts';
export { startEmulator } from './server.ts';
export type { StatusName } from './status.ts';
