import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import {
  type ConfigSchema,
  describeSchema,
  type Environment,
  environmentNames,
  fingerprint,
  type Issue,
  parseEnvironment,
  type VariableDescription,
  validateValue,
} from '@netra/config-schema';
import { sdkLoggingIssue, unconnectedTarget } from './access.ts';
import { createSecretManagerClient, startupCallOptions } from './client.ts';
import {
  accessFailureIssue,
  checksumIssue,
  compare,
  describeGrpcError,
  invalidValueIssue,
  type SecretTarget,
  whitespaceIssue,
} from './issues.ts';
import { loadCrc32c, verifyPayloadChecksum } from './payload.ts';
import { secretVersionName } from './reference.ts';

/** `projects/P/secrets/S`, or `projects/P/locations/L/secrets/S` for a regional secret. */
function secretNameOf(target: SecretTarget): string {
  const version = secretVersionName(target);
  return version.slice(0, version.lastIndexOf('/versions/'));
}

/** Options of {@link auditSecrets}. */
export interface AuditSecretsOptions {
  /** Whose bindings to audit. @example 'staging' */
  environment: Environment;
  /** The project holding the secrets. @example 'acme-staging' */
  projectId: string;
  /**
   * The location of the bound secrets when they are regional secrets (`projects/P/locations/L/secrets/S`,
   * served by `secretmanager.L.rep.googleapis.com`). @default undefined (global secrets) @example 'europe-west1'
   */
  location?: string;
  /**
   * The service's runtime account: when given, each secret's own IAM policy is checked for a grant to it.
   * @default undefined (access not checked) @example 'backend@acme-staging.iam.gserviceaccount.com'
   */
  serviceAccount?: string;
  /** A client to use (not closed). @default a client from createSecretManagerClient(), closed after */
  client?: SecretManagerServiceClient;
  /** Budget for each Secret Manager call, retries included. @default 10000 */
  callTimeoutMs?: number;
}

/** What the audit found for one bound secret. Never the value: a fingerprint (first 8 hex of its SHA-256). */
export interface AuditedSecret {
  variable: string;
  secret: string;
  /** The version the binding pins (`latest` or a number). */
  version: string;
  /**
   * Whether the secret exists; `null` when Secret Manager did not say (unreachable, credentials refused, denied,
   * another failure): the issue for the secret gives the cause.
   */
  exists: boolean | null;
  enabledVersions: number;
  /** Fingerprint of the bound version's value, when it could be read. */
  fingerprint?: string;
  /** Whether the bound version's value passes the schema's rules (absent when it could not be read). */
  valuePasses?: boolean;
  /**
   * `granted` by the secret's own policy; `missing` from it (a project-level grant is not visible here);
   * `not-checked` when the grant has a condition or the policy could not be read. Absent without serviceAccount.
   */
  access?: 'granted' | 'missing' | 'not-checked';
}

/** Result of {@link auditSecrets}: `ok` when no issue is an error. */
export interface AuditReport {
  ok: boolean;
  issues: Issue[];
  secrets: AuditedSecret[];
}

/** Roles whose permissions include `secretmanager.versions.access` (roles/editor does not). */
const ACCESS_ROLES = new Set([
  'roles/secretmanager.secretAccessor',
  'roles/secretmanager.admin',
  'roles/owner',
]);

interface Binding {
  role?: string | null;
  members?: string[] | null;
  condition?: { expression?: string | null } | null;
}

/**
 * Audits every Secret Manager binding of the schema in an environment: the secret exists, how many versions are
 * enabled, the bound version's value passes the schema's rules (reported by fingerprint, never by value), and,
 * given the runtime account, whether the secret's own IAM policy grants it access.
 *
 * @example
 * const report = await auditSecrets(netraBackendSchema, {
 *   environment: 'staging', projectId: 'acme-staging', serviceAccount: 'backend@acme-staging.iam.gserviceaccount.com',
 * });
 * if (!report.ok) console.log(formatIssues(report.issues));
 */
