import { SyncCycleDeps } from '../src/services/sync-cycle';
import { createSyncChanges } from './sync-changes';

/** What the activities need; the worker's composition root builds it. */
export interface ActivityDeps {
  readonly sync: SyncCycleDeps;
}

/** All activities, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    syncChanges: createSyncChanges(deps.sync),
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;
