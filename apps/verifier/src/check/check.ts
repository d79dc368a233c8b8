import { netraBackendSchema } from '@netra/backend-schema';
import {
  classifyHost,
  didYouMean,
  type Environment,
  type Issue,
  parseSecretReference,
  safeLoadConfig,
  type VariableDescription,
} from '@netra/config-schema';
import { type OAuthInput, safeGetOAuthConfig } from '@netra/oauth-config';
import { type ManifestSecretRef, type ProvidedVariables, providedNames } from '../manifest/types';

/** Where a variable of the deployment gets its value. */
export type ValueOrigin =
  | { kind: 'env-file'; file: string }
  | { kind: 'manifest'; file: string }
  | { kind: 'secret'; file: string; ref: ManifestSecretRef; via?: string }
  | { kind: 'reference'; file: string; reference: string };

/** A secret the deployment reads at start-up, to be fetched when `--project` is given. */
export interface SecretToRead {
  variable: string;
  key: string;
  project: string | undefined;
  secret: string;
  version: string;
  field?: string;
}

/** The environment a deployment would start with, before secrets are read. */
export interface Deployment {
  environment: Environment;
  /** Literal values (env files, then manifest literals). */
  values: Record<string, string>;
  /** Where each variable comes from. */
  origins: Map<string, ValueOrigin>;
  /** Secrets the deployment binds (manifest bindings, `NAME_FILE` mounts, `sm://` references). */
  secrets: SecretToRead[];
  /** Variables an env file provides through `NAME_FILE` (a local file): provided, unchecked. */
  providedByFiles: string[];
  /** Variables the manifest sets that a deployment cannot set (PORT): reported, then dropped. */
  reserved: string[];
  /** Env-file variables whose unquoted value dotenv ended at a `#` (see `EnvFiles.cutAtHash`): by variable, the file. */
  cutAtHash: Map<string, string>;
  manifest: ProvidedVariables | undefined;
  /** Every variable the schema allows in this environment. */
  descriptions: VariableDescription[];
}

/**
 * Merges env files and a manifest into the environment the service would start with: env files in order, then
 * the manifest's literals; a manifest secret binding replaces a literal; `NAME_FILE` pointing at a mounted secret
 * provides `NAME`; `sm://PROJECT/SECRET[#VERSION][?field=F]` values become secrets to read.
 */
export function mergeDeployment(options: {
  environment: Environment;
  descriptions: VariableDescription[];
  envFile: { values: Record<string, string>; sources: Map<string, string>; cutAtHash?: Map<string, string> };
  manifest: ProvidedVariables | undefined;
}): Deployment {
  const { environment, descriptions, envFile, manifest } = options;
  const byVariable = new Map(descriptions.map((description) => [description.variable, description]));
  const values: Record<string, string> = {};
  const origins = new Map<string, ValueOrigin>();
  for (const [name, value] of Object.entries(envFile.values)) {
    values[name] = value;
    origins.set(name, { kind: 'env-file', file: envFile.sources.get(name) ?? '' });
  }
  const secrets: SecretToRead[] = [];
  const reserved: string[] = [];
  if (manifest) {
    for (const [name, value] of manifest.literals) {
      values[name] = value;
      origins.set(name, { kind: 'manifest', file: manifest.file });
    }
    for (const [name, ref] of manifest.secrets) {
      delete values[name];
      origins.set(name, { kind: 'secret', file: manifest.file, ref });
    }
    for (const [name, path] of manifest.literals) {
      const ref = name.endsWith('_FILE') ? manifest.files.get(path) : undefined;
      if (ref === undefined) continue;
      const target = name.slice(0, -'_FILE'.length);
      delete values[name];
      delete values[target];
      origins.set(target, { kind: 'secret', file: manifest.file, ref, via: `${name}=${path}` });
    }
    for (const name of providedNames(manifest)) {
      if (byVariable.get(name)?.reserved === true) {
        reserved.push(name);
        delete values[name];
      }
    }
  }
  // NAME_FILE is the loader's file source, not a setting: the loader reads the file as NAME. Mounted secret files
  // were resolved above; a NAME_FILE from an env file names a local file that provides NAME, unchecked here.
  const providedByFiles: string[] = [];
  for (const name of Object.keys(values)) {
    const target = name.slice(0, -'_FILE'.length);
    if (!name.endsWith('_FILE') || !byVariable.has(target)) continue;
    delete values[name];
    if (origins.get(name)?.kind === 'env-file' && values[target] === undefined) providedByFiles.push(target);
  }
  for (const [name, origin] of origins) {
    if (origin.kind === 'secret') {
      secrets.push({
        variable: name,
        key: byVariable.get(name)?.key ?? '',
        project: origin.ref.project,
        secret: origin.ref.secret,
        version: origin.ref.version,
      });
    }
  }
  for (const [name, value] of Object.entries(values)) {
    const reference = parseSecretReference(value);
    if (reference === null) continue;
    delete values[name];
    origins.set(name, { kind: 'reference', file: origins.get(name)?.file ?? '', reference: value });
    secrets.push({ variable: name, key: byVariable.get(name)?.key ?? '', ...reference });
  }
  // Only where the env file's value is the one the service gets (a manifest value replaces it).
  const cutAtHash = new Map(
    [...(envFile.cutAtHash ?? [])].filter(([name, file]) => {
      const origin = origins.get(name);
      return (origin?.kind === 'env-file' || origin?.kind === 'reference') && origin.file === file;
    }),
  );
  return {
    environment,
    values,
    origins,
    secrets,
    providedByFiles,
    reserved,
    cutAtHash,
    manifest,
    descriptions,
  };
}