export async function auditSecrets(schema: ConfigSchema, options: AuditSecretsOptions): Promise<AuditReport> {
  const unknown = unknownEnvironmentIssue(options.environment, schema);
  if (unknown) return { ok: false, issues: [unknown], secrets: [] };
  const refusal = sdkLoggingIssue(options.environment, undefined);
  if (refusal) return { ok: false, issues: [refusal], secrets: [] };
  const bound = describeSchema(schema, options.environment).filter((d) => Boolean(d.secret));
  if (bound.length === 0) return { ok: true, issues: [], secrets: [] };
  const budget = options.callTimeoutMs ?? 10_000;
  const client =
    options.client ??
    (await createSecretManagerClient(options.location === undefined ? {} : { location: options.location }));
  try {
    const results = await Promise.all(
      bound.map((description) => auditOne(client, schema, description, { ...options, budget })),
    );
    const issues = results.flatMap((r) => r.issues);
    return { ok: !issues.some((i) => i.severity === 'error'), issues, secrets: results.map((r) => r.secret) };
  } finally {
    if (!options.client) await client.close().catch(() => {});
  }
}

async function auditOne(
  client: SecretManagerServiceClient,
  schema: ConfigSchema,
  description: VariableDescription,
  options: AuditSecretsOptions & { budget: number },
): Promise<{ secret: AuditedSecret; issues: Issue[] }> {
  const binding = description.secret as { secret: string; version: string };
  const target: SecretTarget = {
    variable: description.variable,
    key: description.key,
    project: options.projectId,
    ...(options.location === undefined ? {} : { location: options.location }),
    secret: binding.secret,
    version: binding.version,
  };
  const secretName = secretNameOf(target);
  const result: AuditedSecret = {
    variable: description.variable,
    secret: binding.secret,
    version: binding.version,
    exists: false,
    enabledVersions: 0,
  };
  const issues: Issue[] = [];
  const callOptions = () => startupCallOptions(options.budget);

  try {
    await client.getSecret({ name: secretName }, await callOptions());
    result.exists = true;
  } catch (error) {
    // Only NOT_FOUND says the secret is missing; anything else (no connection, credentials) leaves it unknown.
    result.exists = describeGrpcError(error).status === 'NOT_FOUND' ? false : null;
    issues.push(await callFailureIssue(client, target, error));
    return { secret: result, issues };
  }

  try {
    const [versions] = await client.listSecretVersions({ parent: secretName }, await callOptions());
    result.enabledVersions = versions.filter((v) => String(v.state) === 'ENABLED').length;
  } catch (error) {
    issues.push(await callFailureIssue(client, target, error));
  }

  try {
    const [response] = await client.accessSecretVersion(
      { name: `${secretName}/versions/${binding.version}` },
      await callOptions(),
    );
    const data = (response.payload?.data ?? new Uint8Array()) as Uint8Array;
    if (
      verifyPayloadChecksum(await loadCrc32c(), data, response.payload?.dataCrc32c as string | undefined) ===
      'mismatch'
    ) {
      issues.push(checksumIssue(target));
    } else {
      const value = Buffer.from(data).toString('utf8');
      result.fingerprint = fingerprint(value);
      const valueIssues = ruleIssues(schema, options.environment, target, value, result.fingerprint);
      result.valuePasses = !valueIssues.some((i) => i.severity === 'error');
      issues.push(...valueIssues);
    }
  } catch (error) {
    issues.push(await callFailureIssue(client, target, error));
  }
  if (result.enabledVersions === 0 && !issues.some((i) => i.severity === 'error')) {
    issues.push({
      ...accessFailureIssue(target, { code: 9 }),
      message: `${target.variable}: secret ${target.secret} (project ${target.project}) has no enabled version.`,
    });
  }

  if (options.serviceAccount !== undefined) {
    const checked = await checkAccess(client, secretName, options.serviceAccount, await callOptions());
    result.access = checked.access;
    if (checked.access !== 'granted') issues.push(accessIssue(target, options.serviceAccount, checked));
  }
  return { secret: result, issues };
}

/** The schema's rules for a value read from Secret Manager, as issues naming the secret, never the value. */
function ruleIssues(
  schema: ConfigSchema,
  environment: Environment,
  target: SecretTarget,
  value: string,
  print: string,
): Issue[] {
  const issues: Issue[] = [];
  const whitespace = whitespaceIssue(target.variable, target.key ?? '', value, { kind: 'secret', ...target });
  if (whitespace) issues.push(whitespace);
  for (const issue of validateValue(schema, { environment, variable: target.variable, value })) {
    if (issue.code === 'whitespace') continue; // reported above, with the secret to fix
    issues.push({
      ...invalidValueIssue(
        target,
        `its value (fingerprint ${print}) fails the rule [${issue.code}]: ${issue.message}`,
        '',
      ),
      severity: issue.severity,
      hint: `${issue.hint} Then add it as a new version: gcloud secrets versions add ${target.secret} --project ${target.project} --data-file=-`,
    });
  }
  return issues;
}

