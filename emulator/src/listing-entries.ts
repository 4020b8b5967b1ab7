import type { CursorOptions } from './cursor';
import type { MetadataWire } from './metadata';
import type { Namespace } from './namespace';

/**
 * Applies a cursor's include flags to one entry the way Dropbox does: export-only files are left
 * out without include_non_downloadable_files, files gain `has_explicit_shared_members` when asked,
 * deleted entries gain `is_restorable` when asked. `undefined` drops the entry.
 */
export function shapeEntry(entry: MetadataWire, options: CursorOptions | undefined): MetadataWire | undefined {
  if (!options) return entry;
  if (options.n === false && entry['.tag'] === 'file' && entry.is_downloadable === false) return undefined;
  if (options.h && entry['.tag'] === 'file' && entry.has_explicit_shared_members === undefined) {
    return { ...entry, has_explicit_shared_members: false };
  }
  // The emulator keeps no version history to refuse a restore from, so every deletion is restorable.
  if (options.x && entry['.tag'] === 'deleted') return { ...entry, is_restorable: true } as MetadataWire;
  return entry;
}

/**
 * Past deletions an `include_deleted` listing shows: the paths whose last change at or before
 * `seq` was a deletion and that hold nothing now, in listing (`path_lower`) order. Built from the
 * change log once per snapshot and kept, since every page of one listing asks for the same one.
 */
export class TombstoneIndex {
  private cached?: { seq: number; namespace: Namespace; entries: { lower: string; metadata: MetadataWire }[] };

  at(namespace: Namespace, seq: number): readonly { lower: string; metadata: MetadataWire }[] {
    if (this.cached?.seq === seq && this.cached.namespace === namespace) return this.cached.entries;
    const last = new Map<string, MetadataWire>();
    for (const change of namespace.changesAfter(0)) {
      if (change.seq > seq) break;
      last.set(change.lower, change.metadata);
    }
    const entries = [...last]
      .filter(([lower, metadata]) => metadata['.tag'] === 'deleted' && namespace.get(lower) === undefined)
      .map(([lower, metadata]) => ({ lower, metadata }))
      .sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
    this.cached = { seq, namespace, entries };
    return entries;
  }
}

/** Index of the first entry whose key sorts after `after` (all of them when `after` is undefined). */
export function firstAfter(entries: readonly { lower: string }[], after: string | undefined): number {
  if (after === undefined) return 0;
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.lower <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
