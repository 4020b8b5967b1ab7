import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkspaceRef } from '../domain/ids';
import { WorkspaceSyncClient } from '../client/workspace-sync-client';

/** What the connect flow asks of the workspace's sync workflow. */
export interface SyncControl {
  /** Tells a running workflow that its credentials were replaced; false when none runs. */
  credentialsUpdated(ref: WorkspaceRef): Promise<boolean>;
  /** Stops the workflow; false when none runs. */
  stop(ref: WorkspaceRef, reason: string): Promise<boolean>;
}

/** `SyncControl` through Temporal. */
export function temporalSyncControl(sync: WorkspaceSyncClient): SyncControl {
  return {
    credentialsUpdated: (ref) => sync.credentialsUpdated(ref),
    stop: async (ref, reason) => {
      try {
        await sync.terminate(ref, reason);
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
  };
}
