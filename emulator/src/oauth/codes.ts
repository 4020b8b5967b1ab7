import { randomBytes } from 'node:crypto';
import type { Account } from '../account';
import type { RegisteredApp } from '../auth/apps';
import type { GrantSubject } from '../auth/token-store';
import type { ChallengeMethod } from './pkce';

/** `token_access_type` of the authorization: whether a refresh token comes with it. */
export type AccessType = 'offline' | 'online';

/** What the user approved, waiting to be exchanged at `/oauth2/token`. */
export interface PendingAuthorization {
  readonly app: RegisteredApp;
  readonly subject: GrantSubject;
  /** The signed-in user who approved (the team admin for a team-linked app). */
  readonly approver: Account;
  readonly scopes: readonly string[];
  readonly accessType: AccessType;
  /** The `redirect_uri` of the authorize request; the token request must repeat it. */
  readonly redirectUri?: string;
  readonly challenge?: { readonly value: string; readonly method: ChallengeMethod };
}

/** How long a code stays redeemable. Dropbox does not document it; OAuth recommends at most 10 minutes. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** Authorization codes: single-use and short-lived. */
export class AuthorizationCodes {
  private readonly pending = new Map<string, { authorization: PendingAuthorization; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  issue(authorization: PendingAuthorization): string {
    const code = randomBytes(32).toString('base64url');
    this.pending.set(code, { authorization, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  /** The authorization behind `code`, consumed by this call whatever happens next; expired codes give nothing. */
  redeem(code: string): PendingAuthorization | undefined {
    const entry = this.pending.get(code);
    this.pending.delete(code);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.authorization;
  }
}
