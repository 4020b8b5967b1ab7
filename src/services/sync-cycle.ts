import { observationFromError } from '../domain/credential-health';
import { CursorResetError, ListingStalledError, WorkspaceNotConnectedError } from '../domain/errors';
import { WorkspaceRef } from '../domain/ids';
import { SyncChangesInput, SyncChangesResult, SyncProgress } from '../domain/sync';
import { DropboxClient } from '../dropbox/dropbox-client';
import { ParsedPage } from '../dropbox/list-folder-page';
import { RecordsRepository, WorkspaceRecords } from '../store/records-repo';
import { SyncStateRepository } from '../store/sync-state-repo';
import { CredentialAccess } from './credential-access';
import { CredentialMonitor } from './credential-monitor';

export interface SyncCycleDeps {
  readonly records: RecordsRepository;
  readonly syncState: SyncStateRepository;
  /** Opens the workspace's connection: token session, addressing. */
  readonly access: CredentialAccess;
  /** Records what each cycle learns about the credentials (health, alerts). */
  readonly monitor: CredentialMonitor;
  /** `limit` for `list_folder` (a hint; pages may be larger or smaller). */
  readonly pageLimit: number;
  readonly clock: () => Date;
}

export interface SyncCycleHooks {
  /** Called after each page is durably saved (heartbeats, progress bars). */
  readonly onPage?: (progress: SyncProgress) => void;
  /** Aborts between pages, never in the middle of saving one. */
  readonly signal?: AbortSignal;
}

/** A cursor that does not move for this many pages in a row means the listing is stuck. */
const MAX_STALLED_PAGES = 5;
/** Resets within one cycle beyond this mean something is wrong upstream; let the next cycle try. */
const MAX_RESETS_PER_CYCLE = 3;

/**
 * One sync cycle for a workspace: continue from the saved cursor, or list everything when there
 * is none (first sync), when Dropbox answers `reset`, or when a reconcile is asked for. Each page is
 * applied to the Recordset and only then is its cursor saved, so a crash at any point resumes from
 * a cursor that is never ahead of the records. A full listing ends with a sweep of what it did not
 * see; a partial listing never deletes anything.
 */
export async function runSyncCycle(deps: SyncCycleDeps, input: SyncChangesInput, hooks: SyncCycleHooks = {}): Promise<SyncChangesResult> {
  const ref: WorkspaceRef = { tenantId: input.tenantId, workspaceId: input.workspaceId };
  let result: SyncChangesResult | null;
  /** Which credentials the cycle ran with, so what it learns is not pinned on newer ones. */
  let credentialsVersion: number | undefined;
  try {
    result = await deps.access.withDropbox(ref, async (client, connection, session) => {
      credentialsVersion = connection.credentialsVersion;
      const done = await new SyncCycle(deps, ref, client, connection.rootPath, hooks).run(input.fullRelist);
      await deps.monitor.observe(ref, { kind: 'ok', expiring: session.expiring }, credentialsVersion);
      return done;
    });
  } catch (error) {
    // The cycle's own failures drive credential health too; transient ones change nothing. A store
    // failure while recording that must not hide the failure that ended the cycle.
    await deps.monitor.observe(ref, observationFromError(error), credentialsVersion).catch(() => undefined);
    throw error;
  }
  if (result === null) throw new WorkspaceNotConnectedError(ref.tenantId, ref.workspaceId);
  return result;
}


class SyncCycle {
  private readonly records: WorkspaceRecords;
  private readonly counts = { pages: 0, upserts: 0, deletes: 0, swept: 0, skipped: 0, resets: 0 };
  private readonly startedAt: Date;
  private fullListing = false;

  constructor(
    private readonly deps: SyncCycleDeps,
    private readonly ref: WorkspaceRef,
    private readonly dropbox: DropboxClient,
    private readonly rootPath: string,
    private readonly hooks: SyncCycleHooks,
  ) {
    this.records = deps.records.forWorkspace(ref);
    this.startedAt = deps.clock();
  }

  async run(fullRelist: boolean): Promise<SyncChangesResult> {
    const state = await this.deps.syncState.load(this.ref);
    let generation = state?.generation ?? 0;
    let listing = state?.listingInProgress ?? false;
    let cursor = state?.cursor ?? null;
    // A listing under way is resumed as it is: it already is the full listing a reconcile wants.
    if (!listing && (cursor === null || fullRelist)) {
      generation += 1;
      listing = true;
      cursor = null;
      await this.deps.syncState.startListing(this.ref, generation, this.deps.clock());
    } else {
      await this.deps.syncState.resetProgress(this.ref, this.deps.clock());
    }
    this.fullListing = listing;

    let stalledPages = 0;
    for (;;) {
      this.hooks.signal?.throwIfAborted();
      let page: ParsedPage;
      try {
        page = cursor === null ? await this.dropbox.listFolder({ path: this.rootPath, limit: this.deps.pageLimit }) : await this.dropbox.continueListing(cursor);
      } catch (error) {
        if (!(error instanceof CursorResetError) || this.counts.resets >= MAX_RESETS_PER_CYCLE) throw error;
        // The cursor is dead: list everything again as a new generation (mark and sweep).
        this.counts.resets += 1;
        generation += 1;
        listing = true;
        this.fullListing = true;
        cursor = null;
        stalledPages = 0;
        await this.deps.syncState.startListing(this.ref, generation, this.deps.clock());
        continue;
      }

      stalledPages = page.hasMore && page.cursor === cursor ? stalledPages + 1 : 0;
      if (stalledPages >= MAX_STALLED_PAGES) throw new ListingStalledError(stalledPages);

      const now = this.deps.clock();
      const applied = await this.records.applyChanges(page.changes, generation, now);
      this.counts.pages += 1;
      this.counts.upserts += applied.upserts;
      this.counts.deletes += applied.deletes;
      this.counts.skipped += page.skipped;
      const progress = { pages: this.counts.pages, entries: this.counts.upserts + this.counts.deletes };

      if (listing && !page.hasMore) {
        // The listing is complete, so whatever it did not see is gone from Dropbox.
        this.counts.swept += await this.records.sweepOlderGenerations(generation, now);
        await this.deps.syncState.completeListing(this.ref, { cursor: page.cursor, progress }, now);
        listing = false;
      } else {
        await this.deps.syncState.savePage(this.ref, { cursor: page.cursor, listingInProgress: listing, progress }, now);
      }
      cursor = page.cursor;
      this.hooks.onPage?.(progress);
      if (!page.hasMore) break;
    }

    return {
      mode: this.fullListing ? 'full' : 'incremental',
      ...this.counts,
      generation,
      records: await this.records.countActive(),
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.deps.clock().toISOString(),
    };
  }
}
