import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as GrpcModule from '@grpc/grpc-js';
import { type FaultApi, Faults, METHODS, type MethodName } from './faults.ts';
import { endpointLocation } from './names.ts';
import { type Seed, validateSeed } from './seed.ts';
import { ApiError, Status } from './status.ts';
import { Store } from './store.ts';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; `0` picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Initial secrets: project → secret ID → value or versions. @default {} */
  seed?: Seed;
  /**
   * Project numbers for project IDs, so that `projects/123456789012/...` and `projects/my-project/...` name the
   * same project. Undeclared IDs get a stable number derived from the ID. @default {}
   * @example { 'my-project': '123456789012' }
   */
  projectNumbers?: Record<string, string>;
  /** Latency added to every call, in ms (same as `faults.setLatency(ms)`). @default 0 */
  latencyMs?: number;
  /**
   * The locations regional secrets (`projects/P/locations/L/…`) may use; a name in another location is
   * INVALID_ARGUMENT. @default every location
   * @example ['europe-west1', 'us-central1']
   */
  locations?: readonly string[];
  /**
   * The emulator's clock in ms since the epoch: expiration, rotation times and delayed destruction follow it,
   * so a test can move time forward. @default Date.now
   * @example let now = Date.now(); await startEmulator({ now: () => now }); now += 86_400_000;
   */
  now?: () => number;
  /**
   * Serve regional names only to calls addressed to their regional endpoint (`:authority`
   * `secretmanager.L.rep.googleapis.com`, see `emulatorClientOptions(address, { apiEndpoint })`), as Google's
   * global endpoint does not serve them: catches code that reads a regional secret with a global client.
   * @default false (the plain address serves every location)
   */
  strictEndpoints?: boolean;
}

/** A running emulator. */
export interface Emulator {
  /** The host it listens on, e.g. `'127.0.0.1'`. */
  host: string;
  /** The port it listens on. */
  port: number;
  /** `host:port` (`[host]:port` for IPv6), the value for `SECRET_MANAGER_EMULATOR_HOST`. */
  address: string;
  /** Fault injection. */
  faults: FaultApi;
  /** Stops the server: pending delayed calls fail with UNAVAILABLE, then the port is released. */
  stop(): Promise<void>;
}

type Handler = (request: Record<string, unknown>) => Record<string, unknown>;

const require = createRequire(import.meta.url);
let serviceDefinition: Promise<GrpcModule.ServiceDefinition> | undefined;

