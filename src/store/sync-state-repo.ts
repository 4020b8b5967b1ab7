import { Collection, Db, Document } from 'mongodb';
import { FieldCipher } from '../crypto';
import { WorkspaceRef } from '../domain/ids';
import { resealPage, ResealPageResult } from './reseal';

export const SYNC_STATE_COLLECTION = 'sync_state';

/** Where a workspace's sync stands. One document per workspace. */
export interface SyncStateDoc {
  readonly tenantId: string;
  readonly workspaceId: string;
  /** Cursor after the last page whose records are saved; null before the first page of a listing. Sealed at rest; `load` opens it. */
  readonly cursor: string | null;
  /** Generation of the current (or last) full listing. */
  readonly generation: number;
  /** True while a full listing is paging; its cursor then continues the listing, not the changes. */
  readonly listingInProgress: boolean;
  readonly lastFullListingAt: Date | null;
  /** Progress of the cycle under way, for status and the demo's progress bar. */
  readonly progress: { readonly pages: number; readonly entries: number };
  readonly updatedAt: Date;
}

export async function ensureSyncStateIndexes(db: Db): Promise<void> {
  // Load and save by workspace; unique so concurrent first writes cannot create two states.
  await db.collection(SYNC_STATE_COLLECTION).createIndex({ tenantId: 1, workspaceId: 1 }, { unique: true, name: 'workspace' });
}

/**
 * The saved cursor and listing generation. The sync saves a page's cursor only after that page's
 * records, so the cursor here is never ahead of the Recordset. The cursor is stored sealed: it
 * encodes the synced root path and, in Dropbox's format, can carry paths of the listing.
 */
export class SyncStateRepository {
  private readonly collection: Collection<SyncStateDoc>;

  constructor(
    db: Db,
    private readonly cipher: FieldCipher,
  ) {
    this.collection = db.collection<SyncStateDoc>(SYNC_STATE_COLLECTION);
  }

  async load(ref: WorkspaceRef): Promise<SyncStateDoc | null> {
    const doc = await this.collection.findOne(scope(ref), { projection: { _id: 0 } });
    if (!doc || doc.cursor === null) return doc;
    return { ...doc, cursor: this.cipher.open(doc.cursor, cursorContext(ref)) };
  }

  /** Begins full listing `generation`: drops the cursor so the next page comes from `list_folder`. */
  async startListing(ref: WorkspaceRef, generation: number, now: Date): Promise<void> {
    await this.collection.updateOne(
      scope(ref),
      { $set: { cursor: null, generation, listingInProgress: true, progress: { pages: 0, entries: 0 }, updatedAt: now } },
      { upsert: true },
    );
  }

  /** Saves the cursor of a page whose records are already stored. */
  async savePage(
    ref: WorkspaceRef,
    page: { cursor: string; listingInProgress: boolean; progress: { pages: number; entries: number } },
    now: Date,
  ): Promise<void> {
    await this.collection.updateOne(scope(ref), {
      $set: { cursor: this.sealCursor(ref, page.cursor), listingInProgress: page.listingInProgress, progress: page.progress, updatedAt: now },
    });
  }

  /** Saves the last page of a full listing, after its records and the sweep, ending the listing. */
  async completeListing(ref: WorkspaceRef, page: { cursor: string; progress: { pages: number; entries: number } }, now: Date): Promise<void> {
    await this.collection.updateOne(scope(ref), {
      $set: { cursor: this.sealCursor(ref, page.cursor), listingInProgress: false, lastFullListingAt: now, progress: page.progress, updatedAt: now },
    });
  }

  /** Resets the per-cycle progress counters at the start of a cycle. */
  async resetProgress(ref: WorkspaceRef, now: Date): Promise<void> {
    await this.collection.updateOne(scope(ref), { $set: { progress: { pages: 0, entries: 0 }, updatedAt: now } });
  }

  /** Moves one page of saved cursors (all workspaces, `_id` order) onto the active key, for `npm run reencrypt`. */
  async reencryptPage(after: unknown, limit: number): Promise<ResealPageResult> {
    return resealPage(this.collection as unknown as Collection<Document>, this.cipher, {
      field: 'cursor',
      contextFields: ['tenantId', 'workspaceId'],
      contextOf: (doc) => cursorContext({ tenantId: doc.tenantId as string, workspaceId: doc.workspaceId as string }),
      after,
      limit,
    });
  }

  private sealCursor(ref: WorkspaceRef, cursor: string): string {
    return this.cipher.seal(cursor, cursorContext(ref));
  }
}

/** Associated data of a workspace's sealed cursor: it opens only in that workspace's sync state. */
export function cursorContext(ref: WorkspaceRef): string {
  return `sync_state:${ref.tenantId}:${ref.workspaceId}:cursor`;
}

function scope(ref: WorkspaceRef): { tenantId: string; workspaceId: string } {
  return { tenantId: ref.tenantId, workspaceId: ref.workspaceId };
}