async function checkAccess(
  client: SecretManagerServiceClient,
  resource: string,
  serviceAccount: string,
  callOptions: Awaited<ReturnType<typeof startupCallOptions>>,
): Promise<{ access: 'granted' | 'missing' | 'not-checked'; reason?: string }> {
  let bindings: Binding[];
  try {
    const [policy] = await client.getIamPolicy({ resource }, callOptions);
    bindings = (policy.bindings ?? []) as Binding[];
  } catch (error) {
    const { status } = describeGrpcError(error);
    return { access: 'not-checked', reason: `its IAM policy could not be read (${status})` };
  }
  const member = `serviceaccount:${serviceAccount.toLowerCase()}`;
  const accessBindings = bindings.filter((b) => ACCESS_ROLES.has(b.role ?? ''));
  const direct = accessBindings.filter((b) =>
    (b.members ?? []).some((m) => grantsEveryone(m) || m.toLowerCase() === member),
  );
  if (direct.some((b) => !b.condition?.expression)) return { access: 'granted' };
  if (direct.length > 0) return { access: 'not-checked', reason: 'the grant has an IAM condition' };
  const indirect = accessBindings.flatMap((b) => (b.members ?? []).filter(mayInclude));
  if (indirect.length > 0) {
    return {
      access: 'not-checked',
      reason: `the secret grants access to ${indirect.join(', ')}, whose membership is not checked`,
    };
  }
  return { access: 'missing' };
}

/** `allUsers` and `allAuthenticatedUsers` include every service account. */
function grantsEveryone(member: string): boolean {
  return member === 'allUsers' || member === 'allAuthenticatedUsers';
}

/**
 * Principals that may contain the account without naming it: groups, domains, principal sets, and the
 * project-level convenience members (`projectOwner:P` …). Their membership is not visible here.
 */
function mayInclude(member: string): boolean {
  return /^(group|domain|principalSet|projectOwner|projectEditor|projectViewer):/.test(member);
}

function accessIssue(
  target: SecretTarget,
  serviceAccount: string,
  checked: { access: 'granted' | 'missing' | 'not-checked'; reason?: string },
): Issue {
  const grant =
    `gcloud secrets add-iam-policy-binding ${target.secret} --project ${target.project} ` +
    `--member=serviceAccount:${serviceAccount} --role=roles/secretmanager.secretAccessor`;
  const base = {
    severity: 'warning' as const,
    code: 'secret-permission-denied',
    key: target.key ?? '',
    variable: target.variable,
    secret: target.secret,
    project: target.project,
  };
  if (checked.access === 'missing') {
    return {
      ...base,
      message:
        `${target.variable}: secret ${target.secret}'s own IAM policy does not grant ${serviceAccount} ` +
        `roles/secretmanager.secretAccessor (a grant at project level is not checked).`,
      hint: `If the project does not grant it either, grant it on the secret: ${grant}`,
    };
  }
  return {
    ...base,
    message: `${target.variable}: access of ${serviceAccount} to secret ${target.secret} not checked: ${checked.reason}.`,
    hint: `Verify the grant by hand, or grant it without a condition: ${grant}`,
  };
}

/** Options of {@link pushSecrets}. */
export interface PushSecretsOptions {
  /** Whose bindings receive the values. @example 'staging' */
  environment: Environment;
  /** The project holding the secrets. @example 'acme-staging' */
  projectId: string;
  /**
   * The location of the bound secrets when they are regional secrets (`projects/P/locations/L/secrets/S`,
   * served by `secretmanager.L.rep.googleapis.com`). @default undefined (global secrets) @example 'europe-west1'
   */
  location?: string;
  /** Values by this environment's variable names, e.g. `{ JWT_SECRET_STAGING: '…' }`. */
  values: Record<string, string>;
  /** Create missing secrets and add versions; otherwise only plan. Nothing is applied when any value is refused. @default false */
  apply?: boolean;
  /** A client to use (not closed). @default a client from createSecretManagerClient(), closed after */
  client?: SecretManagerServiceClient;
  /** Budget for each Secret Manager call, retries included. @default 10000 */
  callTimeoutMs?: number;
}

/** One step of a push plan. */
export interface PushAction {
  variable: string;
  /** The bound secret ('' when the variable has none). */
  secret: string;
  action: 'create-secret-and-version' | 'add-version' | 'unchanged' | 'refused';
  /** Fingerprint of the value to push (first 8 hex of its SHA-256). */
  fingerprint: string;
}

