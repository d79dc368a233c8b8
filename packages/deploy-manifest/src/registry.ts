import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { readCloudRunYaml } from './cloud-run-yaml.ts';
import { cloudBuildFormat } from './cloudbuild.ts';
import { ManifestError } from './errors.ts';
import type { ReadRelativeFile } from './gcloud-deploy.ts';
import { githubActionsFormat } from './github-actions.ts';
import type { Deployment } from './model.ts';
import { readShellScript } from './shell.ts';
import { terraformFormat, terraformShowJsonFormat } from './terraform.ts';

/** What a reader is given besides the text. */
export interface ReadOptions {
  /** The input's name as the user gave it (in messages and on every variable). */
  file: string;
  /** Reads a file the input names (`--env-vars-file`), relative to the input. */
  readRelativeFile: ReadRelativeFile;
}

/**
 * One deploy input format: `detect` says from the name and text whether a file is in it (cheap; no parsing),
 * `read` returns every deploy the file makes. A new format is a new entry in {@link FORMATS}.
 */
export interface DeployFormat {
  name: string;
  detect(file: string, text: string): boolean;
  read(text: string, options: ReadOptions): Deployment[] | Promise<Deployment[]>;
  /** A format whose input may be a folder (a Terraform module): which files of it are read, and how. */
  directory?: {
    includes(name: string): boolean;
    read(
      files: Array<{ file: string; text: string }>,
      options: ReadOptions,
    ): Deployment[] | Promise<Deployment[]>;
  };
}

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SCRIPT_EXTENSIONS = new Set(['.sh', '.bash', '.zsh', '.ksh']);

/** Cloud Run service YAML: a `.yaml`/`.yml`/`.json` file, or any text with a Knative Service. */
export const cloudRunYamlFormat: DeployFormat = {
  name: 'cloud-run-yaml',
  detect: (file, text) =>
    YAML_EXTENSIONS.has(extname(file).toLowerCase()) ||
    (!text.startsWith('#!') && /^apiVersion:\s*serving\.knative\.dev\//m.test(text)),
  read: (text, options) => readCloudRunYaml(text, options),
};

/** A shell script (`.sh`, a shebang, or text that runs gcloud), read as bash reads it. */
export const gcloudFormat: DeployFormat = {
  name: 'gcloud',
  detect: (file, text) =>
    SCRIPT_EXTENSIONS.has(extname(file).toLowerCase()) || text.startsWith('#!') || /\bgcloud\b/.test(text),
  read: (text, options) => readShellScript(text, options),
};

/** The readers, most specific first: the first whose `detect` accepts a file reads it. */
export const FORMATS: readonly DeployFormat[] = [
  cloudBuildFormat,
  githubActionsFormat,
  terraformShowJsonFormat,
  terraformFormat,
  cloudRunYamlFormat,
  gcloudFormat,
];

/** Inputs larger than this are refused: no deploy input is, and reading one must stay fast. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Options of {@link readDeployments} and {@link readDeployment}. */
export interface ReadDeploymentOptions {
  /** The input's name as the user gave it. */
  file: string;
  /** Reads a file the input names; by default relative to `file` from the working directory. */
  readRelativeFile?: ReadRelativeFile;
  /** Formats to try. @default FORMATS */
  formats?: readonly DeployFormat[];
}

/**
 * Every deploy of one input, read by the first format that detects it. Throws {@link ManifestError}
 * (`unknown-format`, `malformed` for binary text, `no-deploy`, …).
 *
 * @example
 * const [deployment] = await readDeployments(text, { file: 'deploy.sh' });
 */
export async function readDeployments(text: string, options: ReadDeploymentOptions): Promise<Deployment[]> {
  const { file } = options;
  if (text.includes('\u0000')) {
    throw new ManifestError(`${file}: a binary file, not a deploy input`, { code: 'malformed', file });
  }
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new ManifestError(`${file}: larger than ${MAX_INPUT_BYTES / 1024} KiB; not a deploy input`, {
      code: 'malformed',
      file,
    });
  }
  const format = (options.formats ?? FORMATS).find((candidate) => candidate.detect(file, text));
  if (!format) {
    throw new ManifestError(
      `${file}: not a deploy input this reader knows (${(options.formats ?? FORMATS).map((f) => f.name).join(', ')}); --manifest takes a Cloud Run service YAML (gcloud run services describe SERVICE --format export), a shell script that runs gcloud run deploy, a cloudbuild.yaml, a GitHub Actions workflow, Terraform (.tf files or a folder of them) or terraform show -json output`,
      { code: 'unknown-format', file },
    );
  }
  const readRelativeFile =
    options.readRelativeFile ?? ((path: string) => readFileSync(resolve(dirname(file), path), 'utf8'));
  return format.read(text, { file, readRelativeFile });
}

