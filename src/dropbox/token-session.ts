import { DropboxAuth } from 'dropbox';
import { StoredCredentials } from '../domain/connection';
import { TOKEN_ROUTE } from '../domain/credential-health';
import { DropboxCredentialError, FostrDropboxError } from '../domain/errors';
import { classifyDropboxError } from './classify-error';

/** What a `DropboxClient` needs to authenticate: a current token, and a way to renew a rejected one. */
export interface AccessTokenSource {
  /** A token to send now; refreshed first when it expires within the margin. */
  accessToken(): Promise<string>;
  /**
   * Called once when Dropbox rejected `rejected` (401 expired or invalid): returns a new token, or
   * throws the refusal that remains (a revoked refresh token, no refresh token at all).
   */
  renew(rejected: string, refusal: DropboxCredentialError): Promise<string>;
}

export interface TokenSessionOptions {
  readonly credentials: StoredCredentials;
  /** Saves refreshed credentials; false when a reconnect replaced them meanwhile (then they are kept in memory only). */
  readonly persist: (next: StoredCredentials) => Promise<boolean>;
  /** The `fetch` the SDK refreshes through (host mapping for the emulator, a timeout). */
  readonly fetch: typeof fetch;
  readonly clock: () => Date;
  /** Refresh this long before the access token expires (both official SDKs use 5 min). */
  readonly refreshMarginMs: number;
}

/**
 * The token lifecycle of one connection: refreshes before expiry and once after a 401, through the
 * official SDK's `DropboxAuth` and the refresh-token grant. Every client of the connection (each
 * team member's included) shares one session, so there is one refresh in flight and one current
 * token. A refresh response carries no refresh token (Dropbox does not rotate them), so the stored
 * one is always kept.
 */
export class TokenSession implements AccessTokenSource {
  private credentials: StoredCredentials;
  private inFlight?: Promise<string>;
  /** An early refresh failed transiently while the current token still works. */
  private earlyRefreshFailing = false;
  /** Refreshes that reached Dropbox, for tests and metrics. */
  refreshes = 0;

  constructor(private readonly options: TokenSessionOptions) {
    this.credentials = options.credentials;
  }

  /** Whether the connection is in `expiring`: its token works but could not be refreshed early. */
  get expiring(): boolean {
    return this.earlyRefreshFailing;
  }

  async accessToken(): Promise<string> {
    if (this.inFlight) return this.inFlight;
    const { accessToken, refreshToken } = this.credentials;
    const expiresAtMs = this.credentials.accessTokenExpiresAt === undefined ? undefined : Date.parse(this.credentials.accessTokenExpiresAt);
    const nowMs = this.options.clock().getTime();
    const expired = expiresAtMs !== undefined && expiresAtMs <= nowMs;
    if (accessToken !== undefined && (expiresAtMs === undefined || expiresAtMs - nowMs > this.options.refreshMarginMs)) return accessToken;
    if (refreshToken === undefined) {
      if (accessToken === undefined || expired) throw missingRefreshToken();
      return accessToken;
    }
    try {
      return await this.refresh();
    } catch (error) {
      // An early refresh that fails for now is no reason to stop using a token that still works.
      if (accessToken !== undefined && !expired && !(error instanceof DropboxCredentialError)) {
        this.earlyRefreshFailing = true;
        return accessToken;
      }
      throw error;
    }
  }

  async renew(rejected: string, refusal: DropboxCredentialError): Promise<string> {
    if (this.inFlight) return this.inFlight;
    // Another client of this connection already replaced the rejected token: use the new one.
    if (this.credentials.accessToken !== undefined && this.credentials.accessToken !== rejected) return this.credentials.accessToken;
    if (this.credentials.refreshToken === undefined) throw refusal.kind === 'expired_access_token' ? missingRefreshToken() : refusal;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.inFlight ??= this.refreshOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#oauth2-token (grant_type=refresh_token) */
  private async refreshOnce(): Promise<string> {
    const { appKey, appSecret, refreshToken } = this.credentials;
    const auth = new DropboxAuth({ clientId: appKey, clientSecret: appSecret, refreshToken, fetch: this.options.fetch });
    this.refreshes += 1;
    try {
      await auth.refreshAccessToken();
    } catch (error) {
      throw classifyRefreshError(error);
    }
    const accessToken = auth.getAccessToken();
    const expiresAt = auth.getAccessTokenExpiresAt();
    if (typeof accessToken !== 'string' || accessToken.length === 0) throw classifyRefreshError(new Error('the token response has no access_token'));
    this.credentials = {
      ...this.credentials,
      accessToken,
      ...(expiresAt instanceof Date && !Number.isNaN(expiresAt.getTime()) ? { accessTokenExpiresAt: expiresAt.toISOString() } : {}),
    };
    this.earlyRefreshFailing = false;
    // A refused save means a reconnect won: its credentials are the truth, this token serves the current call only.
    await this.options.persist(this.credentials);
    return accessToken;
  }
}

/**
 * Maps a failed refresh: 400 `invalid_grant` (revoked or unknown refresh token) and other OAuth
 * refusals (`invalid_client`, `invalid_request`) are credential errors; 429, 5xx and transport
 * failures stay transient. The OAuth error body is `{error, error_description}`, not an API union.
 */
export function classifyRefreshError(thrown: unknown): FostrDropboxError {
  const status = typeof thrown === 'object' && thrown !== null && typeof (thrown as { status?: unknown }).status === 'number' ? (thrown as { status: number }).status : undefined;
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
    const body = (thrown as { error?: unknown }).error;
    const code = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `HTTP ${status}`;
    return new DropboxCredentialError(code, TOKEN_ROUTE, undefined, code === 'invalid_grant' ? 'invalid_grant' : 'other');
  }
  return classifyDropboxError(TOKEN_ROUTE, thrown);
}

function missingRefreshToken(): DropboxCredentialError {
  return new DropboxCredentialError('the access token expired and the connection has no refresh token', TOKEN_ROUTE, undefined, 'missing_refresh_token');
}

/** A `fetch` that gives up after `timeoutMs`, so a hung token endpoint becomes a transient failure. */
export function fetchWithTimeout(inner: typeof fetch, timeoutMs: number): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => inner(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) })) as typeof fetch;
}
