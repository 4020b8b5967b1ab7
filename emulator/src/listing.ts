import { CursorState, encodeCursor } from './cursor';
import { MetadataWire, toWire } from './metadata';
import { Namespace } from './namespace';
import { isWithin, parentOf } from './paths';

export interface ListFolderPage {
  entries: MetadataWire[];
  cursor: string;
  has_more: boolean;
}

/**
 * Builds `list_folder` and `list_folder/continue` pages. A listing pages through the live tree in
 * `path_lower` order from a snapshot position in the change log; once it ends, the cursor replays
 * the log from that position. Anything that changed while the listing paged is therefore reported
 * again by the log, which is how a listing taken over a moving tree still converges.
 */
export class ListingEngine {
  constructor(private readonly namespace: Namespace) {}

  /** First page of a fresh listing of `scope`. */
  start(base: Omit<CursorState, 's' | 'k' | 'i'>): ListFolderPage {
    return this.page({ ...base, s: this.namespace.headSeq, i: true });
  }

  /** The page after `cursor`. */
  page(cursor: CursorState): ListFolderPage {
    return cursor.i ? this.listingPage(cursor) : this.changesPage(cursor);
  }

  /** A cursor at "now" without entries (`get_latest_cursor`). */
  latest(base: Omit<CursorState, 's' | 'k' | 'i'>): string {
    return encodeCursor({ ...base, s: this.namespace.headSeq, i: false });
  }

  private listingPage(cursor: CursorState): ListFolderPage {
    const entries: MetadataWire[] = [];
    const scopeEnd = `${cursor.p}/`;
    const keys = cursor.k !== undefined ? this.namespace.keysAfter(cursor.k) : this.startKeys(cursor.p);
    let last = cursor.k;
    for (const key of keys) {
      if (cursor.p !== '' && !isWithin(key, cursor.p)) {
        if (key > scopeEnd) break;
        continue;
      }
      if (!this.inScope(key, cursor)) continue;
      if (entries.length >= cursor.l) {
        return { entries, cursor: encodeCursor({ ...cursor, k: last }), has_more: true };
      }
      entries.push(toWire(this.namespace.get(key)!));
      last = key;
    }
    const { k: _done, ...rest } = cursor;
    return { entries, cursor: encodeCursor({ ...rest, i: false }), has_more: false };
  }

  private changesPage(cursor: CursorState): ListFolderPage {
    const entries: MetadataWire[] = [];
    let seq = cursor.s;
    for (const change of this.namespace.changesSince(cursor.s)) {
      if (entries.length >= cursor.l) break;
      seq = change.seq;
      if (this.inScope(change.lower, cursor)) entries.push(change.metadata);
    }
    return { entries, cursor: encodeCursor({ ...cursor, s: seq }), has_more: seq < this.namespace.headSeq };
  }

  private startKeys(scope: string): IterableIterator<string> {
    return scope === '' ? this.namespace.keysAfter(undefined) : this.namespace.keysFrom(scope);
  }

  /** Recursive listings include the listed folder itself (not the root); others only its children. */
  private inScope(lower: string, cursor: CursorState): boolean {
    if (cursor.r) return isWithin(lower, cursor.p) && !(cursor.p === '' && lower === '');
    return parentOf(lower) === cursor.p;
  }
}
