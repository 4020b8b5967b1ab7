import { createHash } from 'node:crypto';
import { ListingEngine } from './listing';
import { Namespace } from './namespace';
import { View } from './world/view';
import type { TeamMembership } from './world/team';

/**
 * A Dropbox user: identity, home namespace and cursor epoch. On its own it is a personal account
 * (root namespace = home namespace); joining a team gives it a team space as its root (world/team.ts).
 */
export class Account {
  readonly accountId: string;
  /** The home namespace id (also the root namespace id while the account is personal). */
  readonly namespaceId: string;
  readonly namespace: Namespace;
  readonly listing: ListingEngine;
  /** What the account sees with no path root: its home namespace, mounts included. */
  readonly homeView: View;
  /** Set while the account is a member of a team. */
  membership?: TeamMembership;
  /** Bumped to invalidate every cursor issued so far (continue then answers `reset`). */
  cursorEpoch = 0;

  constructor(
    readonly displayName: string,
    readonly email: string,
    seed: string,
    reportCaseOnlyRenames: boolean,
  ) {
    const digest = createHash('sha256').update(`${seed}:account:${email}`).digest();
    // account_id is exactly 40 characters: "dbid:" + 35.
    this.accountId = `dbid:${digest.toString('base64url').slice(0, 35)}`;
    this.namespaceId = String(digest.readUInt32BE(0) + 1_000_000_000);
    this.namespace = new Namespace({ seed: `${seed}:${email}`, reportCaseOnlyRenames });
    // The home view keeps the account id as its cursor key, so personal-account cursors are unchanged.
    this.homeView = new View(this.accountId, this, this.namespace);
    this.listing = this.homeView.listing;
  }

  /** The namespace that `""` means under `{".tag": "root"}`: the team space for team members. */
  get rootNamespaceId(): string {
    return this.membership?.team.rootNamespaceId ?? this.namespaceId;
  }
}
