import { Client, WorkflowHandle } from '@temporalio/client';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../domain/ids';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import {
  CycleOutcome,
  STATUS_QUERY,
  SYNC_NOW_UPDATE,
  SyncNowInput,
  SyncSchedule,
  WORKSPACE_SYNC_WORKFLOW,
  WorkspaceSyncInput,
  WorkspaceSyncStatus,
} from '../domain/sync-workflow';

export interface StartSyncOptions {
  readonly taskQueue: string;
  readonly schedule: SyncSchedule;
  readonly heartbeatTimeoutMs: number;
}

/** Talks to workspaces' sync workflows through Temporal. Never touches Dropbox. */
export class WorkspaceSyncClient {
  constructor(private readonly client: Client) {}

  /** Starts the workspace's sync workflow, or keeps the one already running. */
  async start(ref: WorkspaceRef, options: StartSyncOptions): Promise<void> {
    const input: WorkspaceSyncInput = { ...ref, schedule: options.schedule, heartbeatTimeoutMs: options.heartbeatTimeoutMs };
    await this.client.workflow.start(WORKSPACE_SYNC_WORKFLOW, {
      workflowId: workspaceSyncWorkflowId(ref),
      taskQueue: options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTE_KEYS.tenantId, value: ref.tenantId },
        { key: SEARCH_ATTRIBUTE_KEYS.workspaceId, value: ref.workspaceId },
        { key: SEARCH_ATTRIBUTE_KEYS.syncState, value: 'starting' },
      ],
    });
  }

  /** Runs a cycle now (shared with concurrent requests) and returns its outcome. */
  async syncNow(ref: WorkspaceRef, input: SyncNowInput = {}): Promise<CycleOutcome> {
    return this.handle(ref).executeUpdate<CycleOutcome, [SyncNowInput]>(SYNC_NOW_UPDATE, { args: [input] });
  }

  async status(ref: WorkspaceRef): Promise<WorkspaceSyncStatus> {
    return this.handle(ref).query<WorkspaceSyncStatus>(STATUS_QUERY);
  }

  /** Stops the workspace's workflow (used when a workspace is disconnected, and by the demo). */
  async terminate(ref: WorkspaceRef, reason: string): Promise<void> {
    await this.handle(ref).terminate(reason);
  }

  private handle(ref: WorkspaceRef): WorkflowHandle {
    return this.client.workflow.getHandle(workspaceSyncWorkflowId(ref));
  }
}
