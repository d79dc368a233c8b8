import { secretIdProblem } from './names.ts';

/** A version's state as the API names it. */
export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

/** One seeded version: its value (UTF-8) and optionally its state (default `ENABLED`). */
export type SeedVersion = string | { value: string; state?: VersionState };

/**
 * Initial contents: project (ID or number; `PROJECT/locations/LOCATION` for regional secrets) → secret ID → value (one enabled version) or list of versions
 * (oldest first, so the last one is `latest`; `[]` makes a secret with no versions).
 *
 * @example { 'my-project': { 'jwt-secret-staging': 'x'.repeat(32), 'old-key': ['v1', { value: 'v2', state: 'DISABLED' }] } }
 */
export type Seed = { [project: string]: { [secret: string]: string | SeedVersion[] } };

/**
 * A seed that does not have the documented shape. `code`: `SEED_INVALID`; `problems` lists every problem
 * (never a value).
 *
 * @example try { validateSeed(json) } catch (error) { if (error instanceof SeedError) console.error(error.problems) }
 */
export class SeedError extends Error {
  readonly code = 'SEED_INVALID' as const;
  readonly problems: string[];
  constructor(problems: string[], options?: { cause?: unknown }) {
    super(
      `Invalid Secret Manager emulator seed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        '\nExpected JSON: { "<project>": { "<secret-id>": "<value>" | ["<value>", { "value": "<value>", "state": "DISABLED" }] } }',
      options,
    );
    this.name = 'SeedError';
    this.problems = problems;
  }
}

const STATES: readonly string[] = ['ENABLED', 'DISABLED', 'DESTROYED'];
/** A project ID or number, optionally `/locations/LOCATION` for regional secrets. */
const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*(\/locations\/[a-z][a-z0-9-]{0,62})?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a seed's shape, collecting every problem; throws {@link SeedError}. Returns the seed, typed.
 *
 * @example const seed = validateSeed(JSON.parse(await readFile('seed.json', 'utf8')));
 */
export function validateSeed(seed: unknown): Seed {
  const problems: string[] = [];
  if (!isPlainObject(seed)) {
    throw new SeedError(['the seed must be a JSON object mapping project IDs to objects of secrets']);
  }
  for (const [project, secrets] of Object.entries(seed)) {
    if (!PROJECT_PATTERN.test(project)) {
      problems.push(
        `project "${project}": not a project ID or number (optionally followed by /locations/LOCATION for regional secrets)`,
      );
    }
    if (!isPlainObject(secrets)) {
      problems.push(`project "${project}": must be an object mapping secret IDs to values`);
      continue;
    }
    for (const [secret, versions] of Object.entries(secrets)) {
      const where = `${project}/${secret}`;
      const idProblem = secretIdProblem(secret);
      if (idProblem) problems.push(`${where}: ${idProblem}`);
      if (typeof versions === 'string') continue;
      if (!Array.isArray(versions)) {
        problems.push(`${where}: must be a string value or an array of versions`);
        continue;
      }
      versions.forEach((version: unknown, index) => {
        if (typeof version === 'string') return;
        if (!isPlainObject(version)) {
          problems.push(
            `${where}[${index}]: must be a string or { "value": string, "state"?: "ENABLED" | "DISABLED" | "DESTROYED" }`,
          );
          return;
        }
        if (typeof version['value'] !== 'string') problems.push(`${where}[${index}].value: must be a string`);
        if (version['state'] !== undefined && !STATES.includes(version['state'] as string)) {
          problems.push(`${where}[${index}].state: must be one of ENABLED, DISABLED, DESTROYED`);
        }
        for (const key of Object.keys(version)) {
          if (key !== 'value' && key !== 'state') problems.push(`${where}[${index}]: unknown field "${key}"`);
        }
      });
    }
  }
  if (problems.length > 0) throw new SeedError(problems);
  return seed as Seed;
}
