/**
 * The `cloudbuild` reader: a Cloud Build config (`cloudbuild.yaml` / `.json`). Steps that run `gcloud run deploy`
 * — as the gcloud builder's `args`, or in a `bash -c` / `sh -c` script or a step's `script` — are read by the one
 * shell reader. Cloud Build replaces substitutions before a step runs: user substitutions (`$_SERVICE`,
 * `${_SERVICE}`) are unknown with the `substitutions:` value as their default (a trigger or
 * `gcloud builds submit --substitutions` may override it), built-ins (`$PROJECT_ID`, `$SHORT_SHA`, …) are
 * unknown, and `$$` is a literal `$` left to the shell. A `secretEnv` value a step passes to the revision as a
 * plain variable is reported as a plaintext secret.
 */
import { basename, extname } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap, type Node as YamlNode } from 'yaml';
import {
  type ArgumentPieces,
  CiEnvironment,
  type CiPiece,
  readCommandArguments,
  readStepScript,
  scriptLines,
} from './embedded-shell.ts';
import { ManifestError } from './errors.ts';
import { parseSecretSpec } from './gcloud-deploy.ts';
import type { Deployment } from './model.ts';
import type { DeployFormat, ReadOptions } from './registry.ts';

/** Cloud Build's default substitutions (all builds, triggered builds, GitHub pull-request triggers). */
export const CLOUD_BUILD_BUILTINS: ReadonlySet<string> = new Set([
  'PROJECT_ID',
  'BUILD_ID',
  'PROJECT_NUMBER',
  'LOCATION',
  'TRIGGER_NAME',
  'COMMIT_SHA',
  'REVISION_ID',
  'SHORT_SHA',
  'REPO_NAME',
  'REPO_FULL_NAME',
  'BRANCH_NAME',
  'TAG_NAME',
  'REF_NAME',
  'TRIGGER_BUILD_CONFIG_PATH',
  'SERVICE_ACCOUNT_EMAIL',
  'SERVICE_ACCOUNT',
  '_HEAD_BRANCH',
  '_BASE_BRANCH',
  '_HEAD_REPO_URL',
  '_PR_NUMBER',
]);

/** Builder images whose entrypoint is gcloud. */
const GCLOUD_BUILDERS =
  /^(gcr\.io\/cloud-builders\/gcloud|gcr\.io\/google\.com\/cloudsdktool\/(google-)?cloud-sdk|(\S+-docker\.pkg\.dev|gcr\.io)\/google\.com\/cloudsdktool\/[^:]*)(:|@|$)/;
const SHELLS = /^(\/(usr\/)?bin\/)?(bash|sh|dash|zsh)$/;

interface Substitutions {
  user: Map<string, string>;
  loose: boolean;
}

/**
 * Cloud Build's substitution of one string: `$$` is `$`; `$NAME` and `${NAME}` of a user substitution or a
 * built-in become expressions; any other `$NAME` is refused by Cloud Build (unless `ALLOW_LOOSE`, where it is
 * empty).
 */
function substitute(
  text: string,
  substitutions: Substitutions,
  at: { file: string; line: number },
): CiPiece[] {
  const pieces: CiPiece[] = [];
  const pattern = /\$\$|\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g;
  let cursor = 0;
  for (const match of text.matchAll(pattern)) {
    pieces.push({ literal: text.slice(cursor, match.index) });
    cursor = match.index + match[0].length;
    if (match[0] === '$$') {
      pieces.push({ literal: '$' });
      continue;
    }
    const name = match[1] ?? match[2]!;
    const value = substitutions.user.get(name);
    if (value !== undefined) pieces.push({ expression: match[0], default: value });
    else if (CLOUD_BUILD_BUILTINS.has(name) || name.startsWith('_')) pieces.push({ expression: match[0] });
    else if (substitutions.loose) pieces.push({ literal: '' });
    else {
      throw new ManifestError(
        `${at.file}:${at.line}: ${match[0]} is neither a built-in substitution nor one of substitutions:; Cloud Build refuses the build. For the shell's own variable write $$${name}; for a substitution, name it _${name} and give it a value under substitutions:`,
        { code: 'malformed', file: at.file, line: at.line },
      );
    }
  }
  pieces.push({ literal: text.slice(cursor) });
  return pieces.filter((piece) => !('literal' in piece) || piece.literal !== '');
}

