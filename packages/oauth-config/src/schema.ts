// The one place this package reads a schema: which environments it has and their tiers, where its google-oauth
// fragment sits, the fragment's variable names in each environment and the value rules of the client ID and
// secret. Any schema with a googleOAuthFragment() works; without one, the fragment as config-schema makes it
// (under `oauth`, in the default environments) stands in, so callers that pass no schema keep working.

import {
  type ConfigSchema,
  defineSchema,
  describeSchema,
  type Environment,
  environmentVariable,
  formatIssues,
  fragmentsOf,
  googleOAuthFragment,
  type Issue,
  notLoopbackHost,
  parseEnvironment,
  type RuleContext,
  type SecretBinding,
  type Shape,
  type Tier,
  validateValue,
} from '@netra/config-schema';

export { type Environment, formatIssues, type Issue, parseEnvironment };

/** One variable of the google-oauth fragment, as the schema names it in one environment. */
export interface OAuthVariable {
  /** Its key in the schema: `oauth.google.clientId` (the fragment's key first). */
  key: string;
  /** Its name in this environment: `GOOGLE_OAUTH_CLIENT_ID_STAGING`. */
  variable: string;
  /** Its Secret Manager binding in this environment, if it has one. */
  secret?: SecretBinding;
}

/** A google-oauth fragment of a schema and its variables in one environment. See {@link googleOAuthFragments}. */
export interface GoogleOAuthFragmentVariables {
  /** The fragment's key in the schema (`oauth`): the loaded config holds it at `config.oauth`. */
  key: string;
  /** The fragment's first name prefix (`GOOGLE_OAUTH_`). */
  prefix: string;
  environment: Environment;
  tier: Tier;
  clientId: OAuthVariable;
  clientSecret: OAuthVariable;
  /**
   * The issuer override (`OAUTH_ISSUER_URL`). `allowed` is false where the schema does not read it (the deployed
   * tier): it is named so that a message can say "remove it", never read.
   */
  issuerUrl: OAuthVariable & { allowed: boolean };
}

/**
 * The google-oauth fragments of `schema` (found by role, never by variable name) and the names of their
 * variables in `environment`, in shape order — what `netra-verify check` needs to decide whether OAuth rules apply
 * and which variables feed them.
 *
 * @example
 * googleOAuthFragments(schema, 'staging'); // a schema with googleOAuthFragment() under `oauth`
 * // [{ key: 'oauth', prefix: 'GOOGLE_OAUTH_', environment: 'staging', tier: 'deployed',
 * //    clientId: { key: 'oauth.google.clientId', variable: 'GOOGLE_OAUTH_CLIENT_ID_STAGING', secret: {…} }, … }]
 */
export function googleOAuthFragments(
  schema: ConfigSchema,
  environment: Environment,
): GoogleOAuthFragmentVariables[] {
  return fragmentsOf(schema, 'google-oauth').map((fragment) =>
    oauthSchema(schema, fragment.key).variables(environment),
  );
}

/** How this package sees one schema with one google-oauth fragment. */
export interface OAuthSchema {
  schema: ConfigSchema;
  /** The schema's environments, in promotion order. */
  environments: readonly Environment[];
  /** The fragment's key (`oauth`) and prefix. */
  key: string;
  prefix: string;
  deployed(environment: Environment): boolean;
  /** The environments of the local tier, for "not from X (the development/test name)". */
  localEnvironments: readonly Environment[];
  variables(environment: Environment): GoogleOAuthFragmentVariables;
  /** The names of the URL settings the redirect URI and origin come from (`API_BASE_URL`, `FRONTEND_URL`). */
  urlVariables: { apiBaseUrl: string; frontendUrl: string };
  /** config-schema's value rules for one variable (format, whitespace, placeholder, a whole client_secret.json…). */
  validate(environment: Environment, variable: string, value: string): Issue[];
}

// What callers that pass no schema get: config-schema's own fragment under `oauth`, its default environments.
let standIn: ConfigSchema | undefined;
function standInSchema(): ConfigSchema {
  standIn ??= defineSchema(
    { environment: environmentVariable(), oauth: googleOAuthFragment() },
    { title: 'Google OAuth (no schema given)' },
  );
  return standIn;
}

/** Names of the URL settings when the schema has no such keys (the names oauth-config has always used). */
const URL_FALLBACK = { apiBaseUrl: 'API_BASE_URL', frontendUrl: 'FRONTEND_URL' } as const;

/** A fragment's variable by key path, from the shape itself: its name does not depend on an environment. */
function declaredName(shape: Shape, path: readonly string[]): string | undefined {
  let node: Shape[string] | undefined;
  let current: Shape | undefined = shape;
  for (const segment of path) {
    node = current && Object.hasOwn(current, segment) ? current[segment] : undefined;
    current = node?.kind === 'group' ? node.shape : undefined;
  }
  return node?.kind === 'variable' ? node.options.name : undefined;
}

const schemas = new WeakMap<ConfigSchema, Map<string, OAuthSchema>>();

