import { randomBytes } from 'node:crypto';
import type { Account } from '../account';
import { ApiError } from '../api-error';

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
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/** The emulator's access tokens and the rules for turning an Authorization header into a grant. */
export class TokenStore {
  private readonly grants = new Map<string, AccessGrant>();

  /** Issues an access token for `account` (a chosen value, or a random `sl.` one). */
  issue(account: Account, options: { accessToken?: string; scopes?: readonly string[] } = {}): AccessGrant {
    const token = options.accessToken ?? `sl.${randomBytes(24).toString('base64url')}`;
    if (this.grants.has(token)) throw new Error(`access token already issued`);
    const grant: AccessGrant = { token, subject: { kind: 'user', account }, scopes: options.scopes ? new Set(options.scopes) : undefined };
    this.grants.set(token, grant);
    return grant;
  }

  /**
   * The grant for an `Authorization` header value. A missing or malformed header is a 400 in plain
   * text, a well-formed unknown token a 401 `invalid_access_token` (dropbox-api-notes.md §1.2).
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
    const grant = this.grants.get(match[1]!);
    if (!grant) throw ApiError.auth({ '.tag': 'invalid_access_token' });
    return grant;
  }
}

/** Refuses a call whose grant lacks `scope`: 401 `missing_scope` naming it. */
export function requireScope(grant: AccessGrant, scope: string | undefined): void {
  if (scope === undefined || grant.scopes === undefined || grant.scopes.has(scope)) return;
  throw ApiError.auth({ '.tag': 'missing_scope', required_scope: scope });
}
