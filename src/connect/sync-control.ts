import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkspaceRef } from '../domain/ids';
import { StartSyncOptions, WorkspaceSyncClient } from '../client/workspace-sync-client';

/** What the connect flow asks of the workspace's sync workflow. */
export interface SyncControl {
  /**
   * Tells a running workflow that its credentials were replaced, or starts the workspace's sync when
   * none runs and the control knows how; false when no workflow runs afterwards.
   */
  credentialsUpdated(ref: WorkspaceRef): Promise<boolean>;
  /** Stops the workflow; false when none runs. */
  stop(ref: WorkspaceRef, reason: string): Promise<boolean>;
}

/**
 * `SyncControl` through Temporal. With `start`, a connect also starts the workspace's sync when it
 * is not running yet, so connecting is all an admin has to do.
 */
export function temporalSyncControl(sync: WorkspaceSyncClient, start?: StartSyncOptions): SyncControl {
  return {
    credentialsUpdated: async (ref) => {
      if (await sync.credentialsUpdated(ref)) return true;
      if (!start) return false;
      await sync.start(ref, start);
      return true;
    },
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
