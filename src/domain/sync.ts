/** Inputs and results that cross the Temporal boundary: ids and counts only, never metadata. */

export interface SyncChangesInput {
  readonly tenantId: string;
  readonly workspaceId: string;
  /** Start a new generation with a full listing even if a cursor is saved (reconcile). */
  readonly fullRelist: boolean;
}

export interface SyncChangesResult {
  /** `incremental`: continued from a cursor. `full`: listed everything (first sync, reset, reconcile). */
  readonly mode: 'incremental' | 'full';
  readonly pages: number;
  readonly upserts: number;
  readonly deletes: number;
  /** Records tombstoned by the sweep that ends a full listing. */
  readonly swept: number;
  /** Entries ignored: unknown tags, or items not mounted (no path). */
  readonly skipped: number;
  readonly resets: number;
  readonly generation: number;
  /** Active records of the workspace once the cycle ended. */
  readonly records?: { readonly files: number; readonly folders: number };
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** Input of `loadSyncSettings`. */
export interface LoadSyncSettingsInput {
  readonly tenantId: string;
  readonly workspaceId: string;
}

/** Heartbeat details of `syncChanges`: progress counters for the Temporal UI. */
export interface SyncProgress {
  readonly pages: number;
  readonly entries: number;
}
