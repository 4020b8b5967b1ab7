import { DropboxAuth } from 'dropbox';
import { ConnectFlowError } from '../domain/connection';
import { createHostMappingFetch } from '../dropbox/host-mapping-fetch';

/** The Dropbox app the connector authorises as. */
export interface OAuthApp {
  readonly appKey: string;
  /** Confidential apps: kept with the credentials for refreshes; the code exchange uses PKCE either way. */
  readonly appSecret?: string;
}

/** What `/oauth2/token` granted, as the connect flow needs it. Secrets: never logged, never returned. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresInSeconds?: number;
  /** Granted scopes from the token response; undefined when Dropbox sent none. */
  readonly scopes?: readonly string[];
  readonly accountId?: string;
  /** Set when the token is for a whole team (a team-linked app). */
  readonly teamId?: string;
}

/**
 * The OAuth 2 side of the connect flow on the official SDK's `DropboxAuth`: authorization code with
 * PKCE (S256) and offline access. The SDK builds the authorize URL and the verifier and redeems the
 * code; what is written here is only what it does not do (encoding the query, pointing the
 * authorize page at a base URL other than Dropbox's, and errors that cannot leak the code).
 */
export class DropboxOAuth {
  private readonly fetch: typeof fetch;

  /** `apiBaseUrl` sends every Dropbox host, the authorize page included, to one base URL (the emulator). */
  constructor(
    private readonly app: OAuthApp,
    private readonly apiBaseUrl?: string,
  ) {
    this.fetch = apiBaseUrl ? createHostMappingFetch(apiBaseUrl) : fetch;
  }

  /**
   * https://www.dropbox.com/developers/documentation/http/documentation#oauth2-authorize
   * The authorize URL for `state`, asking for offline access (a refresh token) and the app's scopes,
   * with a fresh PKCE verifier. Without `redirectUri` Dropbox shows the code for the user to paste.
   */
  async authorizeUrl(input: { state: string; redirectUri?: string }): Promise<{ url: string; verifier: string }> {
    const auth = new DropboxAuth({ clientId: this.app.appKey, fetch: this.fetch });
    // The SDK concatenates values into the query unencoded, so they go in encoded. Its typing wants a
    // redirect URI; the code flow accepts none (the paste-the-code flow).
    const redirectUri = input.redirectUri === undefined ? undefined : encodeURIComponent(input.redirectUri);
    const raw = await auth.getAuthenticationUrl(redirectUri as string, encodeURIComponent(input.state), 'code', 'offline', undefined, 'none', true);
    const url = new URL(raw);
    if (this.apiBaseUrl) {
      const base = new URL(this.apiBaseUrl);
      url.protocol = base.protocol;
      url.host = base.host;
    }
    return { url: url.toString(), verifier: auth.getCodeVerifier() };
  }

  /**
   * https://www.dropbox.com/developers/documentation/http/documentation#oauth2-token
   * Redeems `code` with the PKCE verifier. Failures become a `ConnectFlowError` naming Dropbox's
   * `error` and description only: the SDK's own errors may carry the request URL, which holds the
   * code and the verifier.
   */
  async exchange(input: { code: string; verifier: string; redirectUri?: string }): Promise<TokenGrant> {
    const auth = new DropboxAuth({ clientId: this.app.appKey, fetch: this.fetch });
    auth.setCodeVerifier(input.verifier);
    let result: Record<string, unknown>;
    try {
      // Encoded for the same reason as in `authorizeUrl`.
      const redirectUri = input.redirectUri === undefined ? undefined : encodeURIComponent(input.redirectUri);
      result = (await auth.getAccessTokenFromCode(redirectUri as string, encodeURIComponent(input.code))).result as Record<string, unknown>;
    } catch (error) {
      throw new ConnectFlowError(`Dropbox refused the authorization code: ${describeOAuthFailure(error, [input.code, input.verifier])}`);
    }
    return parseGrant(result);
  }
}

function parseGrant(result: Record<string, unknown>): TokenGrant {
  const text = (name: string): string | undefined => (typeof result[name] === 'string' && result[name] !== '' ? (result[name] as string) : undefined);
  const accessToken = text('access_token');
  if (!accessToken) throw new ConnectFlowError('Dropbox answered the code exchange without an access token');
  const scope = text('scope');
  const refreshToken = text('refresh_token');
  const accountId = text('account_id');
  const teamId = text('team_id');
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof result['expires_in'] === 'number' ? { expiresInSeconds: result['expires_in'] } : {}),
    ...(scope === undefined ? {} : { scopes: scope.split(' ').filter(Boolean) }),
    ...(accountId ? { accountId } : {}),
    ...(teamId ? { teamId } : {}),
  };
}

/** `status error: description` from an OAuth error answer, with any of `secrets` blanked out. */
export function describeOAuthFailure(error: unknown, secrets: readonly string[]): string {
  let text: string;
  const body = typeof error === 'object' && error !== null ? (error as { status?: unknown; error?: unknown }) : undefined;
  if (body && typeof body.status === 'number') {
    const payload = body.error;
    const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    const code = typeof record['error'] === 'string' ? record['error'] : 'error';
    const description = typeof record['error_description'] === 'string' ? record['error_description'] : typeof payload === 'string' ? payload : '';
    text = `HTTP ${body.status} ${code}${description ? `: ${description.slice(0, 300)}` : ''}`;
  } else {
    // A transport failure: name its kind only (its message may quote the URL, which holds the code).
    text = error instanceof Error ? `${error.name} (request did not complete)` : 'request did not complete';
  }
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]');
  return text;
}
