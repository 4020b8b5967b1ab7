import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Db } from 'mongodb';
import type { CheckResult } from '../domain/check';
import { InvalidInputError } from '../domain/errors';
import type { WorkspaceRef } from '../domain/ids';
import type { EffectiveSyncSettings, WorkspaceSyncStatus } from '../domain/sync-workflow';
import { StartSyncOptions, WorkspaceSyncClient } from '../client/workspace-sync-client';
import { ConnectionsRepository } from '../store/connections-repo';
import { SyncSettingsRepository } from '../store/sync-settings-repo';
import {
  ClearWorkspaceOverrideInput,
  describeSeconds,
  GetWorkspaceStatusInput,
  parseInput,
  PauseInput,
  RecheckCredentialsInput,
  RunWorkflowCheckInput,
  SetSyncFrequencyInput,
} from './inputs';

export interface WorkspaceSyncApiDeps {
  readonly temporal: Client;
  readonly db: Db;
  /** How a workspace's workflow is started when a check finds none running. */
  readonly start: StartSyncOptions;
  /** Floor and ceiling of admin-set frequencies (config `SYNC_FREQUENCY_MIN/MAX_SECONDS`). */
  readonly frequencyBounds: { readonly minMs: number; readonly maxMs: number };
  readonly clock?: () => Date;
}

/** Result of a settings change: where it applies, and which running workflows were told to re-plan. */
export interface SettingsChangeResult {
  readonly scope: 'tenant' | 'workspace';
  readonly tenantId: string;
  readonly workspaceId?: string;
  /** Workspaces whose running workflow was signalled (`scheduleChanged`). */
  readonly signalled: readonly string[];
}

export interface ClearOverrideResult extends SettingsChangeResult {
  /** False when the workspace had no override (nothing changed, nothing signalled). */
  readonly cleared: boolean;
  readonly settings: EffectiveSyncSettings;
}

export interface WorkspaceStatusResult {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly connected: boolean;
  /** Settings as stored; the workflow applies them at once when signalled. */
  readonly settings: EffectiveSyncSettings;
  /** The running workflow's status; null when none runs. */
  readonly workflow: WorkspaceSyncStatus | null;
}

/** The library Fostr's api and cli call: workflow checks and admin control of sync scheduling. */
export interface WorkspaceSyncApi {
  /** Freshness check for an Action; starts the workspace's workflow if needed; `not_connected` if there is nothing to sync. */
  runWorkflowCheck(input: RunWorkflowCheckInput): Promise<CheckResult>;
  /** Sets the tenant default (no `workspaceId`) or a workspace override, and re-plans affected workflows at once. */
  setSyncFrequency(input: SetSyncFrequencyInput): Promise<SettingsChangeResult>;
  /** Drops a workspace's override so it follows its tenant's default again. */
  clearWorkspaceOverride(input: ClearWorkspaceOverrideInput): Promise<ClearOverrideResult>;
  /** Pauses one workspace, or every workspace of a tenant (no `workspaceId`). */
  pauseWorkspace(input: PauseInput): Promise<SettingsChangeResult>;
  /** Resumes one workspace, or lifts a tenant-wide pause (a workspace's own pause stays). */
  resumeWorkspace(input: PauseInput): Promise<SettingsChangeResult>;
  getWorkspaceStatus(input: GetWorkspaceStatusInput): Promise<WorkspaceStatusResult>;
  /**
   * Probes the workspace's credentials now (credential health on demand): a blocked workspace
   * probes at once and resumes if they work again; a healthy one runs a cycle soon, which checks
   * them too. `signalled` is false when no workflow runs for the workspace.
   */
  recheckCredentials(input: RecheckCredentialsInput): Promise<{ readonly signalled: boolean }>;
}

const SIGNAL_CONCURRENCY = 16;

