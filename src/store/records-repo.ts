import { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { WorkspaceRef } from '../domain/ids';
import { ancestorsOf, DropboxRecord } from '../domain/record';
import { pageFootprint, planPage } from '../domain/page-plan';
import { RecordChange } from '../domain/record-change';

export const RECORDS_COLLECTION = 'records';

/**
 * Writes per bulk request. FerretDB 1.24 (SQLite) never answers an update command of 100 or more
 * statements (measured: 99 returns in ~50 ms, 100 hangs), so pages are written in chunks well
 * below that. Each record is written once per page, so chunking changes no outcome.
 */
const WRITE_CHUNK = 50;

/** A record as stored: keyed by `<tenant>:<workspace>:<dropbox id>`. */
type StoredRecord = DropboxRecord & { _id: string };

/** Creates the Recordset's indexes; each says which query it serves. */
export async function ensureRecordIndexes(db: Db): Promise<void> {
  const records = db.collection<StoredRecord>(RECORDS_COLLECTION);
  // The upsert key: one record per Dropbox id per workspace (moves keep the id).
  await records.createIndex({ tenantId: 1, workspaceId: 1, dropboxId: 1 }, { unique: true, name: 'workspace_dropbox_id' });
  // Path lookups and "something else now occupies this path" replacements.
  await records.createIndex({ tenantId: 1, workspaceId: 1, pathLower: 1 }, { name: 'workspace_path' });
  // Subtree deletes: every record below a deleted folder (multikey on the ancestor paths).
  await records.createIndex({ tenantId: 1, workspaceId: 1, ancestors: 1 }, { name: 'workspace_ancestors' });
  // The sweep after a full listing, and active-record queries.
  await records.createIndex({ tenantId: 1, workspaceId: 1, state: 1, generation: 1 }, { name: 'workspace_state_generation' });
}

/** Counts from applying one page of changes. */
export interface ApplyResult {
  readonly upserts: number;
  readonly deletes: number;
}

/** The records of one workspace. Every query it runs is scoped to that workspace by construction. */
export class WorkspaceRecords {
  private readonly scope: { tenantId: string; workspaceId: string };

  constructor(
    private readonly collection: Collection<StoredRecord>,
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
    const existing = await this.collection
      .find(
        { ...this.scope, $or: [{ dropboxId: { $in: ids } }, { pathLower: { $in: paths } }, { ancestors: { $in: paths } }] },
        { projection: { _id: 0, dropboxId: 1, pathLower: 1, ancestors: 1, state: 1 } },
      )
      .toArray();
    const plan = planPage(existing, changes);
    const operations: AnyBulkWriteOperation<StoredRecord>[] = plan.writes.map((write) => {
      const state = write.state === 'active' ? { state: 'active' as const, deletedAt: null } : { state: 'deleted' as const, deletedAt: now };
      if (!write.entry) {
        return { updateOne: { filter: { _id: this.recordKey(write.dropboxId) }, update: { $set: { ...state, syncedAt: now } } } };
      }
      const fields = { ...this.scope, ...write.entry, ancestors: ancestorsOf(write.entry.pathLower), ...state, generation, origin: 'sync' as const, syncedAt: now };
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

  /** Active records in `pathLower` order. */
  async listActive(): Promise<DropboxRecord[]> {
    return this.collection.find({ ...this.scope, state: 'active' }, { projection: { _id: 0 } }).sort({ pathLower: 1 }).toArray();
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

  constructor(db: Db) {
    this.collection = db.collection<StoredRecord>(RECORDS_COLLECTION);
  }

  forWorkspace(ref: WorkspaceRef): WorkspaceRecords {
    return new WorkspaceRecords(this.collection, ref);
  }
}