/**
 * The schema's google-oauth fragment at `fragmentKey` (the only one when not given). Throws a {@link Issue}-shaped
 * message through {@link OAuthSchemaProblem} when the schema has none, or several and no key chooses.
 */
export function oauthSchema(schema: ConfigSchema | undefined, fragmentKey?: string): OAuthSchema {
  const target = schema ?? standInSchema();
  const fragments = fragmentsOf(target, 'google-oauth');
  const fragment =
    fragmentKey === undefined
      ? fragments.length === 1
        ? fragments[0]
        : undefined
      : fragments.find((candidate) => candidate.key === fragmentKey);
  if (!fragment)
    throw new OAuthSchemaProblem(
      fragmentProblem(
        fragments.map((f) => f.key),
        fragmentKey,
      ),
    );
  let byKey = schemas.get(target);
  if (!byKey) {
    byKey = new Map();
    schemas.set(target, byKey);
  }
  const cached = byKey.get(fragment.key);
  if (cached) return cached;
  const made = makeOAuthSchema(target, fragment.key, fragment.prefix);
  byKey.set(fragment.key, made);
  return made;
}

/** The schema has no google-oauth fragment, or several and nothing chooses: reported as an issue, not thrown. */
export class OAuthSchemaProblem extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
    this.name = 'OAuthSchemaProblem';
  }
}

function fragmentProblem(keys: readonly string[], wanted: string | undefined): Issue {
  const base = { severity: 'error', code: 'invalid', key: wanted ?? '', variable: '' } as const;
  if (keys.length === 0) {
    return {
      ...base,
      message: 'The schema has no google-oauth fragment, so there is no OAuth client to derive.',
      hint: 'Compose googleOAuthFragment() into the schema, e.g. defineSchema({ …, oauth: googleOAuthFragment() }).',
    };
  }
  const list = keys.map((key) => `'${key}'`).join(', ');
  return wanted === undefined
    ? {
        ...base,
        message: `The schema has ${keys.length} google-oauth fragments (${list}); which one this client is is not said.`,
        hint: `Pass { fragment: ${list.split(', ')[0]} } (one of ${list}).`,
      }
    : {
        ...base,
        message: `The schema has no google-oauth fragment at '${wanted}'.`,
        hint: `Pass { fragment } as one of ${list}.`,
      };
}

function makeOAuthSchema(schema: ConfigSchema, key: string, prefix: string): OAuthSchema {
  const environments = Object.keys(schema.environments);
  const path = key.split('.');
  const keys = {
    clientId: `${key}.google.clientId`,
    clientSecret: `${key}.google.clientSecret`,
    issuerUrl: `${key}.issuerUrl`,
  };
  const declared = {
    clientId: declaredName(schema.shape, [...path, 'google', 'clientId']) ?? `${prefix}CLIENT_ID`,
    clientSecret: declaredName(schema.shape, [...path, 'google', 'clientSecret']) ?? `${prefix}CLIENT_SECRET`,
    issuerUrl: declaredName(schema.shape, [...path, 'issuerUrl']) ?? 'OAUTH_ISSUER_URL',
  };
  const topLevel = (name: keyof typeof URL_FALLBACK): string =>
    declaredName(schema.shape, [name]) ?? URL_FALLBACK[name];
  const cache = new Map<Environment, GoogleOAuthFragmentVariables>();
  const deployed = (environment: Environment): boolean => schema.environments[environment] === 'deployed';
  return {
    schema,
    environments,
    key,
    prefix,
    deployed,
    localEnvironments: environments.filter((environment) => schema.environments[environment] === 'local'),
    urlVariables: { apiBaseUrl: topLevel('apiBaseUrl'), frontendUrl: topLevel('frontendUrl') },
    validate: (environment, variable, value) => validateValue(schema, { environment, variable, value }),
    variables(environment) {
      const cached = cache.get(environment);
      if (cached) return cached;
      // Only this environment is described (compiled): a deployed service's first call compiles nothing else.
      const descriptions = describeSchema(schema, environment);
      const info = (which: keyof typeof keys): OAuthVariable & { allowed: boolean } => {
        const description = descriptions.find((candidate) => candidate.key === keys[which]);
        if (!description) return { key: keys[which], variable: declared[which], allowed: false };
        return {
          key: keys[which],
          variable: description.variable,
          ...(description.secret ? { secret: description.secret } : {}),
          allowed: true,
        };
      };
      const { allowed: _id, ...clientId } = info('clientId');
      const { allowed: _secret, ...clientSecret } = info('clientSecret');
      const variables: GoogleOAuthFragmentVariables = {
        key,
        prefix,
        environment,
        tier: schema.environments[environment] ?? 'local',
        clientId,
        clientSecret,
        issuerUrl: info('issuerUrl'),
      };
      cache.set(environment, variables);
      return variables;
    },
  };
}

/** config-schema's loopback rule for URLs, used as a predicate (its environments do not matter here). */
export const loopbackRule = notLoopbackHost({ url: true });
export const loopbackContext: RuleContext = {
  environment: 'production',
  key: '',
  variable: '',
  sensitive: false,
  developmentDefaults: [],
};
