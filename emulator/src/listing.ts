import { CursorState, encodeCursor } from './cursor';
import type { PageShape } from './faults';
import { firstAfter, shapeEntry, TombstoneIndex } from './listing-entries';
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
  private readonly tombstones = new TombstoneIndex();

  /**
   * `isUnderMount` tells what `include_mounted_folders: false` leaves out: items below a shared
   * or team folder's mount point (the view that owns the namespace knows its mounts).
   */
  constructor(
    private readonly namespace: Namespace,
    private readonly isUnderMount: (lower: string) => boolean = () => false,
  ) {}

  /** First page of a fresh listing of `scope`; `shape` is an injected page fault. */
  start(base: Omit<CursorState, 's' | 'k' | 'i'>, shape?: PageShape): ListFolderPage {
    return this.page({ ...base, s: this.namespace.headSeq, i: true }, shape);
  }

  /** The page after `cursor`; `shape` is an injected page fault. */
  page(cursor: CursorState, shape?: PageShape): ListFolderPage {
    if (shape?.kind === 'empty') return { entries: [], cursor: encodeCursor({ ...cursor, n: (cursor.n ?? 0) + 1 }), has_more: true };
    if (shape?.kind === 'stuck') return this.stuckPage(cursor);
    const limit = shape?.kind === 'limit' ? shape.limit : cursor.l;
    return cursor.i ? this.listingPage(cursor, limit) : this.changesPage(cursor, limit);
  }

  /** Whether anything in the cursor's scope changed after it (what longpoll waits for). */
  changedInScope(cursor: CursorState): boolean {
    for (const change of this.namespace.changesAfter(cursor.s)) {
      if (this.inScope(change.lower, cursor) && shapeEntry(change.metadata, cursor.o)) return true;
    }
    return false;
  }

  /** A cursor at "now" without entries (`get_latest_cursor`). */
  latest(base: Omit<CursorState, 's' | 'k' | 'i'>): string {
    return encodeCursor({ ...base, s: this.namespace.headSeq, i: false });
  }

  /**
   * The live tree in `path_lower` order; with include_deleted, past deletions (tombstones as of the
   * snapshot) are merged in at their place in that order.
   */
  private listingPage(cursor: CursorState, limit: number): ListFolderPage {
    const entries: MetadataWire[] = [];
    const scopeEnd = `${cursor.p}/`;
    const keys = cursor.k !== undefined ? this.namespace.keysAfter(cursor.k) : this.startKeys(cursor.p);
    const tombstones = cursor.o?.d ? this.tombstones.at(this.namespace, cursor.s) : [];
    let next = firstAfter(tombstones, cursor.k);
    let last = cursor.k;
    /** Adds one candidate; false when the page is full and the candidate must wait for the next page. */
    const offer = (lower: string, metadata: () => MetadataWire): boolean => {
      if (!this.inScope(lower, cursor)) return true;
      if (entries.length >= limit) return false;
      const entry = shapeEntry(metadata(), cursor.o);
      if (entry) entries.push(entry);
      last = lower;
      return true;
    };
    const more = (): ListFolderPage => ({ entries, cursor: encodeCursor({ ...cursor, k: last }), has_more: true });
    for (const key of keys) {
      if (cursor.p !== '' && !isWithin(key, cursor.p)) {
        if (key > scopeEnd) break;
        continue;
      }
      for (; next < tombstones.length && tombstones[next]!.lower < key; next += 1) {
        const tombstone = tombstones[next]!;
        if (!offer(tombstone.lower, () => tombstone.metadata)) return more();
      }
      if (!offer(key, () => toWire(this.namespace.get(key)!))) return more();
    }
    for (; next < tombstones.length; next += 1) {
      const tombstone = tombstones[next]!;
      if (!offer(tombstone.lower, () => tombstone.metadata)) return more();
    }
    const { k: _done, ...rest } = cursor;
    return { entries, cursor: encodeCursor({ ...rest, i: false }), has_more: false };
  }

  /** Changes since the cursor, in log order; deletions are reported whatever include_deleted says (§6.9). */
  private changesPage(cursor: CursorState, limit: number): ListFolderPage {
    const entries: MetadataWire[] = [];
    let seq = cursor.s;
    for (const change of this.namespace.changesAfter(cursor.s)) {
      if (entries.length >= limit) break;
      seq = change.seq;
      if (!this.inScope(change.lower, cursor)) continue;
      const entry = shapeEntry(change.metadata, cursor.o);
      if (entry) entries.push(entry);
    }
    return { entries, cursor: encodeCursor({ ...cursor, s: seq }), has_more: seq < this.namespace.headSeq };
  }

  /**
   * A page that makes no progress (spatie/flysystem-dropbox#57): the listed folder itself, the same
   * cursor back, and `has_more` still true.
   */
  private stuckPage(cursor: CursorState): ListFolderPage {
    const folder = cursor.p === '' ? undefined : this.namespace.get(cursor.p);
    const entry = folder ? shapeEntry(toWire(folder), cursor.o) : undefined;
    return { entries: entry ? [entry] : [], cursor: encodeCursor(cursor), has_more: true };
  }

  private startKeys(scope: string): IterableIterator<string> {
    return scope === '' ? this.namespace.keysAfter(undefined) : this.namespace.keysFrom(scope);
  }

  /** Recursive listings include the listed folder itself (not the root); others only its children. */
  private inScope(lower: string, cursor: CursorState): boolean {
    if (cursor.o?.m === false && this.isUnderMount(lower)) return false;
    if (cursor.r) return isWithin(lower, cursor.p) && !(cursor.p === '' && lower === '');
    return parentOf(lower) === cursor.p;
  }
}
