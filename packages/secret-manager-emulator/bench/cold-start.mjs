// One cold measurement, run in a fresh process by startup.mjs. Prints one JSON line (milliseconds).
// mode "emulator": import this package, start a seeded emulator, build the official client, first access.
// mode "anchor": the floor for the same work: a bare @grpc/grpc-js server with one echo method and a raw
// grpc-js client making one call (no protos, no Google client).
import { performance } from 'node:perf_hooks';

const mode = process.argv[2];
const t0 = performance.now();

if (mode === 'emulator') {
  const { emulatorClientOptions, startEmulator } = await import('../dist/index.js');
  const tImported = performance.now();
  const emulator = await startEmulator({ seed: { 'bench-project': { 'jwt-secret': 'x'.repeat(32) } } });
  const tStarted = performance.now();
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
  const client = new SecretManagerServiceClient(emulatorClientOptions(emulator.address));
  const tClient = performance.now();
  await client.accessSecretVersion({ name: 'projects/bench-project/secrets/jwt-secret/versions/latest' });
  const tFirst = performance.now();
  // Steady state on the same client.
  const calls = 500;
  for (let i = 0; i < calls; i++) {
    await client.accessSecretVersion({ name: 'projects/bench-project/secrets/jwt-secret/versions/latest' });
  }
  const tSteady = performance.now();
  // A second emulator in the same (warm) process: the protos are already loaded.
  const second = await startEmulator();
  const tSecond = performance.now();
  await client.close();
  await second.stop();
  await emulator.stop();
  console.log(
    JSON.stringify({
      importPackage: tImported - t0,
      startEmulator: tStarted - tImported,
      importClientAndConstruct: tClient - tStarted,
      firstCall: tFirst - tClient,
      total: tFirst - t0,
      steadyCall: (tSteady - tFirst) / calls,
      warmStart: tSecond - tSteady,
    }),
  );
} else if (mode === 'anchor') {
  const grpc = await import('@grpc/grpc-js');
  const identity = (value) => value;
  const definition = {
    Echo: {
      path: '/bench.Echo/Echo',
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
  const server = new grpc.Server();
  server.addService(definition, { Echo: (call, callback) => callback(null, call.request) });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  const Client = grpc.makeGenericClientConstructor(definition, 'Echo');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  await new Promise((resolve, reject) =>
    client.Echo(Buffer.from('x'), (error) => (error ? reject(error) : resolve())),
  );
  const tFirst = performance.now();
  const calls = 500;
  for (let i = 0; i < calls; i++) {
    await new Promise((resolve, reject) =>
      client.Echo(Buffer.from('x'), (error) => (error ? reject(error) : resolve())),
    );
  }
  const tSteady = performance.now();
  client.close();
  server.forceShutdown();
  console.log(JSON.stringify({ total: tFirst - t0, steadyCall: (tSteady - tFirst) / calls }));
} else {
  throw new Error('usage: cold-start.mjs emulator|anchor');
}
