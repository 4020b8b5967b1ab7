import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  CHECK_UPDATE,
  CheckInput,
  CheckResult,
  CREDENTIALS_UPDATED_SIGNAL,
  CycleOutcome,
  SCHEDULE_CHANGED_SIGNAL,
  STATUS_QUERY,
  SYNC_NOW_UPDATE,
  SyncNowInput,
  WorkspaceSyncStatus,
} from '../src/domain/sync-workflow';

/**
 * Runs a cycle now (coalesced with other requests) and answers with the outcome of the first cycle
 * that began after the request.
 */
export const syncNowUpdate = defineUpdate<CycleOutcome, [SyncNowInput]>(SYNC_NOW_UPDATE);

/** The client-facing freshness check for Actions (see `CheckResult`). */
export const checkUpdate = defineUpdate<CheckResult, [CheckInput]>(CHECK_UPDATE);

/** Settings in MongoDB changed (frequency, pause, resume): reload them and re-plan now. */
export const scheduleChangedSignal = defineSignal<[]>(SCHEDULE_CHANGED_SIGNAL);

/** The connection's credentials were replaced. */
export const credentialsUpdatedSignal = defineSignal<[]>(CREDENTIALS_UPDATED_SIGNAL);

/** Where the workspace's sync stands. */
export const statusQuery = defineQuery<WorkspaceSyncStatus>(STATUS_QUERY);