/** Loads SecretManagerService from the protos shipped in @google-cloud/secret-manager (once per process). */
function loadService(): Promise<GrpcModule.ServiceDefinition> {
  serviceDefinition ??= (async () => {
    const protoLoader = await import('@grpc/proto-loader');
    const secretManagerProtos = join(
      dirname(require.resolve('@google-cloud/secret-manager/package.json')),
      'build/protos',
    );
    // google-gax's exports map hides package.json; its main is build/src/index.js.
    const gaxProtos = join(dirname(require.resolve('google-gax')), '../protos');
    const definition = await protoLoader.load('google/cloud/secretmanager/v1/service.proto', {
      includeDirs: [secretManagerProtos, gaxProtos],
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: false,
    });
    return definition['google.cloud.secretmanager.v1.SecretManagerService'] as GrpcModule.ServiceDefinition;
  })();
  return serviceDefinition;
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Starts a Secret Manager emulator: a plaintext gRPC server for google.cloud.secretmanager.v1 that the
 * official client talks to (see {@link emulatorClientOptions}).
 *
 * @throws SeedError when `seed` does not have the documented shape.
 * @example
 * const emulator = await startEmulator({ seed: { 'my-project': { 'api-key': 'value' } } });
 * process.env.SECRET_MANAGER_EMULATOR_HOST = emulator.address;
 * // … use any Secret Manager client …
 * await emulator.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', latencyMs = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `startEmulator: port must be an integer from 0 to 65535 (got ${port}); 0 picks a free port.`,
    );
  }
  const store = new Store({
    ...(options.projectNumbers ? { projectNumbers: options.projectNumbers } : {}),
    ...(options.locations ? { locations: options.locations } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.strictEndpoints ? { strictEndpoints: true } : {}),
  });
  if (options.seed !== undefined) store.seed(validateSeed(options.seed));
  const faults = new Faults(store, latencyMs);

  const [grpc, service] = await Promise.all([import('@grpc/grpc-js'), loadService()]);
  const pending = new Map<NodeJS.Timeout, () => void>();

  const handlers: Record<MethodName, Handler> = {
    ListSecrets: (request) => store.listSecrets(request),
    CreateSecret: (request) => store.createSecret(request),
    AddSecretVersion: (request) => store.addSecretVersion(request),
    GetSecret: (request) => store.getSecret(request),
    UpdateSecret: (request) => store.updateSecret(request),
    DeleteSecret: (request) => store.deleteSecret(request),
    ListSecretVersions: (request) => store.listSecretVersions(request),
    GetSecretVersion: (request) => store.getSecretVersion(request),
    AccessSecretVersion: (request) => {
      const response = store.accessSecretVersion(request);
      if (faults.corrupts(Store.targetOf(request))) {
        const payload = response['payload'] as { dataCrc32c: string };
        payload.dataCrc32c = String((Number(payload.dataCrc32c) ^ 0x5a5a5a5a) >>> 0);
      }
      return response;
    },
    DisableSecretVersion: (request) => store.disableSecretVersion(request),
    EnableSecretVersion: (request) => store.enableSecretVersion(request),
    DestroySecretVersion: (request) => store.destroySecretVersion(request),
    SetIamPolicy: (request) => store.setIamPolicy(request),
    GetIamPolicy: (request) => store.getIamPolicy(request),
    TestIamPermissions: (request) => store.testIamPermissions(request),
  };

  const implementation: GrpcModule.UntypedServiceImplementation = {};
  for (const method of METHODS) {
    const handle = handlers[method];
    implementation[method] = (
      call: GrpcModule.ServerUnaryCall<Record<string, unknown>, unknown>,
      callback: GrpcModule.sendUnaryData<unknown>,
    ) => {
      const request = call.request;
      const target = Store.targetOf(request);
      const resource = String(request['name'] ?? request['parent'] ?? request['resource'] ?? '');
      let answered = false;
      const answer = (error: ApiError | null, response?: unknown): void => {
        if (answered) return;
        answered = true;
        if (error) callback({ code: error.status, details: error.message, metadata: new grpc.Metadata() });
        else callback(null, response);
      };
      const run = (): void => {
        try {
          faults.check(method, target, resource);
          // A client built for secretmanager.L.rep.googleapis.com may send that endpoint as :authority.
          answer(
            null,
            store.withEndpoint(endpointLocation(call.getHost()), () => handle(request)),
          );
        } catch (error) {
          answer(
            error instanceof ApiError
              ? error
              : new ApiError(
                  Status.INTERNAL,
                  `Emulator error: ${error instanceof Error ? error.message : String(error)}`,
                ),
          );
        }
      };
      const delay = faults.latencyFor(method, target);
      if (delay <= 0) return run();
      const timer = setTimeout(() => {
        pending.delete(timer);
        run();
      }, delay);
      pending.set(timer, () => answer(new ApiError(Status.UNAVAILABLE, 'The emulator is shutting down.')));
      call.on('cancelled', () => {
        clearTimeout(timer);
        pending.delete(timer);
        answered = true;
      });
    };
  }

  const server = new grpc.Server();
  server.addService(service, implementation);
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      formatAddress(host, port),
      grpc.ServerCredentials.createInsecure(),
      (error, actualPort) => {
        if (error)
          reject(
            new Error(`Cannot listen on ${formatAddress(host, port)}: ${error.message}`, { cause: error }),
          );
        else resolve(actualPort);
      },
    );
  });

  let stopping: Promise<void> | undefined;
  return {
    host,
    port: boundPort,
    address: formatAddress(host, boundPort),
    faults,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        for (const [timer, cancel] of pending) {
          clearTimeout(timer);
          cancel();
        }
        pending.clear();
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}
