// The one place this package touches @netra/config-schema. Temporary local stand-ins until it lands.
export const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export interface Issue {
  severity: 'error' | 'warning';
  code: string;
  key: string;
  variable: string;
  message: string;
  hint: string;
}

export interface VariableInfo {
  variable: string;
  otherNames: string[];
  secret?: { secret: string; version: string };
}
export interface OAuthVariables {
  clientId: VariableInfo;
  clientSecret: VariableInfo;
  issuerUrl: string;
}

export function parseEnvironment(
  value: string | undefined,
): { ok: true; environment: Environment } | { ok: false; issue: Issue } {
  if ((ENVIRONMENTS as readonly string[]).includes(value ?? ''))
    return { ok: true, environment: value as Environment };
  return {
    ok: false,
    issue: {
      severity: 'error',
      code: 'unknown-environment',
      key: 'environment',
      variable: 'ENVIRONMENT',
      message: `ENVIRONMENT is ${JSON.stringify(value)}`,
      hint: `Use one of ${ENVIRONMENTS.join(', ')}.`,
    },
  };
}

function names(base: string, environment: string): VariableInfo {
  const suffixed = (env: string) =>
    env === 'staging' || env === 'production' ? `${base}_${env.toUpperCase()}` : base;
  const variable = suffixed(environment);
  return {
    variable,
    otherNames: [...new Set(ENVIRONMENTS.map(suffixed))].filter((name) => name !== variable),
  };
}

export function oauthVariables(environment: string): OAuthVariables {
  return {
    clientId: names('GOOGLE_OAUTH_CLIENT_ID', environment),
    clientSecret: names('GOOGLE_OAUTH_CLIENT_SECRET', environment),
    issuerUrl: 'OAUTH_ISSUER_URL',
  };
}

export function validateVariableValue(_environment: Environment, _variable: string, _value: string): Issue[] {
  return [];
}

export function formatIssues(issues: readonly Issue[], options: { title?: string } = {}): string {
  return [options.title ?? '', ...issues.map((i) => `${i.variable}: ${i.message} ${i.hint}`)].join('\n');
}
