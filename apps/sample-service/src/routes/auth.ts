import type { NetraBackendConfig } from '@netra/backend-schema';
import type { OAuthConfig } from '@netra/oauth-config';
import type { FastifyInstance } from 'fastify';
import type { Configuration } from 'openid-client';
import type { RedisClient } from '../dependencies.ts';
import { DependencyError, errorBodySchema, HttpError, onDependency } from '../http-errors.ts';

/** What the auth routes need. */
export interface AuthContext {
  config: Pick<NetraBackendConfig, 'jwtSecret' | 'apiBaseUrl'>;
  /** `null`: OAuth is disabled (no client configured; development and test only). */
  oauth: OAuthConfig | null;
  redis: RedisClient;
  keyPrefix: string;
  stateTtlSeconds: number;
  sessionTtlSeconds: number;
  /** Discovery against the provider (cached after the first success). */
  openidConfiguration: (oauth: OAuthConfig) => Promise<Configuration>;
}

/** The OpenID `state` format `randomState()` produces, bounded. */
const STATE_PATTERN = '^[A-Za-z0-9_-]{16,128}$';

/** `GET /auth/login` (redirect to the provider, state + PKCE) and `GET /auth/callback` (session token). */
export function registerAuthRoutes(app: FastifyInstance, context: AuthContext): void {
  let discovery: Promise<Configuration> | undefined;
  const providerConfiguration = async (oauth: OAuthConfig): Promise<Configuration> => {
    discovery ??= context.openidConfiguration(oauth);
    try {
      return await discovery;
    } catch (error) {
      discovery = undefined; // retry discovery on the next request
      throw new DependencyError('oauth-provider', error);
    }
  };
  const enabledOAuth = (): OAuthConfig => {
    if (context.oauth) return context.oauth;
    throw new HttpError({
      statusCode: 503,
      code: 'oauth-disabled',
      message:
        'OAuth is disabled: no OAuth client is configured. Set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET ' +
        '(and OAUTH_ISSUER_URL for a local provider) to enable it.',
    });
  };
  const stateKey = (state: string) => `${context.keyPrefix}oauth-state:${state}`;

  app.get('/auth/login', { schema: { response: { 503: errorBodySchema } } }, async (_request, reply) => {
    const oauth = enabledOAuth();
    const client = await import('openid-client');
    const configuration = await providerConfiguration(oauth);
    const state = client.randomState();
    const codeVerifier = client.randomPKCECodeVerifier();
    const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
    await onDependency('redis', () =>
      context.redis.set(stateKey(state), JSON.stringify({ codeVerifier }), { EX: context.stateTtlSeconds }),
    );
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: oauth.redirectUri,
      scope: oauth.scopes.join(' '),
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    return reply.redirect(url.href, 302);
  });

  app.get<{ Querystring: { state: string; code?: string; error?: string; error_description?: string } }>(
    '/auth/callback',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['state'],
          properties: {
            state: { type: 'string', pattern: STATE_PATTERN },
            code: { type: 'string', minLength: 1, maxLength: 2048 },
            error: { type: 'string', maxLength: 256 },
            error_description: { type: 'string', maxLength: 2048 },
            iss: { type: 'string', maxLength: 2048 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['token', 'tokenType', 'expiresIn', 'subject'],
            properties: {
              token: { type: 'string' },
              tokenType: { const: 'Bearer' },
              expiresIn: { type: 'integer' },
              subject: { type: 'string' },
              email: { type: 'string' },
            },
          },
          400: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const oauth = enabledOAuth();
      // One use per state: taken out of Redis before anything else, so a replayed callback finds nothing.
      const stored = await onDependency('redis', () => context.redis.getDel(stateKey(request.query.state)));
      if (!stored) {
        throw new HttpError({
          statusCode: 400,
          code: 'invalid-state',
          message: 'Unknown or expired OAuth state: start again at /auth/login.',
        });
      }
      const { codeVerifier } = JSON.parse(stored) as { codeVerifier: string };
      if (request.query.error) {
        throw new HttpError({
          statusCode: 400,
          code: 'authorization-denied',
          message: `The provider refused the authorization: ${request.query.error}.`,
        });
      }
      const client = await import('openid-client');
      const configuration = await providerConfiguration(oauth);
      const currentUrl = new URL(oauth.redirectUri);
      currentUrl.search = request.url.slice(request.url.indexOf('?'));
      let subject: string;
      let email: string | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: codeVerifier,
          expectedState: request.query.state,
        });
        const claims = tokens.claims();
        subject = claims?.sub ?? '';
        email = typeof claims?.email === 'string' ? claims.email : undefined;
        if (!subject) throw new client.ClientError('the provider returned no ID token subject');
      } catch (error) {
        if (error instanceof TypeError) throw new DependencyError('oauth-provider', error);
        throw new HttpError({
          statusCode: 400,
          code: 'invalid-code',
          message: 'The authorization code was rejected: start again at /auth/login.',
          cause: error,
        });
      }
      const { SignJWT } = await import('jose');
      const token = await new SignJWT(email ? { email } : {})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(context.config.apiBaseUrl)
        .setIssuedAt()
        .setExpirationTime(`${context.sessionTtlSeconds}s`)
        .sign(new TextEncoder().encode(context.config.jwtSecret));
      return {
        token,
        tokenType: 'Bearer' as const,
        expiresIn: context.sessionTtlSeconds,
        subject,
        ...(email ? { email } : {}),
      };
    },
  );
}
