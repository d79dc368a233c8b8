/**
 * A preload that points unchanged code at the emulator:
 *
 *   SECRET_MANAGER_EMULATOR_HOST=127.0.0.1:8085 node --import @netra/secret-manager-emulator/register app.js
 *
 * Every SecretManagerServiceClient the program builds from the `@google-cloud/secret-manager` installed for the
 * working directory talks plaintext gRPC to that address without credentials; a client built for
 * `secretmanager.LOCATION.rep.googleapis.com` keeps its location (the endpoint travels as `:authority`).
 * Without the variable it does nothing.
 */
import { EMULATOR_HOST_VARIABLE, redirectClients } from './client.ts';

const address = process.env[EMULATOR_HOST_VARIABLE];
if (address) redirectClients(address);
