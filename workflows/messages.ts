import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { CycleOutcome, STATUS_QUERY, SYNC_NOW_UPDATE, SyncNowInput, WorkspaceSyncStatus } from '../src/domain/sync-workflow';

/**
 * Runs a cycle now (coalesced with other requests) and answers with the outcome of the first cycle
 * that began after the request.
 */
export const syncNowUpdate = defineUpdate<CycleOutcome, [SyncNowInput]>(SYNC_NOW_UPDATE);

/** Where the workspace's sync stands. */
export const statusQuery = defineQuery<WorkspaceSyncStatus>(STATUS_QUERY);
