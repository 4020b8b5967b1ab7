import type { SyncChangesResult } from './sync';

/**
 * The contract of the per-workspace sync workflow: names and payloads shared by the workflow code
 * and by clients in `src/`, so clients never import workflow code.
 */
export const WORKSPACE_SYNC_WORKFLOW = 'workspaceSyncWorkflow';
export const SYNC_NOW_UPDATE = 'syncNow';
export const STATUS_QUERY = 'status';

/** Settings the loop runs with. */
export interface SyncSchedule {
  /** Time between the starts of two scheduled cycles. */
  readonly frequencyMs: number;
  /**
   * A reconcile (full re-listing) runs when the last full listing is older than this. It catches
   * what Dropbox never reports incrementally, such as case-only renames. 0 disables it.
   */
  readonly fullRelistIntervalMs: number;
}

export interface WorkspaceSyncInput {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly schedule: SyncSchedule;
  /** Heartbeat timeout of `syncChanges`: how soon a dead worker's cycle is retried elsewhere. */
  readonly heartbeatTimeoutMs: number;
  /** Set by continue-as-new. */
  readonly carried?: CarriedState;
}

/** Input of the `syncNow` update. */
export interface SyncNowInput {
  /** List everything again (a reconcile) instead of continuing from the cursor. @default false */
  readonly fullRelist?: boolean;
}

/** What one cycle ended with: counts and error text only, no file metadata. */
export interface CycleOutcome {
  readonly cycle: number;
  readonly ok: boolean;
  readonly result?: SyncChangesResult;
  readonly error?: { readonly type: string; readonly message: string };
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** Answer of the `status` query. */
export interface WorkspaceSyncStatus {
  readonly state: 'waiting' | 'syncing';
  readonly cyclesCompleted: number;
  readonly lastCycle?: CycleOutcome;
  readonly lastSuccessAt?: string;
  readonly lastFullListingAt: string;
  readonly nextDueAt: string;
  readonly pendingRequests: number;
}

/** State carried across continue-as-new. */
export interface CarriedState {
  readonly cyclesCompleted: number;
  readonly lastCycle?: CycleOutcome;
  readonly lastCycleStartedAtMs?: number;
  readonly lastSuccessAt?: string;
  readonly lastFullListingAtMs?: number;
}