/** Builds the library API over Temporal and MongoDB. Inputs are validated (zod) and errors are typed. */
export function createWorkspaceSyncApi(deps: WorkspaceSyncApiDeps): WorkspaceSyncApi {
  const sync = new WorkspaceSyncClient(deps.temporal);
  const settings = new SyncSettingsRepository(deps.db);
  const connections = new ConnectionsRepository(deps.db);
  const clock = deps.clock ?? (() => new Date());

  /** Signals the running workflows of `workspaceIds`; returns those that were running. */
  async function signalAll(tenantId: string, workspaceIds: readonly string[]): Promise<string[]> {
    const signalled: string[] = [];
    for (let start = 0; start < workspaceIds.length; start += SIGNAL_CONCURRENCY) {
      const batch = workspaceIds.slice(start, start + SIGNAL_CONCURRENCY);
      const results = await Promise.all(batch.map((workspaceId) => sync.scheduleChanged({ tenantId, workspaceId })));
      batch.forEach((workspaceId, i) => results[i] && signalled.push(workspaceId));
    }
    return signalled;
  }

  function scopeResult(tenantId: string, workspaceId: string | undefined, signalled: string[]): SettingsChangeResult {
    return workspaceId === undefined ? { scope: 'tenant', tenantId, signalled } : { scope: 'workspace', tenantId, workspaceId, signalled };
  }

  async function setPaused(operation: string, raw: unknown, paused: boolean): Promise<SettingsChangeResult> {
    const { tenantId, workspaceId } = parseInput(operation, PauseInput, raw);
    if (workspaceId !== undefined) {
      await settings.setWorkspacePaused({ tenantId, workspaceId }, paused, clock());
      return scopeResult(tenantId, workspaceId, await signalAll(tenantId, [workspaceId]));
    }
    await settings.setTenantPaused(tenantId, paused, clock());
    return scopeResult(tenantId, undefined, await signalAll(tenantId, await connections.workspaceIds(tenantId)));
  }

  return {
    async runWorkflowCheck(raw) {
      const input = parseInput('runWorkflowCheck', RunWorkflowCheckInput, raw);
      if (!(await connections.isConnected(input))) {
        return { fresh: false, outcome: 'not_connected', syncedAt: null, changes: null, cycle: null };
      }
      // Update-with-start is the slower call (a start attempt each time), so a running workflow gets a plain update.
      try {
        return await sync.check(input);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        return sync.checkWithStart(input, deps.start);
      }
    },

    async setSyncFrequency(raw) {
      const { tenantId, workspaceId, frequencySeconds } = parseInput('setSyncFrequency', SetSyncFrequencyInput, raw);
      const min = deps.frequencyBounds.minMs / 1000;
      const max = deps.frequencyBounds.maxMs / 1000;
      if (frequencySeconds < min || frequencySeconds > max) {
        throw new InvalidInputError('setSyncFrequency', [
          `frequencySeconds: must be between ${min} (${describeSeconds(min)}) and ${max} (${describeSeconds(max)}), got ${frequencySeconds}`,
        ]);
      }
      if (workspaceId !== undefined) {
        await settings.setWorkspaceFrequency({ tenantId, workspaceId }, frequencySeconds, clock());
        return scopeResult(tenantId, workspaceId, await signalAll(tenantId, [workspaceId]));
      }
      await settings.setTenantFrequency(tenantId, frequencySeconds, clock());
      // Workspaces with their own frequency are not affected, so they are not disturbed.
      const [all, overriding] = await Promise.all([connections.workspaceIds(tenantId), settings.workspacesWithFrequencyOverride(tenantId)]);
      return scopeResult(tenantId, undefined, await signalAll(tenantId, all.filter((id) => !overriding.has(id))));
    },

    async clearWorkspaceOverride(raw) {
      const ref: WorkspaceRef = parseInput('clearWorkspaceOverride', ClearWorkspaceOverrideInput, raw);
      const cleared = await settings.clearWorkspaceFrequency(ref, clock());
      const signalled = cleared ? await signalAll(ref.tenantId, [ref.workspaceId]) : [];
      return { ...scopeResult(ref.tenantId, ref.workspaceId, signalled), cleared, settings: await settings.effective(ref) };
    },

    pauseWorkspace: (raw) => setPaused('pauseWorkspace', raw, true),
    resumeWorkspace: (raw) => setPaused('resumeWorkspace', raw, false),

    async getWorkspaceStatus(raw) {
      const ref: WorkspaceRef = parseInput('getWorkspaceStatus', GetWorkspaceStatusInput, raw);
      const [connected, effective, workflow] = await Promise.all([connections.isConnected(ref), settings.effective(ref), sync.statusIfRunning(ref)]);
      return { ...ref, connected, settings: effective, workflow: workflow ?? null };
    },

    async recheckCredentials(raw) {
      const ref: WorkspaceRef = parseInput('recheckCredentials', RecheckCredentialsInput, raw);
      return { signalled: await sync.credentialsUpdated(ref) };
    },
  };
}
