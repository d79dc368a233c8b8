import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError } from '../errors';
import { readInputFile } from '../files';
import { isCloudRunService, parseCloudRunService } from './cloud-run-yaml';
import { parseDeployScript } from './gcloud';
import type { ProvidedVariables } from './types';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SCRIPT_EXTENSIONS = new Set(['.sh', '.bash', '.zsh']);

/**
 * Parses a manifest given as `text`: a Cloud Run service YAML (by extension, or any YAML document with
 * `kind: Service`) or a shell script with a `gcloud run deploy` command. Throws {@link InputError} for malformed YAML
 * and for a file that is neither.
 */
export function parseManifest(
  text: string,
  options: { file: string; readRelativeFile: (path: string) => string },
): ProvidedVariables {
  const { file } = options;
  const extension = extname(file).toLowerCase();
  const looksLikeScript = SCRIPT_EXTENSIONS.has(extension) || text.startsWith('#!');
  if (!looksLikeScript) {
    const document = parseDocument(text, { prettyErrors: true });
    if (document.errors.length > 0) {
      if (YAML_EXTENSIONS.has(extension)) {
        const error = document.errors[0]!;
        const line = error.linePos?.[0].line;
        throw new InputError(
          `${file}: malformed YAML${line === undefined ? '' : ` at line ${line}`}: ${error.message.split('\n')[0]}`,
          { file, cause: error },
        );
      }
    } else {
      const data: unknown = document.toJS();
      if (isCloudRunService(data) || YAML_EXTENSIONS.has(extension)) return parseCloudRunService(data, file);
    }
  }
  if (!/\bgcloud\b/.test(text)) {
    throw new InputError(
      `${file}: neither a Cloud Run service YAML nor a shell script with \`gcloud run deploy\`; --manifest takes the YAML of \`gcloud run services describe SERVICE --format export\` or a deploy script`,
      { file },
    );
  }
  return parseDeployScript(text, options);
}

/** Reads and parses the manifest at `path` (relative to `cwd`); `--env-vars-file`s resolve next to it. */
export function loadManifest(path: string, cwd: string): ProvidedVariables {
  const text = readInputFile(path, cwd, 'manifest');
  const directory = dirname(resolve(cwd, path));
  return parseManifest(text, {
    file: path,
    readRelativeFile: (relative) => readFileSync(resolve(directory, relative), 'utf8'),
  });
}
