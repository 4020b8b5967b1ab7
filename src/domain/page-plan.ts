import { ancestorsOf } from './record';
import { EntryFields, RecordChange } from './record-change';

/** What planning needs to know of a stored record. */
export interface RecordSlot {
  readonly dropboxId: string;
  readonly pathLower: string;
  readonly ancestors: readonly string[];
  readonly state: 'active' | 'deleted';
}

/** The end state of one record after a page; each touched record is written once. */
export interface RecordWrite {
  readonly dropboxId: string;
  /** The entry's latest fields when the page upserted this id; absent for a tombstone only. */
  readonly entry?: EntryFields;
  readonly state: 'active' | 'deleted';
}

export interface PagePlan {
  readonly writes: RecordWrite[];
  readonly upserts: number;
  readonly deletes: number;
}

/**
 * Every path a page's changes can match. A stored record can be touched by the page only if its
 * id is upserted by the page, or its path is, or lies below, one of these paths; loading those
 * records is enough to plan the page exactly.
 */
export function pageFootprint(changes: readonly RecordChange[]): { ids: string[]; paths: string[] } {
  const ids = new Set<string>();
  const paths = new Set<string>();
  for (const change of changes) {
    if (change.op === 'delete') paths.add(change.pathLower);
    else {
      ids.add(change.entry.dropboxId);
      paths.add(change.entry.pathLower);
    }
  }
  return { ids: [...ids], paths: [...paths] };
}

/**
 * Applies a page's changes, strictly in order, to the records they can touch, and returns the end
 * state of each record that changed. The rules are list_folder's (files.stone): an entry replaces
 * whatever other item held its path; a file also removes everything below its path; a deletion
 * removes the item at its path and its whole subtree, and is ignored if nothing is there. Matching
 * uses each record's path as it stands at that point of the page, so a record that already moved
 * away is not removed by a later delete of its old path. Planning the same page again over its own
 * result yields the same end states, which makes replaying a page after a crash harmless.
 */
export function planPage(existing: readonly RecordSlot[], changes: readonly RecordChange[]): PagePlan {
  interface Working {
    pathLower: string;
    ancestors: readonly string[];
    state: 'active' | 'deleted';
    entry?: EntryFields;
    dirty: boolean;
  }
  const records = new Map<string, Working>();
  for (const slot of existing) records.set(slot.dropboxId, { ...slot, dirty: false });

  const tombstoneWhere = (matches: (record: Working, id: string) => boolean) => {
    for (const [id, record] of records) {
      if (record.state === 'active' && matches(record, id)) {
        record.state = 'deleted';
        record.dirty = true;
      }
    }
  };

  let upserts = 0;
  let deletes = 0;
  for (const change of changes) {
    if (change.op === 'delete') {
      deletes += 1;
      const path = change.pathLower;
      tombstoneWhere((record) => record.pathLower === path || record.ancestors.includes(path));
      continue;
    }
    upserts += 1;
    const { entry } = change;
    tombstoneWhere((record, id) => id !== entry.dropboxId && record.pathLower === entry.pathLower);
    if (entry.kind === 'file') tombstoneWhere((record) => record.ancestors.includes(entry.pathLower));
    records.set(entry.dropboxId, { pathLower: entry.pathLower, ancestors: ancestorsOf(entry.pathLower), state: 'active', entry, dirty: true });
  }

  const writes: RecordWrite[] = [];
  for (const [dropboxId, record] of records) {
    if (record.dirty) writes.push({ dropboxId, state: record.state, ...(record.entry ? { entry: record.entry } : {}) });
  }
  return { writes, upserts, deletes };
}
