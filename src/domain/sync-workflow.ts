import type { CheckInput, CheckResult } from './check';
import type { CredentialHealthState } from './connection';
import type { SyncChangesResult } from './sync';

/**
 * The contract of the per-workspace sync workflow: names and payloads shared by the workflow code
 * and by clients in `src/`, so clients never import workflow code.
 */
export const WORKSPACE_SYNC_WORKFLOW = 'workspaceSyncWorkflow';
export const SYNC_NOW_UPDATE = 'syncNow';
export const CHECK_UPDATE = 'check';
export const STATUS_QUERY = 'status';
/** Signal: the workspace's or its tenant's settings (frequency, pause) changed in MongoDB; reload them now. */
export const SCHEDULE_CHANGED_SIGNAL = 'scheduleChanged';
/** Signal: the connection's credentials were replaced; forget a credential block and sync soon. */
export const CREDENTIALS_UPDATED_SIGNAL = 'credentialsUpdated';

export type { CheckInput, CheckResult };

/** How often a workspace blocked on its credentials probes them, unless the workflow input says otherwise. */
export const DEFAULT_CREDENTIAL_PROBE_INTERVAL_MS = 5 * 60_000;
/**
 * `patched()` id of the credential-health behaviour (probes while blocked, no scheduled cycles while
 * blocked, health state names). Histories recorded before it replay with the old behaviour.
 */
export const CREDENTIAL_PROBE_PATCH = 'credential-health-probes';

/** Settings the loop runs with. */
export interface SyncSchedule {
  /** Time between scheduled cycles when neither the workspace nor its tenant sets a frequency. */
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
  /** How often a workspace blocked on its credentials probes them. @default DEFAULT_CREDENTIAL_PROBE_INTERVAL_MS */
  readonly credentialProbeIntervalMs?: number;
  /** Tests only: continue as new once history has this many events, as if Temporal suggested it. */
  readonly continueAsNewAfterEvents?: number;
  /** Set by continue-as-new. */
  readonly carried?: CarriedState;
}

/** Input of the `syncNow` update. */
export interface SyncNowInput {
  /** List everything again (a reconcile) instead of continuing from the cursor. @default false */
  readonly fullRelist?: boolean;
}

/** Who paused a workspace: itself, or its whole tenant. */
export type PausedBy = 'workspace' | 'tenant';

/** A workspace's settings as stored (workspace override over tenant default), loaded by `loadSyncSettings`. */
export interface EffectiveSyncSettings {
  /** Null when neither the workspace nor the tenant sets one: the workflow's default applies. */
  readonly frequencyMs: number | null;
  readonly frequencySource: 'workspace' | 'tenant' | 'default';
  /** A workspace pause wins over a tenant pause in reports; either stops scheduled cycles. */
  readonly pausedBy: PausedBy | null;
}

/**
 * The connection's health state as the workflow last learned it (`unknown` until a cycle or probe
 * says otherwise); also the `FostrCredentialHealth` search attribute. `blocked` only in workflows
 * that began before the health state machine (see `CREDENTIAL_PROBE_PATCH`).
 */
export type CredentialHealth = CredentialHealthState | 'blocked';

/** What one cycle ended with: counts and error text only, no file metadata. */
export interface CycleOutcome {
  readonly cycle: number;
  readonly ok: boolean;
  readonly result?: SyncChangesResult;
  readonly error?: {
    readonly type: string;
    readonly message: string;
    /** The health state the failure put the connection in, when it says anything about the credentials. */
    readonly health?: CredentialHealthState;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
}

/** Overall state, also the `FostrSyncState` search attribute. */
export type SyncStateName = 'syncing' | 'idle' | 'failing' | 'paused' | 'blocked';

/** Answer of the `status` query. */
export interface WorkspaceSyncStatus {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly state: SyncStateName;
  readonly pausedBy: PausedBy | null;
  readonly credentialHealth: CredentialHealth;
  /** While blocked on credentials: when the next probe runs. */
  readonly nextProbeAt?: string;
  readonly schedule: { readonly frequencyMs: number; readonly source: EffectiveSyncSettings['frequencySource']; readonly phaseMs: number };
  /** Null while paused. */
  readonly nextDueAt: string | null;
  readonly cyclesCompleted: number;
  readonly lastCycle?: CycleOutcome;
  /** End of the last successful cycle. */
  readonly lastSuccessAt?: string;
  /** Start of the last successful cycle: the Recordset includes every change made before it. */
  readonly syncedAt?: string;
  readonly lastFullListingAt: string;
  /** Active records after the last successful cycle. */
  readonly records?: { readonly files: number; readonly folders: number };
  /** Requests (checks, syncNow) waiting for a cycle that has not started yet. */
  readonly pendingRequests: number;
  /** Checks waiting for an answer. */
  readonly waitingChecks: number;
}

/** State carried across continue-as-new. */
export interface CarriedState {
  readonly cyclesCompleted: number;
  readonly lastCycle?: CycleOutcome;
  readonly lastCycleStartedAtMs?: number;
  readonly lastSuccessAt?: string;
  readonly lastSuccessStartedAtMs?: number;
  /** Number and change count of the last successful cycle (what an `already_fresh` check sees). */
  readonly lastSuccessCycle?: { readonly cycle: number; readonly changes: number };
  readonly lastFullListingAtMs?: number;
  readonly records?: { readonly files: number; readonly folders: number };
  readonly settings?: EffectiveSyncSettings;
  readonly credentialHealth?: CredentialHealth;
  /** Sync waits for an admin to fix the credentials (probes only). */
  readonly credentialsBlocked?: boolean;
  readonly lastProbeAtMs?: number;
  /** New credentials arrived and have not been probed yet. */
  readonly probeRequested?: boolean;
  /** A cycle was asked for (without a waiting caller) and has not started yet. */
  readonly cycleRequested?: boolean;
}
