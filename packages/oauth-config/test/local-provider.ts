// A real OpenID provider (oidc-provider 9) on 127.0.0.1, a free port, for the end-to-end tests.
// Interactions are answered by our own route (no devInteractions form): the login prompt signs in
// TEST_ACCOUNT, the consent prompt grants what the client asked for.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

export const TEST_ACCOUNT = { sub: 'user-42', email: 'ada@example.com', name: 'Ada Lovelace' } as const;

export interface LocalProvider {
  issuer: string;
  /** Registers the clients and starts answering. Call once, after deriving the config from `issuer`. */
  register(clients: ClientMetadata[]): void;
  close(): Promise<void>;
}

export async function startLocalProvider(): Promise<LocalProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end('provider not configured yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    register(clients) {
      // Our own signing key, so the provider does not fall back to its development keys.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const provider = new Provider(issuer, {
        clients,
        jwks: {
          keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
        },
        cookies: { keys: ['local-provider-cookie-key'] },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
        findAccount: async (_ctx, accountId) => ({
          accountId,
          claims: async () => ({ ...TEST_ACCOUNT, sub: accountId }),
        }),
      });
      const callback = provider.callback();
      handler = (req, res) => {
        if (req.url?.startsWith('/interaction/')) {
          answerInteraction(provider, req, res).catch((error: unknown) => {
            res.writeHead(500).end(String(error));
          });
        } else {
          callback(req, res);
        }
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function answerInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: TEST_ACCOUNT.sub } });
    return;
  }
  const accountId = details.session?.accountId ?? TEST_ACCOUNT.sub;
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ??
      new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
    : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Follows the browser's redirects from `start` with a cookie jar, until a Location starts with
 * `redirectUri` (returned, not fetched) or a response is not a redirect (returned as `stoppedAt`).
 */
export async function followAsBrowser(
  start: URL | string,
  redirectUri: string,
): Promise<{ callback: URL } | { stoppedAt: { status: number; body: string } }> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', attributeValue = ''] = attribute.split('=');
        const lowerKey = key.trim().toLowerCase();
        return (
          (lowerKey === 'max-age' && Number(attributeValue) <= 0) ||
          (lowerKey === 'expires' && Date.parse(attributeValue) <= Date.now())
        );
      });
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return { stoppedAt: { status: response.status, body: await response.text() } };
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return { callback: next };
    url = next;
  }
  throw new Error(`more than 20 redirects from ${String(start)}`);
}
