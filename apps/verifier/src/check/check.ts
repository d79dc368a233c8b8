import {
  type ConfigSchema,
  classifyHost,
  didYouMean,
  type Environment,
  type Issue,
  parseSecretReference,
  safeLoadConfig,
  type VariableDescription,
  validateValue,
} from '@netra/config-schema';
// Types only: the reader and its rules are loaded by the command, and only when there is a deploy input.
import type { Deployment as DeployInput, DeployRuleContext, SecretVersionRef } from '@netra/deploy-manifest';
import { type OAuthInput, safeGetOAuthConfig } from '@netra/oauth-config';

/** Where a variable of the deployment gets its value. */
export type ValueOrigin =
  | { kind: 'env-file'; file: string }
  | { kind: 'manifest'; file: string; line?: number }
  | { kind: 'secret'; file: string; line?: number; ref: SecretVersionRef; via?: string }
  | { kind: 'unknown'; file: string; line?: number }
  | { kind: 'reference'; file: string; reference: string };

/** A secret the deployment reads at start-up, to be fetched when `--project` is given. */
export interface SecretToRead {
  variable: string;
  key: string;
  project: string | undefined;
  /** The location of a regional secret (`sm://P/locations/L/S`). */
  location?: string;
  secret: string;
  version: string;
  field?: string;
}

/** The environment a deployment would start with, before secrets are read. */
export interface Deployment {
  /** The schema the deployment is checked against. */
  schema: ConfigSchema;
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
  /** The deploy input, read by @netra/deploy-manifest. */
  manifest: DeployInput | undefined;
  /** Variables the deploy input sets from outside it (`${VAR}`, `$(…)`): provided, value unknown, not validated. */
  unresolved: string[];
  /** Every variable the schema allows in this environment. */
  descriptions: VariableDescription[];
}

/**
 * Merges env files and a manifest into the environment the service would start with: env files in order, then
 * the manifest's literals; a manifest secret binding replaces a literal; `NAME_FILE` pointing at a mounted secret
 * provides `NAME`; `sm://PROJECT/SECRET[#VERSION][?field=F]` values become secrets to read.
 */
