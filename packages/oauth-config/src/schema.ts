// The one place this package reads @netra/config-schema: the environments, the issue shape and report format,
// the variable names of each environment and the value rules of the client ID and secret.

import { netraBackendSchema } from '@netra/backend-schema';
import {
  describeSchema,
  type Environment,
  formatIssues,
  type Issue,
  notLoopbackHost,
  parseEnvironment,
  type RuleContext,
  type SecretBinding,
  validateValue,
} from '@netra/config-schema';

export { type Environment, formatIssues, type Issue, parseEnvironment };

/** The schema's environments, in promotion order. */
export const ENVIRONMENTS: readonly Environment[] = Object.keys(netraBackendSchema.environments);

/** How the schema names one variable in one environment. */
export interface VariableInfo {
  variable: string;
  secret?: SecretBinding;
}

/** The OAuth variables of one environment. */
export interface OAuthVariables {
  clientId: VariableInfo;
  clientSecret: VariableInfo;
  /** `OAUTH_ISSUER_URL`; the schema has no such variable in staging and production, but the name is the same. */
  issuerUrl: string;
}

const FALLBACK = {
  'oauth.google.clientId': 'GOOGLE_OAUTH_CLIENT_ID',
  'oauth.google.clientSecret': 'GOOGLE_OAUTH_CLIENT_SECRET',
  'oauth.issuerUrl': 'OAUTH_ISSUER_URL',
} as const;

const cache = new Map<Environment, OAuthVariables>();

/** The variable names (and Secret Manager bindings) of the OAuth keys in `environment`, from the schema. */
export function oauthVariables(environment: Environment): OAuthVariables {
  const cached = cache.get(environment);
  if (cached) return cached;
  const descriptions = describeSchema(netraBackendSchema, environment);
  const info = (key: keyof typeof FALLBACK): VariableInfo => {
    const description = descriptions.find((candidate) => candidate.key === key);
    if (!description) return { variable: FALLBACK[key] };
    return { variable: description.variable, ...(description.secret ? { secret: description.secret } : {}) };
  };
  let issuer = descriptions.find((candidate) => candidate.key === 'oauth.issuerUrl')?.variable;
  const variables: OAuthVariables = {
    clientId: info('oauth.google.clientId'),
    clientSecret: info('oauth.google.clientSecret'),
    // Staging/production have no issuer variable: its name is read from development only when a message needs
    // it, so a deployed service's first call does not compile the development schema (~1.5 ms).
    get issuerUrl(): string {
      issuer ??=
        describeSchema(netraBackendSchema, 'development').find(
          (candidate) => candidate.key === 'oauth.issuerUrl',
        )?.variable ?? FALLBACK['oauth.issuerUrl'];
      return issuer;
    },
  };
  cache.set(environment, variables);
  return variables;
}

/** config-schema's value rules for one variable (format, whitespace, placeholder, a whole client_secret.json…). */
export function validateVariableValue(environment: Environment, variable: string, value: string): Issue[] {
  return validateValue(netraBackendSchema, { environment, variable, value });
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
