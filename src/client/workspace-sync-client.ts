import { Client, WithStartWorkflowOperation, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { CheckInput, CheckResult } from '../domain/check';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../domain/ids';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import {
  CHECK_UPDATE,
  CREDENTIALS_UPDATED_SIGNAL,
  CycleOutcome,
  SCHEDULE_CHANGED_SIGNAL,
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
  /** How often a workspace blocked on its credentials probes them (config `CREDENTIAL_PROBE_INTERVAL_SECONDS`). */
  readonly credentialProbeIntervalMs?: number;
  /** Tests only: continue as new once history has this many events. */
  readonly continueAsNewAfterEvents?: number;
}

/** Talks to workspaces' sync workflows through Temporal. Never touches Dropbox. */
export class WorkspaceSyncClient {
  constructor(private readonly client: Client) {}

  /** Starts the workspace's sync workflow, or keeps the one already running. */
  async start(ref: WorkspaceRef, options: StartSyncOptions): Promise<void> {
    await this.client.workflow.start(WORKSPACE_SYNC_WORKFLOW, startOptions(ref, options));
  }

  /** Runs a cycle now (shared with concurrent requests) and returns its outcome. */
  async syncNow(ref: WorkspaceRef, input: SyncNowInput = {}): Promise<CycleOutcome> {
    return this.handle(ref).executeUpdate<CycleOutcome, [SyncNowInput]>(SYNC_NOW_UPDATE, { args: [input] });
  }

  /** A workflow check on a running workflow (fails with WorkflowNotFoundError when none runs). */
  async check(input: CheckInput): Promise<CheckResult> {
    return this.handle(input).executeUpdate<CheckResult, [CheckInput]>(CHECK_UPDATE, { args: [input] });
  }

  /** A workflow check that starts the workspace's workflow first when none runs (update-with-start). */
  async checkWithStart(input: CheckInput, options: StartSyncOptions): Promise<CheckResult> {
    const ref = { tenantId: input.tenantId, workspaceId: input.workspaceId };
    const startWorkflowOperation = new WithStartWorkflowOperation(WORKSPACE_SYNC_WORKFLOW, startOptions(ref, options));
    return this.client.workflow.executeUpdateWithStart<Workflow, CheckResult, [CheckInput]>(CHECK_UPDATE, { args: [input], startWorkflowOperation });
  }

  /** Tells the workflow its settings changed; false when no workflow runs (it loads them when it starts). */
  async scheduleChanged(ref: WorkspaceRef): Promise<boolean> {
    return this.signalIfRunning(ref, SCHEDULE_CHANGED_SIGNAL);
  }

  /** Tells the workflow the connection's credentials were replaced; false when no workflow runs. */
  async credentialsUpdated(ref: WorkspaceRef): Promise<boolean> {
    return this.signalIfRunning(ref, CREDENTIALS_UPDATED_SIGNAL);
  }

  async status(ref: WorkspaceRef): Promise<WorkspaceSyncStatus> {
    return this.handle(ref).query<WorkspaceSyncStatus>(STATUS_QUERY);
  }

  /** The status of a running workflow, or undefined when none runs. */
  async statusIfRunning(ref: WorkspaceRef): Promise<WorkspaceSyncStatus | undefined> {
    try {
      const description = await this.handle(ref).describe();
      if (description.status.name !== 'RUNNING') return undefined;
      return await this.status(ref);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** Stops the workspace's workflow (used when a workspace is disconnected, and by the demo). */
  async terminate(ref: WorkspaceRef, reason: string): Promise<void> {
    await this.handle(ref).terminate(reason);
  }

  private async signalIfRunning(ref: WorkspaceRef, signal: string): Promise<boolean> {
    try {
      await this.handle(ref).signal(signal);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  private handle(ref: WorkspaceRef): WorkflowHandle {
    return this.client.workflow.getHandle(workspaceSyncWorkflowId({ tenantId: ref.tenantId, workspaceId: ref.workspaceId }));
  }
}

function startOptions(ref: WorkspaceRef, options: StartSyncOptions) {
  const input: WorkspaceSyncInput = {
    ...ref,
    schedule: options.schedule,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    ...(options.credentialProbeIntervalMs ? { credentialProbeIntervalMs: options.credentialProbeIntervalMs } : {}),
    ...(options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: options.continueAsNewAfterEvents } : {}),
  };
  return {
    workflowId: workspaceSyncWorkflowId(ref),
    taskQueue: options.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTE_KEYS.tenantId, value: ref.tenantId },
      { key: SEARCH_ATTRIBUTE_KEYS.workspaceId, value: ref.workspaceId },
      { key: SEARCH_ATTRIBUTE_KEYS.syncState, value: 'starting' },
    ],
  };
}
