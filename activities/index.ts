import { ProbeCredentialsDeps } from '../src/services/credential-probe';
import { SyncCycleDeps } from '../src/services/sync-cycle';
import { SyncSettingsRepository } from '../src/store/sync-settings-repo';
import { createLoadSyncSettings } from './load-sync-settings';
import { createProbeCredentials } from './probe-credentials';
import { createSyncChanges } from './sync-changes';

/** What the activities need; the worker's composition root builds it. */
export interface ActivityDeps {
  readonly sync: SyncCycleDeps;
  readonly settings: SyncSettingsRepository;
  readonly probe: ProbeCredentialsDeps;
}

/** All activities, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    syncChanges: createSyncChanges(deps.sync),
    loadSyncSettings: createLoadSyncSettings(deps.settings),
    probeCredentials: createProbeCredentials(deps.probe),
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;
