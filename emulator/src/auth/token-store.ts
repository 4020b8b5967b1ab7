import type { Account } from '../account';
import { ApiError } from '../api-error';
import { AccessToken, TokenFamily } from './token-family';
import { isWellFormedAccessToken, newRefreshToken, newShortLivedToken } from './token-format';

/** The app a token was issued to. */
export interface AppRegistration {
  readonly appKey: string;
  /** An App-folder ("sandbox") app: its root is its app folder and `Dropbox-API-Path-Root` is refused. */
  readonly appFolder: boolean;
}

/**
 * Whom a token acts for: one user, or a whole team (a team-linked app), whose calls to user routes
 * must name a member with `Dropbox-API-Select-User`.
 */
export type GrantSubject = { readonly kind: 'user'; readonly account: Account } | { readonly kind: 'team'; readonly teamId: string };

/** What an access token allows: whose data, through which app, with which scopes. */
export interface AccessGrant {
  readonly token: string;
  readonly subject: GrantSubject;
  /** Absent for tokens created directly through the control interface (a full-Dropbox test app). */
  readonly app?: AppRegistration;
  /** Scopes granted; `undefined` means every scope (a legacy full-access token). */
  readonly scopes?: ReadonlySet<string>;
  /** The authorization the token belongs to; revoking it revokes every token of it. */
  readonly family: TokenFamily;
  /** When the token stops working (epoch ms); `undefined` for long-lived tokens. */
  readonly expiresAt?: number;
}

export interface TokenStoreOptions {
  /** Lifetime of short-lived access tokens (`expires_in`). @default 14400 (4 hours, as Dropbox) */
  readonly accessTokenLifetimeSeconds?: number;
  /** Clock, for tests that move time. @default Date.now */
  readonly now?: () => number;
}

/** What starting an authorization produced. */
export interface IssuedTokens {
  readonly family: TokenFamily;
  readonly access: AccessToken;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/** The emulator's tokens and the rules for turning an Authorization header into a grant. */
export class TokenStore {
  readonly accessTokenLifetimeSeconds: number;
  readonly now: () => number;
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly families = new Map<string, TokenFamily>();

  constructor(options: TokenStoreOptions = {}) {
    const lifetime = options.accessTokenLifetimeSeconds ?? 14_400;
    if (!Number.isInteger(lifetime) || lifetime < 1) throw new Error(`accessTokenLifetimeSeconds must be a whole number >= 1, got ${lifetime}`);
    this.accessTokenLifetimeSeconds = lifetime;
    this.now = options.now ?? Date.now;
  }

  /** Issues a long-lived, full-access token for `account` (a chosen value, or a random `sl.` one). */
  issue(account: Account, options: { accessToken?: string; scopes?: readonly string[] } = {}): AccessGrant {
    return this.issueLongLived({ kind: 'user', account }, options);
  }

  /** Issues a long-lived token (no expiry) for any subject, e.g. a team token for a team-linked app. */
  issueLongLived(subject: GrantSubject, options: { accessToken?: string; scopes?: readonly string[]; app?: AppRegistration } = {}): AccessToken {
    const token = options.accessToken ?? newShortLivedToken();
    if (this.accessTokens.has(token)) throw new Error(`access token already issued`);
    const family = new TokenFamily(subject, options.app, options.scopes, undefined);
    return this.remember(family.mint(token, undefined));
  }

  /**
   * Starts an authorization: one short-lived access token, plus a refresh token when `offline`.
   */
  authorize(input: { subject: GrantSubject; app?: AppRegistration; scopes?: readonly string[]; offline: boolean }): IssuedTokens {
    const family = new TokenFamily(input.subject, input.app, input.scopes, input.offline ? newRefreshToken() : undefined);
    if (family.refreshToken !== undefined) this.families.set(family.refreshToken, family);
    return { family, access: this.remember(family.mint(newShortLivedToken(), this.expiry())) };
  }

  /** A new short-lived access token for a family (the refresh grant); `narrowTo` limits its scopes. */
  mint(family: TokenFamily, narrowTo?: readonly string[]): AccessToken {
    return this.remember(family.mint(newShortLivedToken(), this.expiry(), narrowTo));
  }

  /** The family a refresh token belongs to (revoked or not). */
  familyOfRefreshToken(refreshToken: string): TokenFamily | undefined {
    return this.families.get(refreshToken);
  }

  /** The family of an access or refresh token, for control actions. */
  familyOf(token: string): TokenFamily | undefined {
    return this.accessTokens.get(token)?.family ?? this.families.get(token);
  }

  /** Makes an access token expired from now on (401 `expired_access_token`). False if unknown. */
  expireNow(accessToken: string): boolean {
    const grant = this.accessTokens.get(accessToken);
    if (!grant) return false;
    grant.expiresAt = this.now() - 1;
    return true;
  }

  /**
   * The grant for an `Authorization` header value. A missing or malformed header, or a damaged
   * token, is a 400 in plain text; a well-formed unknown or revoked token a 401
   * `invalid_access_token`; an expired one 401 `expired_access_token` (dropbox-api-notes.md §1.2).
   */
  authenticate(header: string | undefined, route: string): AccessGrant {
    if (header === undefined) {
      throw ApiError.badInput(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
    }
    const match = BEARER.exec(header);
    if (!match) {
      throw ApiError.badRequestText(
        `Error in call to API function "${route}": Invalid authorization value in HTTP header "Authorization": ${JSON.stringify(header.slice(0, 20))}.  Expecting "Bearer <oauth2-access-token>".`,
      );
    }
    const token = match[1]!;
    if (!isWellFormedAccessToken(token)) throw ApiError.badInput(route, 'The given OAuth 2 access token is malformed.');
    const grant = this.accessTokens.get(token);
    if (!grant || grant.family.revoked) throw ApiError.auth({ '.tag': 'invalid_access_token' });
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.now()) throw ApiError.auth({ '.tag': 'expired_access_token' });
    return grant;
  }

  private expiry(): number {
    return this.now() + this.accessTokenLifetimeSeconds * 1000;
  }

  private remember(token: AccessToken): AccessToken {
    this.accessTokens.set(token.token, token);
    return token;
  }
}

/** Refuses a call whose grant lacks `scope`: 401 `missing_scope` naming it. */
export function requireScope(grant: AccessGrant, scope: string | undefined): void {
  if (scope === undefined || grant.scopes === undefined || grant.scopes.has(scope)) return;
  throw ApiError.auth({ '.tag': 'missing_scope', required_scope: scope });
}
