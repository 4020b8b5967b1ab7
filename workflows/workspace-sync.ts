import {
  allHandlersFinished,
  ApplicationFailure,
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import { SEARCH_ATTRIBUTE_KEYS } from '../src/domain/search-attributes';
import { statusQuery, syncNowUpdate } from './messages';
import type { CycleOutcome, WorkspaceSyncInput } from '../src/domain/sync-workflow';
import { WorkspaceSyncState } from './workspace-sync-state';

/**
 * One per workspace (`dropbox-sync:<tenant>:<workspace>`): waits on a durable timer until the next
 * cycle is due or a `syncNow` arrives, runs one `syncChanges` cycle, answers the requests that
 * cycle served, and continues as new when history grows. Only this loop runs cycles, so two cycles
 * of one workspace never overlap.
 */
export async function workspaceSyncWorkflow(input: WorkspaceSyncInput): Promise<void> {
  const state = new WorkspaceSyncState(input.schedule, workflowInfo().startTime.getTime(), input.carried);
  const { syncChanges } = proxyActivities<SyncActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });

  setHandler(statusQuery, () => state.status(Date.now()));
  setHandler(syncNowUpdate, async (request) => {
    const ticket = state.requestCycle(request.fullRelist ?? false);
    let answer: CycleOutcome | undefined;
    await condition(() => (answer = state.answerFor(ticket)) !== undefined);
    return answer!;
  });

  for (;;) {
    const untilDue = state.msUntilDue(Date.now());
    if (untilDue > 0) await condition(() => state.hasUnservedRequests(), untilDue);
    const { fullRelist } = state.beginCycle(Date.now());
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTE_KEYS.syncState, value: 'syncing' }]);
    const startedAt = new Date().toISOString();
    let outcome: CycleOutcome;
    try {
      const result = await syncChanges({ tenantId: input.tenantId, workspaceId: input.workspaceId, fullRelist });
      outcome = state.finishCycle({ ok: true, result, startedAt, finishedAt: new Date().toISOString() }, Date.now());
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
      const failure = { type: cause?.type ?? (error as Error).name, message: cause?.message ?? (error as Error).message };
      log.warn('sync cycle failed', { tenantId: input.tenantId, workspaceId: input.workspaceId, errorType: failure.type });
      outcome = state.finishCycle({ ok: false, error: failure, startedAt, finishedAt: new Date().toISOString() }, Date.now());
    }
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTE_KEYS.syncState, value: outcome.ok ? 'idle' : 'failing' },
      ...(outcome.ok ? [{ key: SEARCH_ATTRIBUTE_KEYS.lastSyncedAt, value: new Date(outcome.finishedAt) }] : []),
    ]);

    // Requests that arrived during the cycle need the next one, so only a quiet loop continues as new.
    if (workflowInfo().continueAsNewSuggested && !state.hasUnservedRequests()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof workspaceSyncWorkflow>({ ...input, carried: state.carryOver() });
    }
  }
}
