import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  type ConfigSchema,
  didYouMean,
  type Environment,
  fragmentsOf,
  type Issue,
  parseSecretReference,
  type VariableDescription,
  validateValue,
} from '@netra/config-schema';
// Types only: the reader and its rules are loaded by the command, and only when there is a deploy input.
import type { Deployment as DeployInput, DeployRuleContext, SecretVersionRef } from '@netra/deploy-manifest';
import { type OAuthInput, safeGetOAuthConfig } from '@netra/oauth-config';
import { type LoadStartupOptions, type NotReadSource, safeLoadStartup } from '@netra/secrets-loader';

/** Where a variable of the deployment gets its value. */
type ValueOrigin =
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
  // NAME_FILE stays as written: start-up reads it (for secrets only) and so does the check, through the same
  // function. A mounted secret file was resolved above into a binding.
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

/** What {@link checkDeployment} concludes. */
export interface CheckResult {
  /** Every issue, errors and warnings, each once; never a value. */
  issues: Issue[];
  /**
   * Values the deployment provides that this run did not read (a secret without `--project`, a value the deploy
   * input takes from outside, a mounted path that is not on this machine): counted as provided, never judged.
   */
  notRead: Record<string, NotReadSource>;
}

/**
 * The check's verdict: the service's own start-up verdict (`safeLoadStartup` of `@netra/secrets-loader`, then the
 * OAuth rules over the loaded configuration, as the service runs them) over what the deployment provides, plus
 * what only a check can see (the deploy rules, names of other environments, unknown variables, unpinned
 * versions). What start-up would read and this run can read — an env file's `NAME_FILE`, a malformed `sm://`, with
 * `--project` the secrets and the bindings start-up fetches from `GCP_PROJECT_ID` — is read exactly as start-up
 * reads it; what it cannot read is "provided, not read" (`notRead`), never a made-up value.
 */
export async function checkDeployment(
  deployment: Deployment,
  readout: SecretReadout | undefined,
  options: {
    project?: string | undefined;
    /** `@netra/deploy-manifest`, which the command loaded with the deploy input: its deploy rules run here. */
    deployRules?: DeployRulesModule | undefined;
    /** Where a relative `NAME_FILE` path is read from (start-up's working directory). @default process.cwd() */
    cwd?: string;
    /**
     * Fetches the bindings start-up reads from `GCP_PROJECT_ID` (given with `--project`); absent, they are
     * "provided, not read".
     */
    startupSecrets?: StartupSecrets | undefined;
  } = {},
): Promise<CheckResult> {
  const { environment, descriptions } = deployment;
  const byVariable = schemaNames(descriptions);
  const env: Record<string, string> = { ...deployment.values };
  if (readout) Object.assign(env, readout.values);
  const issues: Issue[] = [...(readout?.issues ?? [])];

  // What the deployment provides and this run does not read: provided, never judged.
  const notRead: Record<string, NotReadSource> = {};
  const failedReads = new Set((readout?.issues ?? []).map((issue) => issue.variable));
  for (const secret of deployment.secrets) {
    if (env[secret.variable] !== undefined) continue;
    const origin = deployment.origins.get(secret.variable);
    const reference = origin?.kind === 'reference';
    // With --project, start-up's own code reads an sm:// reference, exactly as at start-up.
    if (origin?.kind === 'reference' && options.startupSecrets !== undefined) {
      env[secret.variable] = origin.reference;
      continue;
    }
    notRead[secret.variable] = {
      kind: reference ? 'reference' : 'binding',
      reason: failedReads.has(secret.variable)
        ? 'could not be read'
        : readout
          ? 'not read'
          : 'no --project: add --project to read it',
    };
  }
  for (const variable of deployment.unresolved) {
    notRead[variable] = { kind: 'unknown', reason: 'set from outside the deploy input' };
  }
  // A NAME_FILE the deploy input sets to a path that is not on this machine (baked into the image, say).
  const cwd = options.cwd ?? process.cwd();
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_FILE') || deployment.origins.get(name)?.kind !== 'manifest') continue;
    const target = name.slice(0, -'_FILE'.length);
    const path = isAbsolute(value) ? value : resolve(cwd, value);
    if (byVariable.has(target) && value !== '' && !existsSync(path)) {
      delete env[name];
      notRead[target] = { kind: 'file', reason: `${value} is not on this machine` };
    }
  }
  // A relative NAME_FILE is read where start-up would read it: from the working directory.
  for (const [name, value] of Object.entries(env)) {
    if (name.endsWith('_FILE') && value !== '' && !isAbsolute(value) && byVariable.has(name.slice(0, -5)))
      env[name] = resolve(cwd, value);
  }

  // ENVIRONMENT unset in every input: the check assumes the deploy sets it to --env (DESIGN: `check --env E`).
  // Set but empty, start-up refuses it; set to another environment, the loader reports the mismatch.
  env.ENVIRONMENT ??= environment;

  // The bindings start-up fetches from GCP_PROJECT_ID (for a secret no other source gives).
  const projectValue = env.GCP_PROJECT_ID;
  const projectKnown = projectValue !== undefined && projectValue !== '';
  const projectNotRead = notRead.GCP_PROJECT_ID !== undefined;
  const fetchBindings = projectKnown && options.startupSecrets !== undefined;
  const regional = deployment.secrets.some(
    (secret) =>
      secret.location !== undefined && deployment.origins.get(secret.variable)?.kind === 'reference',
  );
  const readsReferences =
    options.startupSecrets !== undefined &&
    deployment.secrets.some((secret) => deployment.origins.get(secret.variable)?.kind === 'reference');
  if (!fetchBindings && (projectKnown || projectNotRead)) {
    for (const description of descriptions) {
      if (description.secret === undefined) continue;
      const { variable } = description;
      const given =
        (env[variable] ?? '') !== '' || (env[`${variable}_FILE`] ?? '') !== '' || notRead[variable];
      if (given) continue;
      notRead[variable] = {
        kind: 'binding',
        reason: projectNotRead
          ? 'the project (GCP_PROJECT_ID) is set from outside the deploy input'
          : `no --project: start-up reads ${description.secret.secret} from ${projectValue}`,
      };
    }
  }

  const verdict = await safeLoadStartup(deployment.schema, {
    env,
    ...(env.ENVIRONMENT === '' ? {} : { environment }),
    notRead,
    projectId: fetchBindings ? projectValue : null,
    // One client serves global secrets; with a regional reference the loader makes one per location itself
    // (following SECRET_MANAGER_EMULATOR_HOST, as at start-up).
    ...((fetchBindings || readsReferences) && options.startupSecrets?.client && !regional
      ? { client: options.startupSecrets.client }
      : {}),
    ...(options.startupSecrets?.deadlineMs ? { deadlineMs: options.startupSecrets.deadlineMs } : {}),
  });
  issues.push(...(verdict.ok ? verdict.warnings : verdict.issues));

  // The OAuth rules, as the service runs them: over a loaded configuration.
  if (verdict.ok && fragmentsOf(deployment.schema, 'google-oauth').length > 0) {
    const oauth = safeGetOAuthConfig(verdict.config as unknown as OAuthInput, { schema: deployment.schema });
    const notReadNames = new Set(Object.keys(notRead));
    // A variable that was not read has no value here: its OAuth rules are unchecked.
    issues.push(
      ...(oauth.ok ? oauth.warnings : oauth.issues).filter((issue) => !notReadNames.has(issue.variable)),
    );
  }
  const reportedWrongNames = new Set(
    issues.filter((issue) => issue.code === 'wrong-name').map((issue) => issue.variable),
  );
  // Start-up stops at an ENVIRONMENT it cannot use (and so does the check): no other setting is read then.
  const environmentUsable = verdict.ok || verdict.environment !== undefined;
  if (environmentUsable) issues.push(...unknownVariableIssues(deployment, env, reportedWrongNames));
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
  return { issues: finish(issues, deployment), notRead };
}