function scalarText(node: unknown): string | undefined {
  if (node === null || node === undefined || typeof node === 'object') return undefined;
  return String(node);
}

/**
 * Reads every `gcloud run deploy` of a Cloud Build config. Throws {@link ManifestError}: `malformed` for YAML or
 * JSON that does not parse (with its line) or a substitution Cloud Build refuses; `no-deploy` when no step deploys.
 */
export async function readCloudBuild(text: string, options: ReadOptions): Promise<Deployment[]> {
  const { file } = options;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ManifestError(`${file}:${line}: malformed YAML: ${error.message.split('\n')[0]}`, {
      code: 'malformed',
      file,
      line,
      cause: error,
    });
  }
  const lineOf = (node: YamlNode | null | undefined, fallback = 1) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const root = document.contents;
  const steps = isMap(root) ? root.get('steps', true) : undefined;
  if (!isSeq(steps)) {
    throw new ManifestError(
      `${file}: not a Cloud Build config (no steps:); expected a cloudbuild.yaml with steps`,
      {
        code: 'no-deploy',
        file,
      },
    );
  }
  const data = (document.toJS() ?? {}) as Record<string, unknown>;
  const buildOptions = (data.options ?? {}) as Record<string, unknown>;
  const substitutions: Substitutions = {
    user: new Map(
      Object.entries((data.substitutions ?? {}) as Record<string, unknown>).map(([name, value]) => [
        name,
        String(value ?? ''),
      ]),
    ),
    loose:
      buildOptions.substitutionOption === 'ALLOW_LOOSE' || buildOptions.substitution_option === 'ALLOW_LOOSE',
  };
  const automap = buildOptions.automapSubstitutions === true;
  // availableSecrets: env name → the secret version Cloud Build puts there.
  const secretVersions = new Map<string, string>();
  const available = (data.availableSecrets ?? {}) as { secretManager?: Array<Record<string, unknown>> };
  for (const entry of available.secretManager ?? []) {
    const env = scalarText(entry.env);
    const version = scalarText(entry.versionName);
    if (env !== undefined && version !== undefined) secretVersions.set(env, version);
  }

  const deployments: Deployment[] = [];
  for (const stepNode of steps.items) {
    if (!isMap(stepNode)) continue;
    const step = stepNode as YAMLMap;
    const stepLine = lineOf(step);
    const at = (node: YamlNode | null | undefined) => ({ file, line: lineOf(node, stepLine) });
    const stepData = step.toJSON() as Record<string, unknown>;
    const environment = new CiEnvironment();
    const secretEnvNames = new Map<string, string>();
    // The step's environment: options.env, then the step's env (KEY=VALUE, substituted), then secretEnv.
    const envLists: Array<[unknown, YamlNode | undefined]> = [
      [buildOptions.env, undefined],
      [stepData.env, step.get('env', true) as YamlNode | undefined],
    ];
    for (const [list, node] of envLists) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        const entry = String(item);
        const equals = entry.indexOf('=');
        if (equals === -1) return;
        const itemNode = isSeq(node) ? (node.items[index] as YamlNode) : node;
        environment.variables.set(
          entry.slice(0, equals),
          environment.variable(substitute(entry.slice(equals + 1), substitutions, at(itemNode))),
        );
      });
    }
    for (const list of [buildOptions.secretEnv, stepData.secretEnv]) {
      if (!Array.isArray(list)) continue;
      for (const name of list.map(String)) {
        const version = secretVersions.get(name) ?? 'a secret of availableSecrets';
        secretEnvNames.set(name, version);
        environment.variables.set(name, { known: false, expression: `$${name} (secretEnv: ${version})` });
      }
    }
    if (automap || stepData.automapSubstitutions === true) {
      for (const [name, value] of substitutions.user) {
        environment.variables.set(name, { known: false, expression: `$${name}`, default: value });
      }
      for (const name of CLOUD_BUILD_BUILTINS)
        environment.variables.set(name, { known: false, expression: `$${name}` });
    }

    const name = scalarText(stepData.name) ?? '';
    const entrypoint = scalarText(stepData.entrypoint);
    const argsNode = step.get('args', true) as YamlNode | undefined;
    const args = isSeq(argsNode) ? argsNode.items : [];
    const argText = (index: number) => scalarText((args[index] as { toJSON?: () => unknown })?.toJSON?.());
    const read = (script: string, lines: { firstLine?: number; fixedLine?: number }) =>
      readStepScript(script, {
        ...options,
        environment: environment.variables,
        format: 'cloudbuild',
        firstLine: lines.firstLine,
        fixedLine: lines.fixedLine,
      });
    let found: Deployment[] = [];
    const scriptNode = step.get('script', true) as YamlNode | undefined;
    if (typeof stepData.script === 'string') {
      // `script` is run as written: Cloud Build does not substitute in it (automapSubstitutions maps them to env).
      found = await read(stepData.script, scriptLines(scriptNode, lineCounter));
    } else if (
      (entrypoint !== undefined && SHELLS.test(entrypoint)) ||
      (entrypoint === undefined && SHELLS.test(basename(name)))
    ) {
      const flag = [...args.keys()].find((index) => /^-[a-z]*c[a-z]*$/.test(argText(index) ?? ''));
      const script = flag === undefined ? undefined : argText(flag + 1);
      if (script !== undefined) {
        const node = args[flag! + 1] as YamlNode;
        found = await read(
          environment.script(substitute(script, substitutions, at(node))),
          scriptLines(node, lineCounter),
        );
      }
    } else if (entrypoint === 'gcloud' || (entrypoint === undefined && GCLOUD_BUILDERS.test(name))) {
      // The builder runs gcloud with the args as they are: no shell between (and none loaded to read them).
      const words: ArgumentPieces[] = [{ pieces: [{ literal: 'gcloud' }], line: stepLine }];
      args.forEach((node, index) => {
        const value = argText(index);
        if (value === undefined) return;
        const line = lineOf(node as YamlNode, stepLine);
        words.push({ pieces: substitute(value, substitutions, { file, line }), line });
      });
      found = readCommandArguments(words, stepLine, { ...options, format: 'cloudbuild' });
    }
    for (const deployment of found) {
      reportPlaintextSecretEnv(deployment, secretEnvNames);
      deployments.push(deployment);
    }
  }
  if (deployments.length === 0) {
    throw new ManifestError(
      `${file}: no step runs gcloud run deploy (as the gcloud builder's args, in a bash -c script or a step's script); --manifest takes a Cloud Build config whose steps deploy to Cloud Run`,
      { code: 'no-deploy', file },
    );
  }
  return deployments;
}

