import { pageFootprint, planPage, RecordSlot, RecordWrite } from '../../../src/domain/page-plan';
import { ancestorsOf } from '../../../src/domain/record';
import { EntryFields, RecordChange } from '../../../src/domain/record-change';

let idCounter = 0;
/** A unique Dropbox-style id per call, so tests never share records by accident. */
function newId(): string {
  idCounter += 1;
  return `id:plan-${idCounter}`;
}

function fileEntry(dropboxId: string, pathLower: string, rev = '0123456789a'): EntryFields {
  return {
    dropboxId,
    kind: 'file',
    name: pathLower.slice(pathLower.lastIndexOf('/') + 1),
    pathLower,
    pathDisplay: pathLower,
    size: 1,
    rev,
    contentHash: null,
    serverModified: new Date('2026-01-01T00:00:00Z'),
    clientModified: new Date('2026-01-01T00:00:00Z'),
    isDownloadable: true,
  };
}

function folderEntry(dropboxId: string, pathLower: string): EntryFields {
  return {
    dropboxId,
    kind: 'folder',
    name: pathLower.slice(pathLower.lastIndexOf('/') + 1),
    pathLower,
    pathDisplay: pathLower,
    size: null,
    rev: null,
    contentHash: null,
    serverModified: null,
    clientModified: null,
    isDownloadable: null,
  };
}

const upsert = (entry: EntryFields): RecordChange => ({ op: 'upsert', entry });
const del = (pathLower: string): RecordChange => ({ op: 'delete', pathLower });

function slot(dropboxId: string, pathLower: string, state: 'active' | 'deleted' = 'active'): RecordSlot {
  return { dropboxId, pathLower, ancestors: ancestorsOf(pathLower), state };
}

/** Writes as `id state [path]` lines, sorted; tombstone-only writes have no path. */
function summary(writes: readonly RecordWrite[]): string[] {
  return writes.map((write) => `${write.dropboxId} ${write.state}${write.entry ? ` ${write.entry.pathLower}` : ''}`).sort();
}

/** The stored records after writing a plan, as the records repository does. */
function applyWrites(existing: readonly RecordSlot[], writes: readonly RecordWrite[]): RecordSlot[] {
  const byId = new Map(existing.map((record) => [record.dropboxId, record]));
  for (const write of writes) {
    const before = byId.get(write.dropboxId);
    const pathLower = write.entry?.pathLower ?? before?.pathLower;
    if (pathLower === undefined) throw new Error(`tombstone for a record never stored: ${write.dropboxId}`);
    byId.set(write.dropboxId, slot(write.dropboxId, pathLower, write.state));
  }
  return [...byId.values()];
}

function endStates(records: readonly RecordSlot[]): string[] {
  return records.map((record) => `${record.dropboxId} ${record.state} ${record.pathLower}`).sort();
}