/** Secret values read from Secret Manager (`--project`), and what could not be read. */
export interface SecretReadout {
  values: Record<string, string>;
  issues: Issue[];
}

/**
 * Runs the runtime's validation (config-schema's loader, then the OAuth rules) over the deployment, plus the
 * manifest rules. Secrets without a value (no `--project`, or unreadable) count as provided and unchecked.
 * Returns every issue, errors and warnings, deduplicated; never a value. `options.project` (`--project`) is the
 * project of bindings that name none, else the manifest's own project.
 */
export function checkDeployment(
  deployment: Deployment,
  readout: SecretReadout | undefined,
  options: { project?: string | undefined } = {},
): Issue[] {
  const { environment, descriptions } = deployment;
  const env: Record<string, string> = { ...deployment.values };
  if (readout) Object.assign(env, readout.values);
  const providedElsewhere = [
    ...deployment.secrets.map((secret) => secret.variable),
    ...deployment.providedByFiles,
  ].filter((variable) => env[variable] === undefined);
  const issues: Issue[] = [...(readout?.issues ?? [])];

  // The loader compares ENVIRONMENT with the checked environment and reports a mismatch; unset, it is --env.
  env.ENVIRONMENT ??= environment;

  // A bound name that is not this environment's (JWT_SECRET in staging) still counts as set, so that the loader
  // reports it as wrong-name; its value is never validated or shown.
  const loaderEnv = { ...env };
  const known = schemaNames(descriptions);
  for (const variable of providedElsewhere) {
    if (!known.has(variable)) loaderEnv[variable] = 'provided-by-a-secret-binding';
  }
  const loaded = safeLoadConfig(netraBackendSchema, { env: loaderEnv, environment, providedElsewhere });
  const loaderIssues = loaded.ok ? loaded.warnings : loaded.issues;
  issues.push(...loaderIssues);

  issues.push(...oauthIssues(deployment, env, loaded, new Set(providedElsewhere)));
  const reportedWrongNames = new Set(
    loaderIssues.filter((issue) => issue.code === 'wrong-name').map((issue) => issue.variable),
  );
  issues.push(...unknownVariableIssues(deployment, reportedWrongNames));
  issues.push(...unpinnedIssues(deployment));
  if (deployment.manifest) issues.push(...manifestIssues(deployment, env, options.project));
  return finish(issues, deployment);
}

function oauthIssues(
  deployment: Deployment,
  env: Record<string, string>,
  loaded: ReturnType<typeof safeLoadConfig<typeof netraBackendSchema>>,
  providedElsewhere: Set<string>,
): Issue[] {
  const names = (key: string) =>
    deployment.descriptions.find((description) => description.key === key)?.variable;
  // The runtime passes the loaded config; when loading failed, the raw values stand in so that OAuth problems
  // are reported in the same run instead of after the next fix.
  const input: OAuthInput = loaded.ok
    ? (loaded.config as unknown as OAuthInput)
    : {
        environment: deployment.environment,
        apiBaseUrl: env[names('apiBaseUrl') ?? 'API_BASE_URL'] ?? '',
        frontendUrl: env[names('frontendUrl') ?? 'FRONTEND_URL'] ?? '',
        oauth: {
          google: {
            clientId: env[names('oauth.google.clientId') ?? ''],
            clientSecret: env[names('oauth.google.clientSecret') ?? ''],
          },
          issuerUrl: env[names('oauth.issuerUrl') ?? ''],
        },
      };
  const result = safeGetOAuthConfig(input);
  const found = result.ok ? result.warnings : result.issues;
  // On the raw values, an unset variable stands in as empty; the loader has already reported it (missing,
  // wrong-name…), and that is its one issue: "not an http(s) URL" about an unset API_BASE_URL says nothing more.
  const reportedUnset = new Set(
    loaded.ok
      ? []
      : loaded.issues.filter((issue) => env[issue.variable] === undefined).map((i) => i.variable),
  );
  // A variable bound to a secret that was not read has no value here: its OAuth rules are unchecked.
  return found.filter(
    (issue) => !providedElsewhere.has(issue.variable) && !reportedUnset.has(issue.variable),
  );
}

