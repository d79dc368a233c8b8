import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { OAuthConfigError } from './errors.ts';
import {
  GOOGLE_AUTHORIZATION_ENDPOINT,
  GOOGLE_ISSUER,
  GOOGLE_TOKEN_ENDPOINT,
  getOAuthConfig,
  type OAuthInput,
  type OAuthOptions,
  safeGetOAuthConfig,
} from './oauth-config.ts';
import type { Environment, Issue } from './schema.ts';

/** The environments of the schema that stands in when no schema is passed (config-schema's defaults). */
const ENVIRONMENTS: readonly Environment[] = ['development', 'test', 'staging', 'production'];

const SECRET = 'GOCSPX-a-real-looking-secret-42';
const deployed = (environment: Environment) => environment === 'staging' || environment === 'production';
const suffix = (environment: Environment) => (deployed(environment) ? `_${environment.toUpperCase()}` : '');
const ID_VAR = (environment: Environment) => `GOOGLE_OAUTH_CLIENT_ID${suffix(environment)}`;
const SECRET_VAR = (environment: Environment) => `GOOGLE_OAUTH_CLIENT_SECRET${suffix(environment)}`;

/** A valid config of each environment. */
function valid(environment: Environment): OAuthInput {
  const hosts = deployed(environment)
    ? {
        apiBaseUrl: `https://api.${environment}.netra.example`,
        frontendUrl: `https://app.${environment}.netra.example`,
      }
    : { apiBaseUrl: 'http://localhost:8080', frontendUrl: 'http://localhost:3000' };
  return {
    environment,
    ...hosts,
    oauth: {
      google: { clientId: `1234-${environment}.apps.googleusercontent.com`, clientSecret: SECRET },
      issuerUrl: undefined,
    },
  };
}

type Change = {
  apiBaseUrl?: string;
  frontendUrl?: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  issuerUrl?: string | undefined;
};
function withChange(environment: Environment, change: Change): OAuthInput {
  const base = valid(environment);
  const google = { ...base.oauth.google };
  if ('clientId' in change) google.clientId = change.clientId;
  if ('clientSecret' in change) google.clientSecret = change.clientSecret;
  return {
    ...base,
    ...(change.apiBaseUrl === undefined ? {} : { apiBaseUrl: change.apiBaseUrl }),
    ...(change.frontendUrl === undefined ? {} : { frontendUrl: change.frontendUrl }),
    oauth: { google, issuerUrl: 'issuerUrl' in change ? change.issuerUrl : base.oauth.issuerUrl },
  };
}

/** `severity:code:variable-or-key`, sorted: what a table row expects. */
const summary = (issues: readonly Issue[]) =>
  issues.map((issue) => `${issue.severity}:${issue.code}:${issue.variable || issue.key}`).sort();

function resultSummary(config: OAuthInput, options?: OAuthOptions) {
  const result = safeGetOAuthConfig(config, options);
  return result.ok
    ? { ok: true, disabled: result.oauth === null, issues: summary(result.warnings) }
    : { ok: false, issues: summary(result.issues) };
}

const ok = { ok: true, disabled: false, issues: [] };
const fails = (...issues: string[]) => ({ ok: false, issues: issues.sort() });

/**
 * Every rule in every environment. Each row: a rule, a change to the valid config, options, and the
 * expected outcome per environment.
 */
