import { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { BlindIndex, FieldCipher } from '../crypto';
import { WorkspaceRef } from '../domain/ids';
import { ancestorsOf, DropboxRecord } from '../domain/record';
import { pageFootprint, planPage, RecordSlot } from '../domain/page-plan';
import { RecordChange } from '../domain/record-change';
import { RecordSealer, recordContext, StoredRecord } from './record-sealing';
import { resealPage, ResealPageResult } from './reseal';

export const RECORDS_COLLECTION = 'records';

/**
 * Writes per bulk request. FerretDB 1.24 (SQLite) never answers an update command of 100 or more
 * statements (measured: 99 returns in ~50 ms, 100 hangs), so pages are written in chunks well
 * below that. Each record is written once per page, so chunking changes no outcome.
 */
const WRITE_CHUNK = 50;

/** Creates the Recordset's indexes; each says which query it serves. */
export async function ensureRecordIndexes(db: Db): Promise<void> {
  const records = db.collection<StoredRecord>(RECORDS_COLLECTION);
  // The upsert key: one record per Dropbox id per workspace (moves keep the id).
  await records.createIndex({ tenantId: 1, workspaceId: 1, dropboxId: 1 }, { unique: true, name: 'workspace_dropbox_id' });
  // Path lookups and "something else now occupies this path" replacements, by blind index of path_lower.
  await records.createIndex({ tenantId: 1, workspaceId: 1, pathKey: 1 }, { name: 'workspace_path_key' });
  // Subtree deletes: every record below a deleted folder (multikey on the ancestors' blind indexes).
  await records.createIndex({ tenantId: 1, workspaceId: 1, ancestorKeys: 1 }, { name: 'workspace_ancestor_keys' });
  // The sweep after a full listing, and active-record queries.
  await records.createIndex({ tenantId: 1, workspaceId: 1, state: 1, generation: 1 }, { name: 'workspace_state_generation' });
}

/** Counts from applying one page of changes. */
export interface ApplyResult {
  readonly upserts: number;
  readonly deletes: number;
}

/**
 * The records of one workspace. Every query it runs is scoped to that workspace by construction.
 * Names, paths and content hashes are stored sealed (see `RecordSealer`); path matches use their
 * blind indexes, and whatever is loaded is opened here, so callers see plaintext records only.
 */
export class WorkspaceRecords {
  private readonly scope: { tenantId: string; workspaceId: string };

  constructor(
    private readonly collection: Collection<StoredRecord>,
    private readonly sealer: RecordSealer,
    ref: WorkspaceRef,
  ) {
    this.scope = { tenantId: ref.tenantId, workspaceId: ref.workspaceId };
  }

  /**
   * Applies one page of changes: loads the records the page can touch, plans their end states in
   * page order (see `planPage`), then writes each touched record once, keyed by `_id`. Re-applying
   * a page yields the same end state, so a page replayed after a crash is harmless.
   */
  async applyChanges(changes: readonly RecordChange[], generation: number, now: Date): Promise<ApplyResult> {
    if (changes.length === 0) return { upserts: 0, deletes: 0 };
    const { ids, paths } = pageFootprint(changes);
    const pathKeys = paths.map((path) => this.sealer.pathKey(path));
    // Tombstones matter to the plan only when the page upserts their id, so path matches load
    // active records only (fewer values to open).
    const loaded = await this.collection
      .find(
        {
          ...this.scope,
          $or: [{ dropboxId: { $in: ids } }, { pathKey: { $in: pathKeys }, state: 'active' }, { ancestorKeys: { $in: pathKeys }, state: 'active' }],
        },
        { projection: { _id: 0, dropboxId: 1, sealed: 1, state: 1 } },
      )
      .toArray();
    const existing = loaded.map((doc): RecordSlot => {
      const { pathLower } = this.sealer.open(doc);
      return { dropboxId: doc.dropboxId, pathLower, ancestors: ancestorsOf(pathLower), state: doc.state };
    });
    const plan = planPage(existing, changes);
    const operations: AnyBulkWriteOperation<StoredRecord>[] = plan.writes.map((write) => {
      const state = write.state === 'active' ? { state: 'active' as const, deletedAt: null } : { state: 'deleted' as const, deletedAt: now };
      if (!write.entry) {
        return { updateOne: { filter: { _id: this.recordKey(write.dropboxId) }, update: { $set: { ...state, syncedAt: now } } } };
      }
      const { name: _n, pathLower: _l, pathDisplay: _d, contentHash: _h, ...clear } = write.entry;
      const fields = { ...this.scope, ...clear, ...this.sealer.seal(write.entry), ...state, generation, origin: 'sync' as const, syncedAt: now };
      return { updateOne: { filter: { _id: this.recordKey(write.dropboxId) }, update: { $set: fields }, upsert: true } };
    });
    for (let start = 0; start < operations.length; start += WRITE_CHUNK) {
      await this.collection.bulkWrite(operations.slice(start, start + WRITE_CHUNK), { ordered: false });
    }
    return { upserts: plan.upserts, deletes: plan.deletes };
  }

  /**
   * The document key: workspace and Dropbox id in one string. Keying by `_id` makes every write a
   * primary-key update, which MongoDB-compatible servers without secondary-index pushdown (FerretDB
   * on SQLite) still serve without scanning.
   */
  private recordKey(dropboxId: string): string {
    return `${this.scope.tenantId}:${this.scope.workspaceId}:${dropboxId}`;
  }

  /** Tombstones active records that a completed full listing of `generation` did not see. */
  async sweepOlderGenerations(generation: number, now: Date): Promise<number> {
    const result = await this.collection.updateMany(
      { ...this.scope, state: 'active', generation: { $lt: generation } },
      { $set: { state: 'deleted', deletedAt: now, syncedAt: now } },
    );
    return result.modifiedCount;
  }

  /** Active records in `pathLower` order (sorted here: the server only sees ciphertext). */
  async listActive(): Promise<DropboxRecord[]> {
    const docs = await this.collection.find({ ...this.scope, state: 'active' }, { projection: { _id: 0 } }).toArray();
    const records = docs.map((doc) => this.sealer.toRecord(doc));
    return records.sort((a, b) => (a.pathLower < b.pathLower ? -1 : a.pathLower > b.pathLower ? 1 : 0));
  }

  /** Active records by kind. */
  async countActive(): Promise<{ files: number; folders: number }> {
    const [files, folders] = await Promise.all([
      this.collection.countDocuments({ ...this.scope, state: 'active', kind: 'file' }),
      this.collection.countDocuments({ ...this.scope, state: 'active', kind: 'folder' }),
    ]);
    return { files, folders };
  }
}

/** Entry point to the Recordset; hands out workspace-scoped views only. */
export class RecordsRepository {
  private readonly collection: Collection<StoredRecord>;

  constructor(
    db: Db,
    private readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
  ) {
    this.collection = db.collection<StoredRecord>(RECORDS_COLLECTION);
  }

  forWorkspace(ref: WorkspaceRef): WorkspaceRecords {
    return new WorkspaceRecords(this.collection, new RecordSealer(this.cipher, this.index, ref), ref);
  }

  /**
   * Moves one page of records (all workspaces, `_id` order) onto the active key, for
   * `npm run reencrypt`. Blind indexes are untouched: the index key is not rotated.
   */
  async reencryptPage(after: unknown, limit: number): Promise<ResealPageResult> {
    return resealPage(this.collection as unknown as Collection<Document>, this.cipher, {
      field: 'sealed',
      contextFields: ['tenantId', 'workspaceId', 'dropboxId'],
      contextOf: (doc) => recordContext({ tenantId: doc.tenantId as string, workspaceId: doc.workspaceId as string }, doc.dropboxId as string),
      after,
      limit,
    });
  }
}
