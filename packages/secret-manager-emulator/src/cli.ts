import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EMULATOR_HOST_VARIABLE } from './client.ts';
import { type Seed, SeedError, validateSeed } from './seed.ts';
import type { Emulator } from './server.ts';

/** The bin's help text. */
export const HELP = `netra-sm-emulator — a local Google Secret Manager (gRPC, google.cloud.secretmanager.v1)

Usage:
  netra-sm-emulator [--port P] [--host H] [--seed FILE] [--latency MS] [--project-number ID=NUMBER]… [--location L]… [--strict-endpoints]

Options:
  --port P                     port to listen on; 0 picks a free one (default 0)
  --host H                     interface to listen on (default 127.0.0.1)
  --seed FILE                  JSON file with the initial secrets (see below)
  --latency MS                 delay every answer by MS milliseconds (default 0)
  --project-number ID=NUMBER   the project number of a project ID, so both name the same project
                               (undeclared IDs get a stable 12-digit number derived from the ID)
  --location L                 serve regional secrets (projects/P/locations/L/…) only in L; repeat for
                               several (default: every location)
  --strict-endpoints           serve regional names only to calls addressed to their regional endpoint
                               (secretmanager.L.rep.googleapis.com as :authority), as Google does
  -h, --help                   show this help

The first line on stdout is
  ${EMULATOR_HOST_VARIABLE}=HOST:PORT
Export it (e.g. eval "$(netra-sm-emulator --seed s.json | head -1)" in a script that keeps it running)
and every Secret Manager client of this project talks plaintext gRPC to the emulator, without credentials.
Stops on SIGINT / SIGTERM.

Seed file (JSON): project → secret ID → a value, or a list of versions (oldest first; the last is "latest"):
  {
    "my-project": {
      "jwt-secret-staging": "a value of at least 32 characters........",
      "fernet-key-staging": ["old value", { "value": "newer value", "state": "DISABLED" }],
      "no-versions-yet": []
    }
  }
  A version's state is ENABLED (default), DISABLED or DESTROYED. Secret IDs: 1–255 of [A-Za-z0-9_-].
  Regional secrets: key the project as "my-project/locations/europe-west1".

Exit codes: 0 stopped by a signal, 2 bad arguments or seed file, 1 could not start.
`;

/** A usage problem: exit code 2, message to stderr. */
export class UsageError extends Error {
  readonly code = 'USAGE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** What the bin was asked to do. */
export interface CliOptions {
  help: boolean;
  port: number;
  host: string;
  seedFile?: string;
  latencyMs: number;
  projectNumbers: Record<string, string>;
  /** Locations served for regional secrets; empty = every location. */
  locations: string[];
  /** Regional names only through their regional endpoint. */
  strictEndpoints: boolean;
}

function integer(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${value}").`);
  }
  return Number(value);
}

/** Parses the bin's arguments; throws {@link UsageError}. */
export function parseCliArgs(args: string[]): CliOptions {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>
  >;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run netra-sm-emulator --help for the flags.`, {
      cause: error,
    });
  }
  const { values } = parsed;
  const projectNumbers: Record<string, string> = {};
  for (const mapping of values['project-number'] ?? []) {
    const match = /^([^=\s]+)=([1-9][0-9]{0,18})$/.exec(mapping);
    if (!match) {
      throw new UsageError(
        `--project-number must be ID=NUMBER, e.g. my-project=123456789012 (got "${mapping}").`,
      );
    }
    projectNumbers[match[1]!] = match[2]!;
  }
  return {
    help: values.help ?? false,
    port: integer('--port', values.port, 0, 65535, 0),
    host: values.host ?? '127.0.0.1',
    ...(values.seed === undefined ? {} : { seedFile: values.seed }),
    latencyMs: integer('--latency', values.latency, 0, 600000, 0),
    projectNumbers,
    strictEndpoints: values['strict-endpoints'] ?? false,
    locations: (values.location ?? []).map((location) => {
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(location)) {
        throw new UsageError(`--location must be a location ID such as europe-west1 (got "${location}").`);
      }
      return location;
    }),
  };
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  latency: { type: 'string' },
  'project-number': { type: 'string', multiple: true },
  location: { type: 'string', multiple: true },
  'strict-endpoints': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads and checks a seed file; throws {@link UsageError} naming the file and every problem. */
export async function readSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read the seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}.`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `The seed file ${path} is not valid JSON (${(error as Error).message}). See netra-sm-emulator --help for the format.`,
      { cause: error },
    );
  }
  try {
    return validateSeed(json);
  } catch (error) {
    if (error instanceof SeedError) throw new UsageError(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs the bin: starts the emulator and resolves to the running instance, or to an exit code. */
export async function runCli(args: string[], io: Io): Promise<Emulator | number> {
  let options: CliOptions;
  let seed: Seed | undefined;
  try {
    options = parseCliArgs(args);
    if (options.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (options.seedFile !== undefined) seed = await readSeedFile(options.seedFile);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`netra-sm-emulator: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { startEmulator } = await import('./server.ts');
  try {
    const emulator = await startEmulator({
      port: options.port,
      host: options.host,
      latencyMs: options.latencyMs,
      projectNumbers: options.projectNumbers,
      ...(options.locations.length > 0 ? { locations: options.locations } : {}),
      ...(options.strictEndpoints ? { strictEndpoints: true } : {}),
      ...(seed ? { seed } : {}),
    });
    io.stdout.write(`${EMULATOR_HOST_VARIABLE}=${emulator.address}\n`);
    return emulator;
  } catch (error) {
    io.stderr.write(`netra-sm-emulator: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
}
