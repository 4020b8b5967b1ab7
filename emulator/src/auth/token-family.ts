import { TEAM_SCOPES, USER_SCOPES } from './scopes';
import type { AccessGrant, AppRegistration, GrantSubject } from './token-store';

/**
 * One authorization: the refresh token it produced (if offline) and every access token minted from
 * it. Revoking any member revokes them all, and a scope removed from the family is removed from every
 * member (dropbox-api-notes.md §3.2).
 */
export class TokenFamily {
  private revokedFlag = false;
  private readonly members: AccessToken[] = [];
  private granted: Set<string> | undefined;

  constructor(
    readonly subject: GrantSubject,
    readonly app: AppRegistration | undefined,
    scopes: Iterable<string> | undefined,
    /** Absent for online and long-lived authorizations. */
    readonly refreshToken: string | undefined,
  ) {
    this.granted = scopes === undefined ? undefined : new Set(scopes);
  }

  get revoked(): boolean {
    return this.revokedFlag;
  }

  /** Scopes the authorization holds; `undefined` means every scope (a legacy full-access token). */
  get scopes(): ReadonlySet<string> | undefined {
    return this.granted;
  }

  /**
   * Mints an access token. `narrowTo` (a refresh with `scope`) must be a subset of the family's
   * scopes; the caller checks that first.
   */
  mint(token: string, expiresAt: number | undefined, narrowTo?: readonly string[]): AccessToken {
    const member = new AccessToken(token, this, narrowTo ? new Set(narrowTo) : undefined, expiresAt);
    this.members.push(member);
    return member;
  }

  /**
   * Removes `scope` from the authorization and so from every token of it. A full-access family
   * becomes "every known scope but this one". False if the scope was not held.
   */
  removeScope(scope: string): boolean {
    if (this.granted === undefined) this.granted = new Set(this.subject.kind === 'team' ? [...USER_SCOPES, ...TEAM_SCOPES] : USER_SCOPES);
    return this.granted.delete(scope);
  }

  revoke(): void {
    this.revokedFlag = true;
  }

  /** Access tokens minted so far, oldest first. */
  accessTokens(): readonly AccessToken[] {
    return this.members;
  }
}

/** An access token: a grant whose subject, app and scopes come from its family. */
export class AccessToken implements AccessGrant {
  constructor(
    readonly token: string,
    readonly family: TokenFamily,
    /** Set when a refresh asked for fewer scopes than the family holds. */
    private readonly narrowed: ReadonlySet<string> | undefined,
    /** Epoch milliseconds; `undefined` never expires. */
    public expiresAt: number | undefined,
  ) {}

  get subject(): GrantSubject {
    return this.family.subject;
  }

  get app(): AppRegistration | undefined {
    return this.family.app;
  }

  get scopes(): ReadonlySet<string> | undefined {
    const granted = this.family.scopes;
    if (this.narrowed === undefined) return granted;
    if (granted === undefined) return this.narrowed;
    return new Set([...this.narrowed].filter((scope) => granted.has(scope)));
  }
}