/** How the check fetches what start-up fetches from `GCP_PROJECT_ID` (with `--project`). */
export interface StartupSecrets {
  /** The Secret Manager client (the emulator's when SECRET_MANAGER_EMULATOR_HOST is set); not closed. */
  client?: LoadStartupOptions['client'];
  deadlineMs?: number;
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

function unknownVariableIssues(
  deployment: Deployment,
  env: Record<string, string>,
  reportedWrongNames: Set<string>,
): Issue[] {
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
    // Empty is unset, at start-up and here.
    if (env[name] === '') continue;
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
 * Drops duplicates (same code and variable) and the less precise of two issues that say one thing:
 * `manifest-missing` where the loader's `wrong-name` error says why, `missing` where the manifest rule says `manifest-missing`,
 * the loader's `unknown-variable` where the manifest rule names the manifest. Adds `file`.
 */
function finish(issues: Issue[], deployment: Deployment): Issue[] {
  const variablesWith = (code: string) =>
    new Set(issues.filter((issue) => issue.code === code).map((issue) => issue.variable));
  const wrongName = new Set(
    issues
      .filter((issue) => issue.code === 'wrong-name' && issue.severity === 'error')
      .map((issue) => issue.variable),
  );
  const manifestMissing = variablesWith('manifest-missing');
  const manifestUnknown = variablesWith('manifest-unknown-variable');
  const seen = new Set<string>();
  const result: Issue[] = [];
  for (const issue of issues) {
    // Start-up's own `missing` stays whatever else is said of the variable: the check says what start-up says.
    if (issue.code === 'manifest-missing' && wrongName.has(issue.variable)) continue;
    if (issue.code === 'missing' && manifestMissing.has(issue.variable)) continue;
    if (issue.code === 'unknown-variable' && manifestUnknown.has(issue.variable)) continue;
    // Severity is part of it: a warning never stands in for an error with the same code.
    const id = `${issue.severity}\u0000${issue.code}\u0000${issue.variable}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const origin = deployment.origins.get(issue.variable);
    const file =
      issue.file ?? (issue.code.startsWith('manifest-') ? deployment.manifest?.file : origin?.file);
    result.push(file ? { ...issue, file } : issue);
  }
  return result;
}