const rules: {
  rule: string;
  change: (environment: Environment) => Change;
  options?: OAuthOptions;
  expect: (environment: Environment) => object;
}[] = [
  { rule: 'a valid config', change: () => ({}), expect: () => ok },
  {
    rule: 'no client at all: disabled in development/test, missing where deployed',
    change: () => ({ clientId: undefined, clientSecret: undefined }),
    expect: (environment) =>
      deployed(environment)
        ? fails(`error:missing:${ID_VAR(environment)}`, `error:missing:${SECRET_VAR(environment)}`)
        : { ok: true, disabled: true, issues: [] },
  },
  {
    rule: 'empty strings count as not set',
    change: () => ({ clientId: '', clientSecret: '' }),
    expect: (environment) =>
      deployed(environment)
        ? fails(`error:missing:${ID_VAR(environment)}`, `error:missing:${SECRET_VAR(environment)}`)
        : { ok: true, disabled: true, issues: [] },
  },
  {
    rule: 'a client ID without its secret',
    change: () => ({ clientSecret: undefined }),
    expect: (environment) => fails(`error:missing:${SECRET_VAR(environment)}`),
  },
  {
    rule: 'a secret without its client ID',
    change: () => ({ clientId: undefined }),
    expect: (environment) => fails(`error:missing:${ID_VAR(environment)}`),
  },
  {
    rule: 'a client ID that is not Google’s',
    change: () => ({ clientId: 'my-oauth-client' }),
    expect: (environment) => fails(`error:invalid:${ID_VAR(environment)}`),
  },
  {
    rule: 'client ID and secret bound to one value',
    change: (environment) => ({
      clientId: `1234-${environment}.apps.googleusercontent.com`,
      clientSecret: `1234-${environment}.apps.googleusercontent.com`,
    }),
    expect: (environment) => fails(`error:invalid:${SECRET_VAR(environment)}`),
  },
  {
    rule: 'OAUTH_ISSUER_URL: a local provider in development/test, never where deployed',
    change: () => ({ issuerUrl: 'http://127.0.0.1:4000' }),
    expect: (environment) => (deployed(environment) ? fails('error:invalid:OAUTH_ISSUER_URL') : ok),
  },
  {
    rule: 'OAUTH_ISSUER_URL over https on another host (development/test only)',
    change: () => ({ issuerUrl: 'https://login.dev.netra.example' }),
    expect: (environment) => (deployed(environment) ? fails('error:invalid:OAUTH_ISSUER_URL') : ok),
  },
  {
    rule: 'OAUTH_ISSUER_URL over plain http off loopback',
    change: () => ({ issuerUrl: 'http://login.dev.netra.example' }),
    expect: () => fails('error:invalid:OAUTH_ISSUER_URL'),
  },
  {
    // The issuer is copied into OAuthConfig.issuer and the endpoints, which are printed: credentials must not be.
    rule: 'OAUTH_ISSUER_URL with credentials (from a hand-made OAuthInput; loadConfig refuses them)',
    change: () => ({ issuerUrl: 'http://admin:hunter2@127.0.0.1:4000' }),
    expect: () => fails('error:invalid:OAUTH_ISSUER_URL'),
  },
  {
    rule: 'OAUTH_ISSUER_URL that is not a URL',
    change: () => ({ issuerUrl: 'localhost:4000' }),
    expect: () => fails('error:invalid:OAUTH_ISSUER_URL'),
  },
  {
    rule: 'OAUTH_ISSUER_URL without a client: OAuth disabled, with a warning (development/test)',
    change: () => ({ clientId: undefined, clientSecret: undefined, issuerUrl: 'http://127.0.0.1:4000' }),
    expect: (environment) =>
      deployed(environment)
        ? fails(
            `error:missing:${ID_VAR(environment)}`,
            `error:missing:${SECRET_VAR(environment)}`,
            'error:invalid:OAUTH_ISSUER_URL',
          )
        : { ok: true, disabled: true, issues: [`warning:missing:${ID_VAR(environment)}`] },
  },
  {
    rule: 'API_BASE_URL on loopback http (the development default)',
    change: () => ({ apiBaseUrl: 'http://localhost:8080' }),
    expect: (environment) =>
      deployed(environment) ? fails('error:invalid:API_BASE_URL', 'error:loopback-host:API_BASE_URL') : ok,
  },
  {
    rule: 'API_BASE_URL on 127.0.0.1 over https',
    change: () => ({ apiBaseUrl: 'https://127.0.0.1:8443' }),
    expect: (environment) => (deployed(environment) ? fails('error:loopback-host:API_BASE_URL') : ok),
  },
  {
    rule: 'API_BASE_URL over http on a public host',
    change: () => ({ apiBaseUrl: 'http://api.netra.example' }),
    expect: () => fails('error:invalid:API_BASE_URL'),
  },
  {
    rule: 'API_BASE_URL on an IP address over https',
    change: () => ({ apiBaseUrl: 'https://34.120.1.2' }),
    expect: (environment) => (deployed(environment) ? fails('error:invalid:API_BASE_URL') : ok),
  },
  {
    rule: 'API_BASE_URL on an IPv6 address over https',
    change: () => ({ apiBaseUrl: 'https://[2001:db8::1]:8443' }),
    expect: (environment) => (deployed(environment) ? fails('error:invalid:API_BASE_URL') : ok),
  },
  {
    rule: 'API_BASE_URL on an IPv4 address in hex notation (normalised by the URL parser)',
    change: () => ({ apiBaseUrl: 'https://0x22.0x78.1.2' }),
    expect: (environment) => (deployed(environment) ? fails('error:invalid:API_BASE_URL') : ok),
  },
  {
    rule: 'API_BASE_URL that is not a URL',
    change: () => ({ apiBaseUrl: 'api.netra.example' }),
    expect: () => fails('error:invalid:API_BASE_URL'),
  },
  {
    rule: 'FRONTEND_URL on loopback http',
    change: () => ({ frontendUrl: 'http://127.0.0.1:3000' }),
    expect: (environment) =>
      deployed(environment) ? fails('error:invalid:FRONTEND_URL', 'error:loopback-host:FRONTEND_URL') : ok,
  },
  {
    // OAuthInput need not come from loadConfig (which refuses URL credentials): the userinfo must not hide the host.
    rule: 'FRONTEND_URL on loopback https behind credentials',
    change: () => ({ frontendUrl: 'https://user:pw@localhost:3000' }),
    expect: (environment) => (deployed(environment) ? fails('error:loopback-host:FRONTEND_URL') : ok),
  },
  {
    rule: 'FRONTEND_URL over http on a public host',
    change: () => ({ frontendUrl: 'http://app.netra.example' }),
    expect: () => fails('error:invalid:FRONTEND_URL'),
  },
  {
    rule: 'FRONTEND_URL that is not a URL',
    change: () => ({ frontendUrl: 'ftp://app.netra.example' }),
    expect: () => fails('error:invalid:FRONTEND_URL'),
  },
  {
    rule: 'http on a public host is fine with a local issuer (no Google involved)',
    change: () => ({
      apiBaseUrl: 'http://api.dev.internal:8080',
      frontendUrl: 'http://app.dev.internal:3000',
      issuerUrl: 'http://127.0.0.1:4000',
    }),
    expect: (environment) =>
      deployed(environment)
        ? fails('error:invalid:OAUTH_ISSUER_URL', 'error:invalid:API_BASE_URL', 'error:invalid:FRONTEND_URL')
        : ok,
  },
  {
    rule: 'a callback on another host than API_BASE_URL',
    change: () => ({}),
    options: { callbackPath: 'https://auth.netra.example/callback' },
    expect: (environment) => (deployed(environment) ? fails('error:invalid:API_BASE_URL') : ok),
  },
  {
    rule: 'a callback path without a leading slash',
    change: () => ({}),
    options: { callbackPath: 'auth/callback' },
    expect: () => fails('error:invalid:callbackPath'),
  },
  {
    rule: 'a callback path with a fragment',
    change: () => ({}),
    options: { callbackPath: '/auth/callback#done' },
    expect: () => fails('error:invalid:callbackPath'),
  },
  {
    rule: 'a protocol-relative callback path',
    change: () => ({}),
    options: { callbackPath: '//evil.example/callback' },
    expect: () => fails('error:invalid:callbackPath'),
  },
  {
    rule: 'no scopes',
    change: () => ({}),
    options: { scopes: [] },
    expect: () => fails('error:invalid:scopes'),
  },
  {
    rule: 'two scopes in one string',
    change: () => ({}),
    options: { scopes: ['openid email'] },
    expect: () => fails('error:invalid:scopes'),
  },
  {
    rule: 'scopes without openid: no ID token (warning)',
    change: () => ({}),
    options: { scopes: ['email'] },
    expect: () => ({ ok: true, disabled: false, issues: ['warning:invalid:scopes'] }),
  },
];