/** Result of {@link pushSecrets}: `ok` when no issue is an error; `applied` when every action was carried out. */
export interface PushPlan {
  ok: boolean;
  applied: boolean;
  issues: Issue[];
  actions: PushAction[];
}

/**
 * Plans (and with `apply`, carries out) putting values into the schema's bound secrets: creates missing secrets,
 * adds a version where the value differs from the bound one, refuses any value that fails the schema's rules —
 * and then applies nothing.
 *
 * @example
 * const plan = await pushSecrets(netraBackendSchema, {
 *   environment: 'staging', projectId: 'acme-staging', values: { JWT_SECRET_STAGING: generated }, apply: true,
 * });
 */
export async function pushSecrets(schema: ConfigSchema, options: PushSecretsOptions): Promise<PushPlan> {
  const unknown = unknownEnvironmentIssue(options.environment, schema);
  if (unknown) return { ok: false, applied: false, issues: [unknown], actions: [] };
  // The official client logs AddSecretVersion requests (the payload) when GOOGLE_SDK_NODE_LOGGING is set.
  const refusal = sdkLoggingIssue('production', undefined);
  if (refusal) {
    return {
      ok: false,
      applied: false,
      issues: [
        {
          ...refusal,
          message:
            'GOOGLE_SDK_NODE_LOGGING is set: the Google client would log the values pushed, so nothing is pushed.',
        },
      ],
      actions: [],
    };
  }
  const descriptions = describeSchema(schema, options.environment);
  const byVariable = new Map(descriptions.map((d) => [d.variable, d]));
  const budget = options.callTimeoutMs ?? 10_000;
  const issues: Issue[] = [];
  const planned: { action: PushAction; target?: SecretTarget; value: string }[] = [];

  const entries = Object.entries(options.values).sort(([a], [b]) => compare(a, b));
  let client = options.client;
  try {
    for (const [variable, value] of entries) {
      const print = fingerprint(value);
      const refused = (secret: string, ...found: Issue[]) => {
        issues.push(...found);
        planned.push({ action: { variable, secret, action: 'refused', fingerprint: print }, value });
      };
      const description = byVariable.get(variable);
      if (!description) {
        refused('', unknownVariableIssue(variable, options.environment, descriptions));
        continue;
      }
      if (!description.secret) {
        refused('', {
          severity: 'error',
          code: 'invalid',
          key: description.key,
          variable,
          message: `${variable} has no Secret Manager binding in ${options.environment}; it is not pushed.`,
          hint: `Set ${variable} as a plain environment variable of the service instead.`,
        });
        continue;
      }
      const target: SecretTarget = {
        variable,
        key: description.key,
        project: options.projectId,
        ...(options.location === undefined ? {} : { location: options.location }),
        secret: description.secret.secret,
        version: description.secret.version,
      };
      const valueIssues = ruleIssues(schema, options.environment, target, value, print);
      if (valueIssues.some((i) => i.severity === 'error')) {
        refused(target.secret, ...valueIssues);
        continue;
      }
      issues.push(...valueIssues);
      client ??= await createSecretManagerClient(
        options.location === undefined ? {} : { location: options.location },
      );
      const action = await planOne(client, target, value, budget);
      if ('issue' in action) {
        refused(target.secret, action.issue);
        continue;
      }
      planned.push({
        action: { variable, secret: target.secret, action: action.action, fingerprint: print },
        target,
        value,
      });
    }

    const ok = !issues.some((i) => i.severity === 'error');
    let applied = false;
    if (options.apply && ok && client) {
      applied = true;
      for (const step of planned) {
        if (!step.target || step.action.action === 'unchanged' || step.action.action === 'refused') continue;
        const failure = await applyOne(client, step.target, step.action.action, step.value, budget);
        if (failure) {
          issues.push(failure);
          applied = false;
          break;
        }
      }
    } else if (options.apply && ok) {
      applied = true; // nothing to do
    }
    return {
      ok: !issues.some((i) => i.severity === 'error'),
      applied,
      issues,
      actions: planned.map((p) => p.action),
    };
  } finally {
    if (client && !options.client) await client.close().catch(() => {});
  }
}

