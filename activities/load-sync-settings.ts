import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { WorkspaceRef } from '../src/domain/ids';
import { LoadSyncSettingsInput } from '../src/domain/sync';
import type { EffectiveSyncSettings } from '../src/domain/sync-workflow';
import { SyncSettingsRepository } from '../src/store/sync-settings-repo';

/** Builds `loadSyncSettings`: the workspace's frequency and pause as stored (override over tenant default). */
export function createLoadSyncSettings(settings: SyncSettingsRepository) {
  return async function loadSyncSettings(rawInput: LoadSyncSettingsInput): Promise<EffectiveSyncSettings> {
    const parsed = WorkspaceRef.safeParse(rawInput);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`invalid loadSyncSettings input: ${z.prettifyError(parsed.error)}`, 'InvalidInput');
    }
    return settings.effective(parsed.data);
  };
}
