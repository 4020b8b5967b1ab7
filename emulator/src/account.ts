import { createHash } from 'node:crypto';
import { ListingEngine } from './listing';
import { Namespace } from './namespace';

/** A personal Dropbox account: its identity, its single namespace and its cursor epoch. */
export class Account {
  readonly accountId: string;
  readonly namespaceId: string;
  readonly namespace: Namespace;
  readonly listing: ListingEngine;
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
    this.listing = new ListingEngine(this.namespace);
  }
}
