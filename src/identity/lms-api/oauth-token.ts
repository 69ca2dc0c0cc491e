/** How to get a token from the LMS (edx-platform's django-oauth-toolkit, JWT tokens). */
export interface OAuthClientOptions {
  /** LMS base URL without trailing slash. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Per-request timeout in ms. */
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** Hands out a valid access token, fetching a new one when it is about to expire or was refused. */
export interface OAuthTokenSource {
  /** The `Authorization` header value, e.g. `JWT eyJ…`. Throws when the LMS cannot be asked. */
  authorization(): Promise<string>;
  /** Forget the current token (after a 401). */
  invalidate(): void;
}

// A token this close to expiry is not used (clock skew, request time).
const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth2 client credentials as Open edX services use them (edx-rest-api-client):
 * POST <lms>/oauth2/access_token with grant_type=client_credentials, token_type=jwt.
 */
export function createOAuthTokenSource(options: OAuthClientOptions): OAuthTokenSource {
  const now = options.now ?? Date.now;
  let current: { header: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const response = await fetch(`${options.baseUrl}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        token_type: 'jwt',
      }).toString(),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`token request answered HTTP ${response.status}`);
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new Error('token response has no access_token');
    }
    const expiresInS = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    const type = typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'bearer' ? 'Bearer' : 'JWT';
    const header = `${type} ${body.access_token}`;
    current = { header, expiresAt: now() + expiresInS * 1000 };
    return header;
  };

  return {
    authorization() {
      if (current !== undefined && current.expiresAt - EXPIRY_MARGIN_MS > now()) return Promise.resolve(current.header);
      // One token request at a time, shared by every caller.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      current = undefined;
    },
  };
}