/**
 * The one deploy of an input: the only one, or the one for `service`. Throws {@link ManifestError}
 * `several-services` (listing them) when the input deploys several and `service` is not given, `no-such-service`
 * when none is `service`.
 */
export async function readDeployment(
  text: string,
  options: ReadDeploymentOptions & { service?: string | undefined },
): Promise<Deployment> {
  const deployments = await readDeployments(text, options);
  return pickService(deployments, options.service, options.file);
}

/** Picks the deploy of `service` (or the only one) from an input's deploys; see {@link readDeployment}. */
export function pickService(
  deployments: Deployment[],
  service: string | undefined,
  file: string,
): Deployment {
  const names = deployments.map(
    (deployment, index) => deployment.service ?? `(unnamed, line ${deployments[index]!.line})`,
  );
  if (service !== undefined) {
    const matches = deployments.filter((deployment) => deployment.service === service);
    if (matches.length === 0) {
      throw new ManifestError(`${file}: no deploy of service "${service}"; it deploys ${names.join(', ')}`, {
        code: 'no-such-service',
        file,
        services: names,
      });
    }
    return matches.at(-1)!;
  }
  const distinct = new Set(names);
  if (distinct.size > 1) {
    throw new ManifestError(
      `${file}: deploys ${distinct.size} services (${[...distinct].join(', ')}); pick one with --service NAME`,
      { code: 'several-services', file, services: [...distinct] },
    );
  }
  // The same service deployed twice (a retry, a branch): the last command is what it ends with.
  return deployments.at(-1)!;
}

/**
 * Reads the deploy input at `path` (relative to `cwd`), as {@link readDeployment}; files it names resolve next to it.
 * Throws {@link ManifestError} `unreadable` naming the file and the reason.
 */
export async function loadDeployment(
  path: string,
  options: { cwd?: string; service?: string | undefined } = {},
): Promise<Deployment> {
  return pickService(await loadDeployments(path, options), options.service, path);
}

/**
 * Every deploy of the input at `path` (a file, or a folder a format reads as one input: a Terraform module), as
 * {@link readDeployments}. Throws {@link ManifestError} (`unreadable`, `malformed`, `unknown-format`, …).
 */
export async function loadDeployments(path: string, options: { cwd?: string } = {}): Promise<Deployment[]> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  const directory = readDirectoryInput(absolute, path);
  if (directory !== undefined) return directory;
  let text: string;
  try {
    if (statSync(absolute).size > MAX_INPUT_BYTES) {
      throw new ManifestError(`${path}: larger than ${MAX_INPUT_BYTES / 1024} KiB; not a deploy input`, {
        code: 'malformed',
        file: path,
      });
    }
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(error));
    throw new ManifestError(`cannot read ${path}: ${reason}`, {
      code: 'unreadable',
      file: path,
      cause: error,
    });
  }
  const folder = dirname(absolute);
  return readDeployments(text, {
    file: path,
    readRelativeFile: (relative) => readFileSync(resolve(folder, relative), 'utf8'),
  });
}

/**
 * A folder given as the input (`--manifest infra/`): read by the format that takes folders and has files in it,
 * as one input; `undefined` when `absolute` is not a folder.
 */
function readDirectoryInput(absolute: string, path: string): Promise<Deployment[]> | undefined {
  let names: string[];
  try {
    if (!statSync(absolute).isDirectory()) return undefined;
    names = readdirSync(absolute).sort();
  } catch {
    return undefined;
  }
  for (const format of FORMATS) {
    if (!format.directory) continue;
    const included = names.filter(
      (name) => format.directory!.includes(name) && statSync(join(absolute, name)).isFile(),
    );
    if (included.length === 0) continue;
    const files = included.map((name) => {
      const file = join(path, name);
      if (statSync(join(absolute, name)).size > MAX_INPUT_BYTES) {
        throw new ManifestError(`${file}: larger than ${MAX_INPUT_BYTES / 1024} KiB; not a deploy input`, {
          code: 'malformed',
          file,
        });
      }
      return { file, text: readFileSync(join(absolute, name), 'utf8') };
    });
    return Promise.resolve(
      format.directory.read(files, {
        file: path,
        readRelativeFile: (relative) => readFileSync(resolve(absolute, relative), 'utf8'),
      }),
    );
  }
  throw new ManifestError(
    `${path}: a folder with no deploy input a reader takes as a folder (${FORMATS.filter(
      (format) => format.directory,
    )
      .map((format) => format.name)
      .join(', ')}: .tf files); give a file, or a folder of Terraform files`,
    { code: 'unreadable', file: path },
  );
}
