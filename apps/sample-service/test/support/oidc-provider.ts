// A real OpenID provider (oidc-provider) on 127.0.0.1, free port, with one confidential client and its
// development login/consent pages, plus a cookie-carrying walk through them (what a browser does).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<TestProvider> {
  const clientId = 'netra-sample-test.apps.googleusercontent.com';
  const clientSecret = 'test-client-secret-for-oidc-provider-0123456789';
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.test`, email_verified: true }),
    }),
    // Like Google: the ID token carries the scope's claims (email), not only the userinfo endpoint.
    conformIdTokenClaims: false,
    cookies: { keys: ['netra-sample-service-test-cookie-key'] },
  });
  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Follows the provider from an authorization URL through login (as `account`) and consent, like a
 * browser, and returns the redirect back to the client (`redirect_uri?code=…&state=…`).
 */
export async function loginAtProvider(authorizationUrl: string, account: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      await response.arrayBuffer();
      url = new URL(location, url);
      if (url.origin !== origin) return url; // back at the client
      continue;
    }
    const html = await response.text();
    if (response.status !== 200)
      throw new Error(`provider answered ${response.status}: ${html.slice(0, 300)}`);
    // The development interaction pages: a login form, then a consent form.
    const prompt =
      /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : '');
    if (prompt === 'login') body = new URLSearchParams({ prompt: 'login', login: account, password: 'any' });
    else if (prompt === 'consent') body = new URLSearchParams({ prompt: 'consent' });
    else throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
  }
  throw new Error('too many redirects at the provider');
}