/** Production secrets on `latest` change at the next instance start, without a deploy (bindings and sm:// alike). */
function unpinnedIssues(deployment: Deployment): Issue[] {
  if (deployment.environment !== 'production') return [];
  return deployment.secrets
    .filter((secret) => secret.version === 'latest')
    .map((secret) => ({
      severity: 'warning' as const,
      code: 'unpinned-version',
      key: secret.key,
      variable: secret.variable,
      message: `${secret.variable} reads version "latest" of ${secret.secret}: a new version changes production at the next instance start, without a deploy.`,
      hint:
        deployment.origins.get(secret.variable)?.kind === 'reference'
          ? `Pin a version number: sm://PROJECT/${secret.secret}#N (gcloud secrets versions list ${secret.secret}).`
          : `Pin a version number: ${secret.secret}:N (gcloud secrets versions list ${secret.secret}).`,
    }));
}

function schemaNames(descriptions: VariableDescription[]): Map<string, VariableDescription> {
  return new Map(descriptions.map((description) => [description.variable, description]));
}

/** The description whose other environments use `name` (`JWT_SECRET` in staging → jwtSecret). */
function otherEnvironmentName(
  descriptions: VariableDescription[],
  name: string,
): VariableDescription | undefined {
  return descriptions.find((description) => description.otherNames.includes(name));
}

function isKnownFileVariable(known: Map<string, VariableDescription>, name: string): boolean {
  return name.endsWith('_FILE') && known.has(name.slice(0, -'_FILE'.length));
}

function unknownVariableIssues(deployment: Deployment, reportedWrongNames: Set<string>): Issue[] {
  const { descriptions, environment, manifest } = deployment;
  const known = schemaNames(descriptions);
  const issues: Issue[] = [];
  const manifestNames = new Set<string>(
    manifest ? [...manifest.literals.keys(), ...manifest.secrets.keys()] : [],
  );
  const names = new Set([...deployment.origins.keys(), ...manifestNames]);
  for (const name of names) {
    if (known.has(name) || isKnownFileVariable(known, name)) continue;
    const inManifest = manifestNames.has(name);
    const other = otherEnvironmentName(descriptions, name);
    if (other && reportedWrongNames.has(other.variable)) continue;
    if (other) {
      issues.push({
        severity: 'error',
        code: 'wrong-name',
        key: other.key,
        variable: name,
        message: `${name} is set, but ${environment} reads ${other.variable}: ${name} is the name in another environment and is ignored here.`,
        hint: `Rename ${name} to ${other.variable}${inManifest ? ` in ${manifest!.file}` : ''}.`,
      });
      continue;
    }
    if (!inManifest && environment !== 'staging' && environment !== 'production') continue;
    const suggestion = didYouMean(name, known.keys());
    issues.push({
      severity: 'warning',
      code: inManifest ? 'manifest-unknown-variable' : 'unknown-variable',
      key: '',
      variable: name,
      message: `${name} is not a setting of the Netra backend in ${environment}${suggestion ? `; did you mean ${suggestion}?` : '.'}`,
      hint: suggestion
        ? `Rename ${name} to ${suggestion}.`
        : `Remove ${name}${inManifest ? ` from ${manifest!.file}` : ''}, or add it to the schema if the service needs it.`,
    });
  }
  return issues;
}

function bindingHint(manifest: ProvidedVariables, variable: string, secret: string, version: string): string {
  if (manifest.kind === 'gcloud-deploy')
    return `add --update-secrets=${variable}=${secret}:${version} to the deploy command`;
  return `add to the container's env: { name: ${variable}, valueFrom: { secretKeyRef: { name: ${secret}, key: '${version}' } } }`;
}