export function mergeDeployment(options: {
  schema: ConfigSchema;
  environment: Environment;
  descriptions: VariableDescription[];
  envFile: { values: Record<string, string>; sources: Map<string, string>; cutAtHash?: Map<string, string> };
  manifest: DeployInput | undefined;
}): Deployment {
  const { schema, environment, descriptions, envFile, manifest } = options;
  const byVariable = new Map(descriptions.map((description) => [description.variable, description]));
  const values: Record<string, string> = {};
  const origins = new Map<string, ValueOrigin>();
  for (const [name, value] of Object.entries(envFile.values)) {
    values[name] = value;
    origins.set(name, { kind: 'env-file', file: envFile.sources.get(name) ?? '' });
  }
  const secrets: SecretToRead[] = [];
  const reserved: string[] = [];
  const unresolved: string[] = [];
  if (manifest) {
    for (const variable of manifest.variables) {
      const { name, file, line } = variable;
      if (variable.kind === 'literal' || (variable.kind === 'file' && !name.endsWith('_FILE'))) {
        values[name] = variable.value ?? '';
        origins.set(name, { kind: 'manifest', file, line });
      } else if (variable.kind === 'secret') {
        delete values[name];
        origins.set(name, { kind: 'secret', file, line, ref: variable.secret! });
      } else if (variable.kind === 'file') {
        // NAME_FILE pointing at a mounted secret: the loader's file source reads it as NAME.
        const target = name.slice(0, -'_FILE'.length);
        delete values[name];
        delete values[target];
        origins.set(target, {
          kind: 'secret',
          file,
          line,
          ref: variable.secret!,
          via: `${name}=${variable.value}`,
        });
      } else {
        // Set from outside the deploy input: provided, its value unknown here — never judged as if it were one.
        delete values[name];
        origins.set(name, { kind: 'unknown', file, line });
        unresolved.push(name);
      }
    }
    for (const name of manifestNames(manifest)) {
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
        secret: origin.ref.name,
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
    schema,
    environment,
    values,
    origins,
    secrets,
    providedByFiles,
    reserved,
    cutAtHash,
    manifest,
    unresolved,
    descriptions,
  };
}

/** The names the deploy input gives a value: its variables, and NAME for a NAME_FILE pointing at a mounted secret. */
function manifestNames(manifest: DeployInput): Set<string> {
  const names = new Set<string>();
  for (const variable of manifest.variables) {
    names.add(variable.name);
    if (variable.kind === 'file' && variable.name.endsWith('_FILE')) names.add(variable.name.slice(0, -5));
  }
  return names;
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
  options: {
    project?: string | undefined;
    /** `@netra/deploy-manifest`, which the command loaded with the deploy input: its deploy rules run here. */
    deployRules?: DeployRulesModule | undefined;
  } = {},
): Issue[] {
  const { environment, descriptions } = deployment;
  const env: Record<string, string> = { ...deployment.values };
  if (readout) Object.assign(env, readout.values);
  const providedElsewhere = [
    ...deployment.secrets.map((secret) => secret.variable),
    ...deployment.providedByFiles,
    ...deployment.unresolved,
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
  const loaded = safeLoadConfig(deployment.schema, { env: loaderEnv, environment, providedElsewhere });
  const loaderIssues = loaded.ok ? loaded.warnings : loaded.issues;
  issues.push(...loaderIssues);

  // oauth-config's rules, where the schema has Google OAuth settings.
  if (deployment.descriptions.some((description) => description.key === 'oauth.google.clientId')) {
    issues.push(...oauthIssues(deployment, env, loaded, new Set(providedElsewhere)));
  }
  const reportedWrongNames = new Set(
    loaderIssues.filter((issue) => issue.code === 'wrong-name').map((issue) => issue.variable),
  );
  issues.push(...unknownVariableIssues(deployment, reportedWrongNames));
  if (deployment.manifest) {
    if (options.deployRules === undefined)
      throw new Error('checkDeployment: a deploy input needs options.deployRules');
    issues.push(
      ...manifestIssues(deployment, env, options.deployRules, {
        project: options.project,
        // What a `${VAR:-default}` would do is judged by the runtime's own rules.
        validate: (variable, value) => validateValue(deployment.schema, { environment, variable, value }),
      }),
    );
  }
  issues.push(...unpinnedIssues(deployment));
  return finish(issues, deployment);
}

function oauthIssues(
  deployment: Deployment,
  env: Record<string, string>,
  loaded: ReturnType<typeof safeLoadConfig<ConfigSchema>>,
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
    manifest
      ? manifest.variables
          .filter((variable) => variable.kind !== 'file' || !variable.name.endsWith('_FILE'))
          .map((variable) => variable.name)
      : [],
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

/**
 * The deploy rules of @netra/deploy-manifest over the deploy input. The host rules (Cloud SQL attached, VPC
 * egress) judge the host the service will get — the input's, else the env files' — so they see the merged values.
 */
/** The part of `@netra/deploy-manifest` the check runs. */
export type DeployRulesModule = Pick<
  typeof import('@netra/deploy-manifest'),
  'checkDeployment' | 'DEPLOY_RULES' | 'cloudSqlMissingRule' | 'noVpcEgressRule'
>;

function manifestIssues(
  deployment: Deployment,
  env: Record<string, string>,
  module: DeployRulesModule,
  options: { project?: string | undefined; validate?: DeployRuleContext['validate'] },
): Issue[] {
  const manifest = deployment.manifest!;
  const { environment, descriptions } = deployment;
  const context: DeployRuleContext = {
    deployment: manifest,
    environment,
    deployed: environment === 'staging' || environment === 'production',
    variables: descriptions,
    project: options.project,
    ...(options.validate ? { validate: options.validate } : {}),
  };
  const { checkDeployment: checkDeploy, cloudSqlMissingRule, noVpcEgressRule, DEPLOY_RULES } = module;
  const hostRules = new Set([cloudSqlMissingRule, noVpcEgressRule]);
  const rules = DEPLOY_RULES.filter((rule) => !hostRules.has(rule));
  const hosts = descriptions.filter((description) => description.key.endsWith('.host'));
  const merged: DeployInput = {
    ...manifest,
    variables: hosts.flatMap((description) => {
      const value = env[description.variable];
      if (value === undefined) return [];
      const origin = deployment.origins.get(description.variable);
      return [
        {
          name: description.variable,
          kind: 'literal' as const,
          value,
          file: origin?.file ?? manifest.file,
          line:
            origin !== undefined && 'line' in origin && origin.line !== undefined
              ? origin.line
              : manifest.line,
        },
      ];
    }),
  };
  return [
    ...checkDeploy(context, rules),
    ...checkDeploy({ ...context, deployment: merged }, [...hostRules]),
  ] as Issue[];
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