describe('planPage', () => {
  it('adds a new record', () => {
    const id = newId();
    const entry = fileEntry(id, '/docs/a.txt');
    expect(planPage([], [upsert(entry)])).toEqual({ writes: [{ dropboxId: id, entry, state: 'active' }], upserts: 1, deletes: 0 });
  });

  it('updates an existing record in place with the newest entry', () => {
    const id = newId();
    const newer = fileEntry(id, '/a.txt', 'bbbbbbbbbbb');
    const plan = planPage([slot(id, '/a.txt')], [upsert(fileEntry(id, '/a.txt', 'aaaaaaaaaaa')), upsert(newer)]);
    expect(plan.writes).toEqual([{ dropboxId: id, entry: newer, state: 'active' }]);
    expect(plan.upserts).toBe(2);
  });

  it('a delete of a folder tombstones the folder and its whole subtree, not prefix siblings', () => {
    const [folder, child, grandchild, sibling, other] = [newId(), newId(), newId(), newId(), newId()];
    const existing = [slot(folder, '/d'), slot(child, '/d/x.txt'), slot(grandchild, '/d/e/y.txt'), slot(sibling, '/d e.txt'), slot(other, '/other.txt')];

    const plan = planPage(existing, [del('/d')]);

    expect(plan.writes).toEqual(expect.arrayContaining([{ dropboxId: folder, state: 'deleted' }]));
    expect(summary(plan.writes)).toEqual([`${folder} deleted`, `${child} deleted`, `${grandchild} deleted`].sort());
    expect(plan.writes.every((write) => !('entry' in write))).toBe(true);
    expect(plan.deletes).toBe(1);
  });

  it('a delete of an unknown path writes nothing (the entry is still counted)', () => {
    const id = newId();
    expect(planPage([slot(id, '/kept.txt')], [del('/never-seen.txt')])).toEqual({ writes: [], upserts: 0, deletes: 1 });
  });

  it('a move reported as delete then add keeps the id active at the new path', () => {
    const id = newId();
    const moved = fileEntry(id, '/b.txt');
    const plan = planPage([slot(id, '/a.txt')], [del('/a.txt'), upsert(moved)]);
    expect(plan.writes).toEqual([{ dropboxId: id, entry: moved, state: 'active' }]);
  });

  it('a move reported as add then delete of the old path also keeps it', () => {
    const id = newId();
    const moved = fileEntry(id, '/b.txt');
    const plan = planPage([slot(id, '/a.txt')], [upsert(moved), del('/a.txt')]);
    expect(plan.writes).toEqual([{ dropboxId: id, entry: moved, state: 'active' }]);
  });

  it('a folder move reported add-first keeps the folder and the re-reported children', () => {
    const [folder, child] = [newId(), newId()];
    const plan = planPage([slot(folder, '/a'), slot(child, '/a/c.txt')], [upsert(folderEntry(folder, '/b')), upsert(fileEntry(child, '/b/c.txt')), del('/a')]);
    expect(summary(plan.writes)).toEqual([`${folder} active /b`, `${child} active /b/c.txt`].sort());
  });

  it('a file replacing a folder tombstones the folder and everything below it', () => {
    const [folder, child, sub, deep, file] = [newId(), newId(), newId(), newId(), newId()];
    const existing = [slot(folder, '/x'), slot(child, '/x/c.txt'), slot(sub, '/x/sub'), slot(deep, '/x/sub/d.txt')];

    const plan = planPage(existing, [upsert(fileEntry(file, '/x'))]);

    expect(summary(plan.writes)).toEqual([`${folder} deleted`, `${child} deleted`, `${sub} deleted`, `${deep} deleted`, `${file} active /x`].sort());
  });

  it('a folder replacing a file keeps nothing of the file', () => {
    const [file, folder] = [newId(), newId()];
    const entry = folderEntry(folder, '/x');
    const plan = planPage([slot(file, '/x')], [upsert(entry)]);
    expect(plan.writes).toEqual(expect.arrayContaining([{ dropboxId: file, state: 'deleted' }, { dropboxId: folder, entry, state: 'active' }]));
    expect(plan.writes).toHaveLength(2);
  });

  it('a folder replacing a folder of another id keeps the children (files.stone rule)', () => {
    const [oldFolder, child, newFolder] = [newId(), newId(), newId()];
    const plan = planPage([slot(oldFolder, '/x'), slot(child, '/x/c.txt')], [upsert(folderEntry(newFolder, '/x'))]);
    expect(summary(plan.writes)).toEqual([`${oldFolder} deleted`, `${newFolder} active /x`].sort());
  });

  it('a delete then a re-add at the same path with a new id leaves only the new record active', () => {
    const [oldId, newIdAtPath] = [newId(), newId()];
    const plan = planPage([slot(oldId, '/a.txt')], [del('/a.txt'), upsert(fileEntry(newIdAtPath, '/a.txt'))]);
    expect(summary(plan.writes)).toEqual([`${oldId} deleted`, `${newIdAtPath} active /a.txt`].sort());
  });

  it('leaves a record deleted earlier untouched by a later delete of its path', () => {
    const id = newId();
    expect(planPage([slot(id, '/gone.txt', 'deleted')], [del('/gone.txt')]).writes).toEqual([]);
  });

  it('leaves a deleted record of another id untouched when something new takes its path', () => {
    const [oldId, freshId] = [newId(), newId()];
    const plan = planPage([slot(oldId, '/a.txt', 'deleted')], [upsert(fileEntry(freshId, '/a.txt'))]);
    expect(summary(plan.writes)).toEqual([`${freshId} active /a.txt`]);
  });

  it('writes each touched record once, with its end state', () => {
    const [id, other] = [newId(), newId()];
    const last = fileEntry(id, '/final.txt', 'ccccccccccc');
    const plan = planPage(
      [slot(id, '/a.txt'), slot(other, '/o.txt')],
      [upsert(fileEntry(id, '/a.txt', 'bbbbbbbbbbb')), del('/a.txt'), upsert(fileEntry(id, '/b.txt')), del('/o.txt'), upsert(last), del('/b.txt')],
    );

    expect(plan.writes.map((write) => write.dropboxId).sort()).toEqual([id, other].sort());
    expect(plan.writes).toEqual(expect.arrayContaining([{ dropboxId: id, entry: last, state: 'active' }, { dropboxId: other, state: 'deleted' }]));
    expect([plan.upserts, plan.deletes]).toEqual([3, 3]);
  });

  describe('a page mixing every rule', () => {
    const ids = Object.fromEntries(['moved', 'movedBack', 'folder', 'child', 'replacedFolder', 'replacedChild', 'fileAtRep', 'fileOut', 'folderIn', 'reused', 'reuser', 'stale', 'added', 'bystander'].map((name) => [name, newId()]));
    const existing = [
      slot(ids['moved']!, '/m/old.txt'),
      slot(ids['movedBack']!, '/r/old.txt'),
      slot(ids['folder']!, '/del'),
      slot(ids['child']!, '/del/c.txt'),
      slot(ids['replacedFolder']!, '/rep'),
      slot(ids['replacedChild']!, '/rep/inner.txt'),
      slot(ids['fileOut']!, '/swap'),
      slot(ids['reused']!, '/same.txt'),
      slot(ids['stale']!, '/stale.txt', 'deleted'),
      slot(ids['bystander']!, '/del stays.txt'),
    ];
    const page: RecordChange[] = [
      del('/m/old.txt'),
      upsert(fileEntry(ids['moved']!, '/m/new.txt')),
      upsert(fileEntry(ids['movedBack']!, '/r/new.txt')),
      del('/r/old.txt'),
      del('/del'),
      upsert(fileEntry(ids['fileAtRep']!, '/rep')),
      upsert(folderEntry(ids['folderIn']!, '/swap')),
      del('/same.txt'),
      upsert(fileEntry(ids['reuser']!, '/same.txt')),
      del('/stale.txt'),
      del('/nothing-here'),
      upsert(fileEntry(ids['added']!, '/added/new.txt')),
    ];

    it('plans the expected end states', () => {
      const after = applyWrites(existing, planPage(existing, page).writes);
      expect(endStates(after)).toEqual(
        [
          `${ids['moved']} active /m/new.txt`,
          `${ids['movedBack']} active /r/new.txt`,
          `${ids['folder']} deleted /del`,
          `${ids['child']} deleted /del/c.txt`,
          `${ids['replacedFolder']} deleted /rep`,
          `${ids['replacedChild']} deleted /rep/inner.txt`,
          `${ids['fileAtRep']} active /rep`,
          `${ids['fileOut']} deleted /swap`,
          `${ids['folderIn']} active /swap`,
          `${ids['reused']} deleted /same.txt`,
          `${ids['reuser']} active /same.txt`,
          `${ids['stale']} deleted /stale.txt`,
          `${ids['added']} active /added/new.txt`,
          `${ids['bystander']} active /del stays.txt`,
        ].sort(),
      );
    });

    it('replaying it over its own result gives the same end states (idempotence)', () => {
      const once = applyWrites(existing, planPage(existing, page).writes);
      const twice = applyWrites(once, planPage(once, page).writes);
      expect(endStates(twice)).toEqual(endStates(once));
    });

    it('replaying it after any subset of its writes landed (a crash mid-write) gives the same end states', () => {
      const plan = planPage(existing, page);
      const expected = endStates(applyWrites(existing, plan.writes));
      const failures: string[] = [];
      for (let mask = 0; mask < 2 ** plan.writes.length; mask += 1) {
        const landed = plan.writes.filter((_write, index) => (mask >> index) & 1);
        const partial = applyWrites(existing, landed);
        const replayed = applyWrites(partial, planPage(partial, page).writes);
        if (JSON.stringify(endStates(replayed)) !== JSON.stringify(expected)) failures.push(landed.map((write) => write.dropboxId).join(','));
      }
      expect(failures).toEqual([]);
    });

    it('planning over only the footprint records gives the same writes as over every record', () => {
      const { ids: footprintIds, paths } = pageFootprint(page);
      const loaded = existing.filter(
        (record) => footprintIds.includes(record.dropboxId) || paths.includes(record.pathLower) || record.ancestors.some((ancestor) => paths.includes(ancestor)),
      );
      expect(loaded.length).toBeLessThan(existing.length);
      expect(summary(planPage(loaded, page).writes)).toEqual(summary(planPage(existing, page).writes));
    });
  });
});

describe('pageFootprint', () => {
  it('collects upserted ids and every path the page names, once each', () => {
    const [a, b] = [newId(), newId()];
    const footprint = pageFootprint([upsert(fileEntry(a, '/x/a.txt')), del('/y'), upsert(fileEntry(a, '/z/a.txt')), del('/y'), upsert(folderEntry(b, '/x'))]);
    expect(footprint).toEqual({ ids: [a, b], paths: ['/x/a.txt', '/y', '/z/a.txt', '/x'] });
  });

  it('is empty for an empty page', () => {
    expect(pageFootprint([])).toEqual({ ids: [], paths: [] });
  });
});