function literalHint(manifest: ProvidedVariables, variable: string, example: string): string {
  if (manifest.kind === 'gcloud-deploy')
    return `add --update-env-vars=${variable}=${example} to the deploy command`;
  return `add to the container's env: { name: ${variable}, value: '${example}' }`;
}

/** "A and B are both", "A, B and C are all 3": the subject of the manifest-shared-secret message. */
function sharedBy(variables: readonly string[]): string {
  if (variables.length === 2) return `${variables[0]} and ${variables[1]} are both`;
  return `${variables.slice(0, -1).join(', ')} and ${variables.at(-1)} are all ${variables.length}`;
}

/** Whether the YAML sets revision annotation `key` on the service's metadata instead of the template. */
function misplaced(manifest: ProvidedVariables, key: string): boolean {
  return manifest.misplacedAnnotations?.includes(key) === true;
}

function manifestIssues(
  deployment: Deployment,
  env: Record<string, string>,
  project: string | undefined,
): Issue[] {
  const manifest = deployment.manifest!;
  const { environment, descriptions } = deployment;
  const known = schemaNames(descriptions);
  const provided = providedNames(manifest);
  const issues: Issue[] = [];
  const deployed = environment === 'staging' || environment === 'production';

  for (const description of descriptions) {
    const { variable } = description;
    const required =
      (description.required && description.default === undefined) || (deployed && variable === 'ENVIRONMENT');
    if (required && !description.reserved && !provided.has(variable)) {
      const setInstead = [...provided].find((name) => description.otherNames.includes(name));
      const fix = description.secret
        ? bindingHint(
            manifest,
            variable,
            description.secret.secret,
            environment === 'production' ? 'N' : description.secret.version,
          )
        : literalHint(
            manifest,
            variable,
            variable === 'ENVIRONMENT' ? environment : (description.example ?? '…'),
          );
      issues.push({
        severity: 'error',
        code: 'manifest-missing',
        key: description.key,
        variable,
        message: `${variable} is required in ${environment}, but ${manifest.file} does not provide it${setInstead ? ` (it sets ${setInstead}, which ${environment} does not read)` : ''}.`,
        hint: `${fix[0]!.toUpperCase()}${fix.slice(1)}.`,
      });
    }
  }

  for (const [name, value] of manifest.literals) {
    const description = known.get(name);
    if (description?.sensitive !== true || value.startsWith('sm://')) continue;
    const secret = description.secret?.secret ?? `${name.toLowerCase().replaceAll('_', '-')}`;
    issues.push({
      severity: 'error',
      code: 'manifest-plaintext-secret',
      key: description.key,
      variable: name,
      message: `${name} is a secret, but ${manifest.file} sets it as a plain value, readable by anyone who can view the service.`,
      hint: `Store it in Secret Manager as ${secret} and bind it instead: ${bindingHint(manifest, name, secret, environment === 'production' ? 'N' : 'latest')}.`,
    });
  }

  const bySecret = new Map<string, string[]>();
  for (const secret of deployment.secrets) {
    const origin = deployment.origins.get(secret.variable);
    if (origin?.kind !== 'secret') continue;
    // A binding without a project reads the service's: `--project`, else the project the manifest deploys to.
    const id = `${secret.project ?? project ?? manifest.project ?? ''}/${secret.secret}`;
    bySecret.set(id, [...(bySecret.get(id) ?? []), secret.variable]);
  }
  for (const [id, variables] of bySecret) {
    if (variables.length < 2) continue;
    const secretName = id.slice(id.indexOf('/') + 1);
    for (const variable of variables) {
      const description = known.get(variable);
      const own = description?.secret?.secret;
      issues.push({
        severity: 'error',
        code: 'manifest-shared-secret',
        key: description?.key ?? '',
        variable,
        message: `${sharedBy(variables)} bound to the one secret ${secretName}, so they receive the same value.`,
        hint: own
          ? `Bind ${variable} to its own secret ${own} (store just that value in it).`
          : `Bind ${variable} to a secret of its own.`,
      });
    }
  }

  // gcloud refuses an --env-vars-file whose values are not strings ("Environment variable values must be strings").
  for (const [name, { file, type }] of manifest.nonStringValues ?? []) {
    const description = known.get(name);
    const sensitive = description?.sensitive === true;
    const value = manifest.literals.get(name) ?? '';
    const what =
      type === 'null' ? 'has no value' : `is ${sensitive ? '' : `${value}, `}a ${type}, not a string`;
    issues.push({
      severity: 'error',
      code: 'invalid',
      key: description?.key ?? '',
      variable: name,
      message: `${name} in ${file} ${what}: gcloud refuses the file (environment variable values must be strings), so the deploy fails.`,
      hint: `Quote it in ${file}: ${name}: "${type === 'null' ? '' : sensitive ? '…' : value}".`,
    });
  }

  for (const name of deployment.reserved) {
    issues.push({
      severity: 'error',
      code: 'reserved-variable',
      key: known.get(name)?.key ?? '',
      variable: name,
      message: `${manifest.file} sets ${name}, which Cloud Run sets itself (deploys that set it are rejected).`,
      hint: `Remove ${name} from ${manifest.file}; use --port (containerPort) to change the port the service listens on.`,
    });
  }

  for (const description of descriptions) {
    if (!description.key.endsWith('.host')) continue;
    const host = env[description.variable];
    if (host === undefined) continue;
    const hostClass = classifyHost(host);
    const instance = hostClass.kind === 'cloud-sql-socket' ? hostClass.instance : undefined;
    if (instance !== undefined && !manifest.cloudsqlInstances.includes(instance)) {
      issues.push({
        severity: 'error',
        code: 'manifest-cloudsql-missing',
        key: description.key,
        variable: description.variable,
        message: `${description.variable} is the Cloud SQL socket of ${instance}, but ${manifest.file} does not attach that instance, so the socket will not exist.`,
        hint:
          manifest.kind === 'gcloud-deploy'
            ? `Add --add-cloudsql-instances=${instance} to the deploy command.`
            : `${misplaced(manifest, 'run.googleapis.com/cloudsql-instances') ? 'Move' : 'Add'} the annotation run.googleapis.com/cloudsql-instances: ${instance} to spec.template.metadata.annotations${misplaced(manifest, 'run.googleapis.com/cloudsql-instances') ? " (in the service's metadata.annotations Cloud Run does not apply it)" : ''}.`,
      });
    }
    if (hostClass.kind === 'private' && manifest.vpcEgress === false) {
      issues.push({
        severity: 'error',
        code: 'manifest-no-vpc-egress',
        key: description.key,
        variable: description.variable,
        message: `${description.variable} is a private address (${host}), but ${manifest.file} gives the service no VPC egress, so it cannot reach it.`,
        hint:
          manifest.kind === 'gcloud-deploy'
            ? 'Add --network=NETWORK --subnet=SUBNET (Direct VPC egress) or --vpc-connector=CONNECTOR to the deploy command.'
            : misplaced(manifest, 'run.googleapis.com/vpc-access-connector') ||
                misplaced(manifest, 'run.googleapis.com/network-interfaces')
              ? "Move run.googleapis.com/vpc-access-connector or run.googleapis.com/network-interfaces from the service's metadata.annotations, where Cloud Run does not apply it, to spec.template.metadata.annotations."
              : 'Add the annotation run.googleapis.com/network-interfaces (Direct VPC egress) or run.googleapis.com/vpc-access-connector to spec.template.metadata.annotations.',
      });
    }
  }
  return issues;
}