async function planOne(
  client: SecretManagerServiceClient,
  target: SecretTarget,
  value: string,
  budget: number,
): Promise<{ action: 'create-secret-and-version' | 'add-version' | 'unchanged' } | { issue: Issue }> {
  const secretName = secretNameOf(target);
  try {
    await client.getSecret({ name: secretName }, await startupCallOptions(budget));
  } catch (error) {
    if ((error as { code?: unknown }).code === 5) return { action: 'create-secret-and-version' };
    return { issue: await callFailureIssue(client, target, error) };
  }
  try {
    const [response] = await client.accessSecretVersion(
      { name: `${secretName}/versions/${target.version}` },
      await startupCallOptions(budget),
    );
    const data = (response.payload?.data ?? new Uint8Array()) as Uint8Array;
    const intact =
      verifyPayloadChecksum(await loadCrc32c(), data, response.payload?.dataCrc32c as string | undefined) !==
      'mismatch';
    return intact && Buffer.from(data).equals(Buffer.from(value, 'utf8'))
      ? { action: 'unchanged' }
      : { action: 'add-version' };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // No version yet, or the bound one disabled/destroyed: a new version fixes it.
    if (code === 5 || code === 9) return { action: 'add-version' };
    return { issue: await callFailureIssue(client, target, error) };
  }
}

async function applyOne(
  client: SecretManagerServiceClient,
  target: SecretTarget,
  action: 'create-secret-and-version' | 'add-version',
  value: string,
  budget: number,
): Promise<Issue | null> {
  const secretName = secretNameOf(target);
  try {
    if (action === 'create-secret-and-version') {
      await client.createSecret(
        {
          parent: secretName.slice(0, secretName.lastIndexOf('/secrets/')),
          secretId: target.secret,
          // A regional secret has no replication policy: its data stays in its location.
          secret: target.location === undefined ? { replication: { automatic: {} } } : {},
        },
        { timeout: budget },
      );
    }
    const data = Buffer.from(value, 'utf8');
    await client.addSecretVersion(
      { parent: secretName, payload: { data, dataCrc32c: (await loadCrc32c())(data) } },
      { timeout: budget },
    );
    return null;
  } catch (error) {
    const issue = await callFailureIssue(client, target, error);
    return { ...issue, message: `${issue.message} (while applying ${action}; earlier actions were applied)` };
  }
}

function unknownVariableIssue(
  variable: string,
  environment: Environment,
  descriptions: VariableDescription[],
): Issue {
  const renamed = descriptions.find((d) => d.otherNames.includes(variable));
  if (renamed) {
    return {
      severity: 'error',
      code: 'wrong-name',
      key: renamed.key,
      variable,
      message: `${variable} is another environment's name for ${renamed.key}; in ${environment} it is ${renamed.variable}.`,
      hint: `Rename it to ${renamed.variable}.`,
    };
  }
  return {
    severity: 'error',
    code: 'unknown-variable',
    key: '',
    variable,
    message: `${variable} is not a variable of the schema in ${environment}; it is not pushed.`,
    hint: 'Remove it from the file, or fix its name.',
  };
}

/**
 * The issue for a failed call, by gRPC status — and when the call ran out of time or found no server while the
 * client's channel never connected, one that names the address (google-gax's retries turn "nothing listens
 * there" into a DEADLINE_EXCEEDED that says little).
 */
async function callFailureIssue(
  client: SecretManagerServiceClient,
  target: SecretTarget,
  error: unknown,
): Promise<Issue> {
  const issue = accessFailureIssue(target, error);
  const { status } = describeGrpcError(error);
  if (status !== 'UNAVAILABLE' && status !== 'DEADLINE_EXCEEDED') return issue;
  const unreachable = await unconnectedTarget(client);
  if (!unreachable) return issue;
  return {
    ...issue,
    code: 'secret-deadline',
    message:
      `${target.variable}: secret ${target.secret} (version ${target.version}, project ${target.project}) could not ` +
      `be checked: the client has no connection to Secret Manager at ${unreachable} (${status}).`,
    hint:
      `Check that Secret Manager is reachable at ${unreachable} (network egress; in development ` +
      'SECRET_MANAGER_EMULATOR_HOST naming the address the emulator printed), then retry.',
  };
}

/** An `unknown-environment` issue (with a did-you-mean) for an environment option that names none. */
function unknownEnvironmentIssue(environment: string, schema: ConfigSchema): Issue | undefined {
  const parsed = parseEnvironment(environment, schema);
  if (parsed.ok) return undefined;
  const shown = /^[\w.-]{1,40}$/.test(environment) ? `'${environment}'` : 'a value';
  return {
    ...parsed.issue,
    message: `The environment ${shown} is not an environment; expected one of ${environmentNames(schema).join(', ')}.`,
    hint: parsed.suggestion
      ? `Did you mean '${parsed.suggestion}'? Pass environment '${parsed.suggestion}'.`
      : parsed.issue.hint.replace('Set ENVIRONMENT to', 'Pass'),
  };
}