describe.each(rules)('$rule', ({ change, options, expect: expected }) => {
  test.each(ENVIRONMENTS)('in %s', (environment) => {
    expect(resultSummary(withChange(environment, change(environment)), options)).toEqual(
      expected(environment),
    );
  });
});

describe('the report’s case: development names in staging', () => {
  // The old backend read GOOGLE_OAUTH_CLIENT_ID in staging; the staging config therefore has no client.
  test.each(['staging', 'production'] as const)(
    '%s names its own variables and says the dev ones are not read',
    (environment) => {
      const result = safeGetOAuthConfig(
        withChange(environment, { clientId: undefined, clientSecret: undefined }),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const [idIssue, secretIssue] = result.issues;
      expect(idIssue).toMatchObject({
        code: 'missing',
        key: 'oauth.google.clientId',
        variable: ID_VAR(environment),
      });
      expect(idIssue?.message).toContain(
        `${environment} reads the Google OAuth client ID from it, not from GOOGLE_OAUTH_CLIENT_ID (the development/test name)`,
      );
      expect(secretIssue).toMatchObject({
        code: 'missing',
        key: 'oauth.google.clientSecret',
        variable: SECRET_VAR(environment),
      });
      expect(secretIssue?.message).toContain(
        'not from GOOGLE_OAUTH_CLIENT_SECRET (the development/test name)',
      );
      expect(idIssue?.hint).toContain(ID_VAR(environment));
    },
  );
});

describe('derived values', () => {
  test.each(ENVIRONMENTS)('%s: redirect URI, origins, scopes, Google endpoints', (environment) => {
    const oauth = getOAuthConfig(valid(environment));
    const api = valid(environment).apiBaseUrl;
    expect({ ...oauth, clientSecret: oauth.clientSecret }).toEqual({
      environment,
      provider: 'google',
      clientId: `1234-${environment}.apps.googleusercontent.com`,
      clientSecret: SECRET,
      redirectUri: `${api}/auth/callback`,
      javascriptOrigins: [valid(environment).frontendUrl],
      scopes: ['openid', 'email', 'profile'],
      issuer: GOOGLE_ISSUER,
      authorizationEndpoint: GOOGLE_AUTHORIZATION_ENDPOINT,
      tokenEndpoint: GOOGLE_TOKEN_ENDPOINT,
    });
  });

  test.each([
    ['https://api.netra.example', undefined, 'https://api.netra.example/auth/callback'],
    ['https://api.netra.example/', undefined, 'https://api.netra.example/auth/callback'],
    ['https://api.netra.example/v1', undefined, 'https://api.netra.example/v1/auth/callback'],
    ['https://api.netra.example/v1/', '/oauth/google', 'https://api.netra.example/v1/oauth/google'],
    ['https://API.Netra.Example:443/v1', '/cb', 'https://api.netra.example/v1/cb'],
    ['https://api.netra.example', 'https://api.netra.example/gw/cb', 'https://api.netra.example/gw/cb'],
  ])('API_BASE_URL %s + callbackPath %s → %s', (apiBaseUrl, callbackPath, redirectUri) => {
    const oauth = getOAuthConfig(
      withChange('production', { apiBaseUrl }),
      callbackPath ? { callbackPath } : {},
    );
    expect(oauth.redirectUri).toBe(redirectUri);
  });

  test.each([
    ['https://app.netra.example/dashboard?x=1', 'https://app.netra.example'],
    ['https://app.netra.example:8443/', 'https://app.netra.example:8443'],
    ['https://APP.netra.example', 'https://app.netra.example'],
  ])('FRONTEND_URL %s → origin %s', (frontendUrl, origin) => {
    expect(getOAuthConfig(withChange('staging', { frontendUrl })).javascriptOrigins).toEqual([origin]);
  });

  test('a local issuer gets oidc-provider’s default endpoints', () => {
    const oauth = getOAuthConfig(withChange('test', { issuerUrl: 'http://127.0.0.1:4000/' }));
    expect(oauth).toMatchObject({
      issuer: 'http://127.0.0.1:4000/',
      authorizationEndpoint: 'http://127.0.0.1:4000/auth',
      tokenEndpoint: 'http://127.0.0.1:4000/token',
    });
  });

  test('duplicate scopes are dropped', () => {
    expect(getOAuthConfig(valid('test'), { scopes: ['openid', 'email', 'openid'] }).scopes).toEqual([
      'openid',
      'email',
    ]);
  });

  test('the result is frozen, arrays included', () => {
    const oauth = getOAuthConfig(valid('staging'));
    expect(Object.isFrozen(oauth)).toBe(true);
    expect(Object.isFrozen(oauth.scopes)).toBe(true);
    expect(Object.isFrozen(oauth.javascriptOrigins)).toBe(true);
  });
});

describe('getOAuthConfig throws', () => {
  test('OAuthConfigError with every issue', () => {
    const bad = withChange('staging', { apiBaseUrl: 'http://localhost:8080', clientId: undefined });
    const error = (() => {
      try {
        getOAuthConfig(bad);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OAuthConfigError);
    const oauthError = error as OAuthConfigError;
    expect(oauthError.code).toBe('OAUTH_CONFIG_INVALID');
    expect(oauthError.name).toBe('OAuthConfigError');
    expect(summary(oauthError.issues)).toEqual(
      [
        'error:invalid:API_BASE_URL',
        'error:loopback-host:API_BASE_URL',
        'error:missing:GOOGLE_OAUTH_CLIENT_ID_STAGING',
      ].sort(),
    );
    expect(oauthError.message).toContain('GOOGLE_OAUTH_CLIENT_ID_STAGING');
    expect(oauthError.message).toContain('API_BASE_URL');
  });

  test('when OAuth is disabled (safeGetOAuthConfig returns null instead)', () => {
    const disabled = withChange('development', { clientId: undefined, clientSecret: undefined });
    expect(() => getOAuthConfig(disabled)).toThrow(OAuthConfigError);
    expect(() => getOAuthConfig(disabled)).toThrow(
      /GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET are not set/,
    );
  });

  test('for an unknown environment, with a did-you-mean', () => {
    const config = { ...valid('staging'), environment: 'stage' } as unknown as OAuthInput;
    const result = safeGetOAuthConfig(config);
    expect(result).toMatchObject({
      ok: false,
      issues: [{ code: 'unknown-environment', variable: 'ENVIRONMENT' }],
    });
    expect(() => getOAuthConfig(config)).toThrow(OAuthConfigError);
  });
});

describe('the client secret never shows', () => {
  const oauth = getOAuthConfig(valid('production'));

  test('it reads by name, but is not an own (copyable) property', () => {
    expect(oauth.clientSecret).toBe(SECRET);
    expect(Object.keys(oauth)).not.toContain('clientSecret');
    expect(Reflect.ownKeys(oauth)).not.toContain('clientSecret');
  });

  test.each([
    ['JSON.stringify', () => JSON.stringify(oauth)],
    ['JSON.stringify nested', () => JSON.stringify({ config: { oauth } })],
    ['util.inspect', () => inspect(oauth)],
    ['util.inspect nested, showHidden', () => inspect({ oauth }, { showHidden: true, depth: 10 })],
    ['String()', () => String(oauth)],
    ['template literal', () => `${oauth}`],
    ['string concatenation', () => 'config: ' + oauth],
  ])('%s', (_, render) => {
    const text = render();
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[redacted]');
    expect(text).toContain(oauth.clientId);
  });

  // The secret is not an own property (config-schema's secretFields): a copy holds every other field.
  test.each([
    ['spread', () => ({ ...oauth })],
    ['Object.assign', () => Object.assign({}, oauth)],
    ['structuredClone', () => structuredClone(oauth)],
    ['Object.fromEntries', () => Object.fromEntries(Object.entries(oauth))],
    [
      'for…in',
      () => {
        const out: Record<string, unknown> = {};
        for (const key in oauth) out[key] = (oauth as unknown as Record<string, unknown>)[key];
        return out;
      },
    ],
    ['Reflect.ownKeys', () => Reflect.ownKeys(oauth).map((key) => (oauth as never)[key])],
  ])('a copy by %s holds no secret', (_, copy) => {
    const copied = copy();
    expect(inspect(copied, { customInspect: false, showHidden: true, depth: 10 })).not.toContain(SECRET);
    expect(JSON.stringify(copied)).not.toContain(SECRET);
    expect(JSON.stringify(copied)).toContain(oauth.clientId);
    expect(JSON.stringify({ ...oauth, scopes: ['openid'] })).not.toContain(SECRET);
  });

  test('inspect shows the type and the other fields', () => {
    expect(inspect(oauth, { breakLength: Number.POSITIVE_INFINITY })).toMatch(
      /^OAuthConfig \{ environment: 'production', provider: 'google', .*clientSecret: '\[redacted\]', redirectUri: 'https:\/\/api\.production\.netra\.example\/auth\/callback'/,
    );
  });

  test.each(rules.flatMap((row) => ENVIRONMENTS.map((environment) => [row.rule, environment, row] as const)))(
    'no issue quotes it: %s in %s',
    (_, environment, row) => {
      const result = safeGetOAuthConfig(withChange(environment, row.change(environment)), row.options);
      expect(JSON.stringify(result)).not.toContain(SECRET);
      if (!result.ok) expect(new OAuthConfigError(result.issues).message).not.toContain(SECRET);
    },
  );
});

describe('a config without the OAuth group (a schema that put googleOAuthFragment under another key)', () => {
  const withoutOAuth = {
    environment: 'staging',
    apiBaseUrl: 'https://api.x.example',
    frontendUrl: 'https://app.x.example',
  };
  test('safeGetOAuthConfig returns an issue instead of throwing a TypeError', () => {
    const result = safeGetOAuthConfig(withoutOAuth as unknown as OAuthInput);
    expect(result).toEqual({
      ok: false,
      issues: [
        expect.objectContaining({
          code: 'invalid',
          key: 'oauth.google',
          message: 'The config has no oauth.google group, so there is no OAuth client to derive.',
        }),
      ],
    });
    expect(() => getOAuthConfig(withoutOAuth as unknown as OAuthInput)).toThrow(OAuthConfigError);
    expect(safeGetOAuthConfig(null as unknown as OAuthInput).ok).toBe(false);
  });
});

describe('API_BASE_URL with a path, trailing slashes, a query or a fragment', () => {
  const redirectOf = (apiBaseUrl: string) => {
    const result = safeGetOAuthConfig(withChange('production', { apiBaseUrl }));
    return result.ok
      ? { redirectUri: result.oauth?.redirectUri, warnings: summary(result.warnings) }
      : { issues: summary(result.issues) };
  };
  test.each([
    ['https://api.netra.example', 'https://api.netra.example/auth/callback', []],
    ['https://api.netra.example/', 'https://api.netra.example/auth/callback', []],
    ['https://api.netra.example/v1', 'https://api.netra.example/v1/auth/callback', []],
    ['https://api.netra.example/v1/', 'https://api.netra.example/v1/auth/callback', []],
    ['https://api.netra.example/v1//', 'https://api.netra.example/v1/auth/callback', []],
    ['https://API.Netra.example:443/V1', 'https://api.netra.example/V1/auth/callback', []],
    // The query and fragment cannot be part of a base URL the callback path is appended to: they are dropped,
    // and said so (a redirect URI registered with them would not match).
    [
      'https://api.netra.example/v1?tenant=a',
      'https://api.netra.example/v1/auth/callback',
      ['warning:invalid:API_BASE_URL'],
    ],
    [
      'https://api.netra.example/#/',
      'https://api.netra.example/auth/callback',
      ['warning:invalid:API_BASE_URL'],
    ],
  ])('%s → %s', (apiBaseUrl, redirectUri, warnings) => {
    expect(redirectOf(apiBaseUrl)).toEqual({ redirectUri, warnings });
  });

  test('the warning names what is dropped, without the query’s value', () => {
    const result = safeGetOAuthConfig(
      withChange('staging', { apiBaseUrl: 'https://api.netra.example/?key=hunter2' }),
    );
    expect(result.ok && result.warnings[0]?.message).toBe(
      'API_BASE_URL has a query string, which the redirect URI does not keep (it is API_BASE_URL’s origin and path plus the callback path).',
    );
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('loopback means config-schema’s loopback', () => {
  test.each([
    'https://localhost',
    'https://LOCALHOST:8443',
    'https://api.localhost',
    'https://127.0.0.5',
    'https://[::1]:8443',
    'https://0.0.0.0',
  ])('API_BASE_URL %s in staging is loopback-host', (apiBaseUrl) => {
    expect(resultSummary(withChange('staging', { apiBaseUrl }))).toEqual(
      fails('error:loopback-host:API_BASE_URL'),
    );
  });

  test.each([
    'http://localhost:8080',
    'http://127.0.0.5:8080',
    'http://[::1]:8080',
    'http://api.localhost:8080',
  ])('API_BASE_URL %s in development is allowed over http', (apiBaseUrl) => {
    expect(resultSummary(withChange('development', { apiBaseUrl }))).toEqual(ok);
  });
});

describe('properties', () => {
  test('any https API_BASE_URL on a domain: the redirect URI is under it, on its host, in production', () => {
    const domainUrl = fc
      .webUrl({ validSchemes: ['https'], withQueryParameters: false, withFragments: false })
      .filter((url) => !new URL(url).hostname.endsWith('localhost'));
    fc.assert(
      fc.property(domainUrl, (apiBaseUrl) => {
        const api = new URL(apiBaseUrl);
        const oauth = getOAuthConfig(withChange('production', { apiBaseUrl }));
        const redirect = new URL(oauth.redirectUri);
        expect(redirect.host).toBe(api.host);
        expect(redirect.pathname).toBe(`${api.pathname.replace(/\/+$/, '')}/auth/callback`);
        expect(JSON.stringify(oauth)).not.toContain(SECRET);
      }),
    );
  });

  test('any string as a client secret is a plain property and never printed', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12 }).filter((value) => value.trim() === value && !value.startsWith('{')),
        (secret) => {
          const result = safeGetOAuthConfig(withChange('test', { clientSecret: secret }));
          if (!result.ok || !result.oauth) return;
          expect(result.oauth.clientSecret).toBe(secret);
          const printed = [JSON.stringify(result.oauth), inspect(result.oauth), String(result.oauth)];
          for (const text of printed) expect(text).not.toContain(secret);
        },
      ),
    );
  });
});