/**
 * Drops duplicates (same code and variable) and the less precise of two issues that say one thing: `missing` or
 * `manifest-missing` where the loader says `wrong-name`, `missing` where the manifest rule says `manifest-missing`,
 * the loader's `unknown-variable` where the manifest rule names the manifest. Adds `file`.
 */
function finish(issues: Issue[], deployment: Deployment): Issue[] {
  const variablesWith = (code: string) =>
    new Set(issues.filter((issue) => issue.code === code).map((issue) => issue.variable));
  const wrongName = variablesWith('wrong-name');
  const manifestMissing = variablesWith('manifest-missing');
  const manifestUnknown = variablesWith('manifest-unknown-variable');
  const seen = new Set<string>();
  const result: Issue[] = [];
  for (const issue of issues) {
    if ((issue.code === 'missing' || issue.code === 'manifest-missing') && wrongName.has(issue.variable))
      continue;
    if (issue.code === 'missing' && manifestMissing.has(issue.variable)) continue;
    if (issue.code === 'unknown-variable' && manifestUnknown.has(issue.variable)) continue;
    const id = `${issue.code}\u0000${issue.variable}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const origin = deployment.origins.get(issue.variable);
    const file =
      issue.file ?? (issue.code.startsWith('manifest-') ? deployment.manifest?.file : origin?.file);
    result.push(file ? { ...issue, file } : issue);
  }
  return result;
}
