import type { Account } from '../account';
import { ListingEngine } from '../listing';
import { Namespace } from '../namespace';
import { isWithin } from '../paths';

/**
 * What one caller sees under one path root: a tree with its own change log, which cursors read.
 * A personal account's home view is its home namespace itself; every other view (a team member's
 * team space, an App folder, a shared folder selected by namespace id) mirrors its sources.
 */
export class View {
  readonly listing: ListingEngine;
  /** `path_lower` of every mount point (shared or team folder) in this view. */
  readonly mounts = new Set<string>();

  constructor(
    /** Names the view in cursors, so a cursor is only accepted by the view that issued it. */
    readonly id: string,
    readonly account: Account,
    readonly namespace: Namespace,
  ) {
    this.listing = new ListingEngine(namespace, (lower) => this.isUnderMount(lower));
  }

  /**
   * Bumped when this view alone stops accepting its cursors (its root namespace was replaced),
   * leaving the account's other views alone.
   */
  ownEpoch = 0;

  /**
   * Cursors die with the account's epoch (`invalidateCursors`), whatever view issued them, and with
   * the view's own. Both only grow, so their sum changes whenever either does.
   */
  get cursorEpoch(): number {
    return this.account.cursorEpoch + this.ownEpoch;
  }

  /** True below a mount point (not on it): what `include_mounted_folders: false` leaves out. */
  isUnderMount(lower: string): boolean {
    if (this.mounts.size === 0) return false;
    for (const mount of this.mounts) if (lower !== mount && isWithin(lower, mount)) return true;
    return false;
  }

  /** The mount point `lower` lies in or on, if any. */
  mountAt(lower: string): string | undefined {
    for (const mount of this.mounts) if (isWithin(lower, mount)) return mount;
    return undefined;
  }
}
