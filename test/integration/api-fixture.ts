import { createWorkspaceSyncApi, WorkspaceSyncApi } from '../../src/api';
import { StartSyncOptions } from '../../src/client/workspace-sync-client';
import { Harness } from './harness';

export const SECOND = 1000;
export const HOUR = 3600 * SECOND;

/** Start options for tests: an hour between scheduled cycles unless settings say otherwise, no reconciles. */
export function startOptions(taskQueue: string, extra: Partial<StartSyncOptions> = {}): StartSyncOptions {
  return { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000, ...extra };
}

/** The library API on the harness's Temporal and MongoDB, with a 1 s floor so tests can watch schedules fire. */
export function createTestApi(harness: Harness, start: StartSyncOptions): WorkspaceSyncApi {
  return createWorkspaceSyncApi({ temporal: harness.client, db: harness.db, start, frequencyBounds: { minMs: SECOND, maxMs: 7 * 24 * HOUR } });
}