/** A secretEnv value passed on as a plain variable: the revision has the secret in its configuration. */
function reportPlaintextSecretEnv(deployment: Deployment, secretEnvNames: Map<string, string>): void {
  for (const variable of deployment.variables) {
    if (variable.kind !== 'unknown' || variable.expression === undefined) continue;
    for (const [name, version] of secretEnvNames) {
      if (!new RegExp(`\\$\\{?${name}\\b`).test(variable.expression)) continue;
      const secret = parseSecretSpec(version.replace(/\/versions\//, ':'));
      deployment.issues.push({
        severity: 'error',
        code: 'manifest-plaintext-secret',
        variable: variable.name,
        message: `${variable.name} is given the value of secretEnv ${name} (${version}) as a plain environment variable: anyone who can view the service reads the secret.`,
        hint: `Bind the secret instead: --update-secrets=${variable.name}=${secret ? `${secret.project ? `projects/${secret.project}/secrets/` : ''}${secret.name}:${secret.version}` : 'SECRET:VERSION'}.`,
        file: variable.file,
        line: variable.line,
      });
    }
  }
}

const CLOUD_BUILD_NAME = /^cloudbuild([._-][^/\\]*)?\.(ya?ml|json)$/i;

/** A Cloud Build config: `cloudbuild*.yaml|yml|json`, or a YAML/JSON text with top-level `steps` and no Knative `kind`. */
export const cloudBuildFormat: DeployFormat = {
  name: 'cloudbuild',
  detect: (file, text) =>
    CLOUD_BUILD_NAME.test(basename(file)) ||
    (['.yaml', '.yml', '.json'].includes(extname(file).toLowerCase()) &&
      (/^steps\s*:/m.test(text) || /^\s*\{\s*"steps"\s*:/.test(text)) &&
      !/^jobs\s*:/m.test(text) &&
      !/^kind\s*:/m.test(text)),
  read: (text, options) => readCloudBuild(text, options),
};
