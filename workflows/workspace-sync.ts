import {
  allHandlersFinished,
  ApplicationFailure,
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import { CheckInput, CheckResult, checkInputProblems } from '../src/domain/check';
import { SEARCH_ATTRIBUTE_KEYS } from '../src/domain/search-attributes';
import type { CredentialHealthState } from '../src/domain/connection';
import { CREDENTIAL_PROBE_PATCH, CycleOutcome, DEFAULT_CREDENTIAL_PROBE_INTERVAL_MS, SyncNowInput, WorkspaceSyncInput } from '../src/domain/sync-workflow';
import { checkUpdate, credentialsUpdatedSignal, scheduleChangedSignal, statusQuery, syncNowUpdate } from './messages';
import { WorkspaceSyncState } from './workspace-sync-state';

/**
 * One per workspace (`dropbox-sync:<tenant>:<workspace>`): waits on a durable timer until the next
 * cycle is due (frequency and pause from MongoDB settings, on the workspace's phase) or a request
 * arrives, runs one `syncChanges` cycle, answers the checks and `syncNow` requests that cycle
 * served, keeps search attributes and memo current, and continues as new when Temporal suggests
 * it, once every handler has finished. Only this loop runs cycles, so two cycles of one workspace
 * never overlap. The rules live in `WorkspaceSyncState`; this file wires them to Temporal.
 */
export async function workspaceSyncWorkflow(input: WorkspaceSyncInput): Promise<void> {
  const ref = { tenantId: input.tenantId, workspaceId: input.workspaceId };
  const state = new WorkspaceSyncState(input.tenantId, input.workspaceId, input.schedule, workflowInfo().startTime.getTime(), input.carried);
  const { syncChanges } = proxyActivities<SyncActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const { loadSyncSettings } = proxyActivities<SyncActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  // A probe that cannot run now is simply tried again at the next probe time.
  const { probeCredentials } = proxyActivities<SyncActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
  });
  // Workflows begun before credential-health probes keep their old behaviour when replayed.
  if (patched(CREDENTIAL_PROBE_PATCH)) state.enableCredentialProbes(input.credentialProbeIntervalMs ?? DEFAULT_CREDENTIAL_PROBE_INTERVAL_MS);

  let reloads = 0;
  /** Loads settings; when reloads overlap, only the latest one's result is applied. */
  async function reloadSettings(): Promise<void> {
    const seq = (reloads += 1);
    const settings = await loadSyncSettings(ref);
    if (seq !== reloads) return;
    state.applySettings(settings);
    publish();
  }

  let published = '';
  /** Keeps search attributes and memo current; skips the upsert when nothing changed. */
  function publish(): void {
    const syncedAt = state.syncedAtMs;
    const last = state.status(Date.now()).lastCycle;
    const memo = {
      frequencyMs: state.frequencyMs,
      pausedBy: state.pausedBy,
      lastCycle: last ? { cycle: last.cycle, ok: last.ok, durationMs: last.durationMs, errorType: last.error?.type ?? null } : null,
    };
    const key = JSON.stringify([state.stateName(), state.credentialHealth, syncedAt, memo]);
    if (key === published) return;
    published = key;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTE_KEYS.tenantId, value: input.tenantId },
      { key: SEARCH_ATTRIBUTE_KEYS.workspaceId, value: input.workspaceId },
      { key: SEARCH_ATTRIBUTE_KEYS.syncState, value: state.stateName() },
      { key: SEARCH_ATTRIBUTE_KEYS.credentialHealth, value: state.credentialHealth },
      ...(syncedAt === undefined ? [] : [{ key: SEARCH_ATTRIBUTE_KEYS.lastSyncedAt, value: new Date(syncedAt) }]),
    ]);
    upsertMemo(memo);
  }

  setHandler(statusQuery, () => state.status(Date.now()));
  setHandler(scheduleChangedSignal, reloadSettings);
  setHandler(credentialsUpdatedSignal, () => {
    state.credentialsUpdated();
    publish();
  });
  setHandler(
    syncNowUpdate,
    async (request) => {
      const ticket = state.requestCycle(request.fullRelist ?? false, Date.now());
      let answer: CycleOutcome | undefined;
      await condition(() => (answer = state.answerFor(ticket)) !== undefined);
      return answer!;
    },
    {
      validator: (_request: SyncNowInput) => {
        if (state.pausedBy !== null) throw ApplicationFailure.nonRetryable(`workspace ${input.tenantId}/${input.workspaceId} is paused (by its ${state.pausedBy})`, 'WorkspacePaused');
      },
    },
  );
  setHandler(checkUpdate, check, {
    validator: (request) => {
      const problems = checkInputProblems(request);
      if (problems) throw ApplicationFailure.nonRetryable(`invalid check input: ${problems}`, 'InvalidCheckInput');
      if (request.tenantId !== input.tenantId || request.workspaceId !== input.workspaceId) {
        throw ApplicationFailure.nonRetryable(
          `check for ${request.tenantId}/${request.workspaceId} sent to the workflow of ${input.tenantId}/${input.workspaceId}`,
          'InvalidCheckInput',
        );
      }
    },
  });

  /** Answers at once when fresh, paused or blocked; else waits for a cycle that began after the request, or the timeout. */
  async function check(request: CheckInput): Promise<CheckResult> {
    // Before settings are first loaded no cycle can start, so a ticket taken now is served by the first one.
    const early = state.settingsKnown ? undefined : state.requestCycle(false, Date.now(), request.maxStalenessMs);
    await condition(() => state.settingsKnown);
    const atOnce = state.answerAtOnce(request, Date.now());
    if (atOnce) {
      if (early !== undefined) state.withdraw(early);
      return atOnce;
    }
    const ticket = early ?? state.requestCycle(false, Date.now(), request.maxStalenessMs);
    state.waitingChecks += 1;
    try {
      let answer: CheckResult | undefined;
      const settle = (): boolean => {
        const now = Date.now();
        const outcome = state.answerFor(ticket);
        answer = outcome ? state.answerFromCycle(outcome, request, now) : state.blockedAnswer(request, now);
        return answer !== undefined;
      };
      const settled = request.timeoutMs > 0 && (await condition(settle, request.timeoutMs));
      if (settled) {
        state.withdraw(ticket);
        return answer!;
      }
      state.abandon(ticket);
      return state.timedOutAnswer(request, Date.now());
    } finally {
      state.waitingChecks -= 1;
    }
  }

  const continueAsNewWanted = (): boolean =>
    workflowInfo().continueAsNewSuggested || (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);
  // Only a quiet workflow continues as new: no request waiting for a cycle, no handler running.
  const readyToContinueAsNew = (): boolean => continueAsNewWanted() && !state.cycleRequested() && !state.probePending && allHandlersFinished();

  /** Waits until a cycle or a credential probe is due or requested; returns 'done' when it is time to continue as new instead. */
  async function waitForWork(): Promise<'cycle' | 'probe' | 'done'> {
    for (;;) {
      if (readyToContinueAsNew()) return 'done';
      const now = Date.now();
      if (state.msUntilProbe(now) === 0) return 'probe';
      const untilDue = state.msUntilDue(now);
      if (untilDue === 0) return 'cycle';
      if (state.cycleRequested()) return 'cycle';
      const untilProbe = state.msUntilProbe(now);
      const wait = untilDue === undefined ? untilProbe : untilProbe === undefined ? untilDue : Math.min(untilDue, untilProbe);
      const version = state.planVersion;
      const wake = () => state.planVersion !== version || state.cycleRequested() || readyToContinueAsNew();
      if (wait === undefined) await condition(wake);
      else await condition(wake, wait);
    }
  }

  /** Checks blocked credentials cheaply; when they work again the workspace resumes from its saved cursor. */
  async function runProbe(): Promise<void> {
    state.beginProbe(Date.now());
    let result: { usable: boolean; health: CredentialHealthState };
    try {
      result = await probeCredentials(ref);
    } catch (error) {
      log.warn('credential probe failed', { ...ref, errorType: (error as Error).name });
      result = { usable: false, health: state.credentialHealth === 'blocked' ? 'unknown' : state.credentialHealth };
    }
    state.finishProbe(result, Date.now());
    publish();
  }

  async function runCycle(): Promise<void> {
    const startedAtMs = Date.now();
    const { fullRelist } = state.beginCycle(startedAtMs);
    publish();
    const startedAt = new Date(startedAtMs).toISOString();
    try {
      const result = await syncChanges({ ...ref, fullRelist });
      state.finishCycle({ ok: true, result, startedAt, finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAtMs }, Date.now());
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
      const health = healthOf(cause);
      const failure = { type: cause?.type ?? (error as Error).name, message: cause?.message ?? (error as Error).message, ...(health ? { health } : {}) };
      log.warn('sync cycle failed', { ...ref, errorType: failure.type });
      state.finishCycle({ ok: false, error: failure, startedAt, finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAtMs }, Date.now());
    }
    publish();
  }

  if (!state.settingsKnown) await reloadSettings();
  publish();
  for (let work = await waitForWork(); work !== 'done'; work = await waitForWork()) {
    if (work === 'probe') await runProbe();
    else await runCycle();
  }
  await continueAsNew<typeof workspaceSyncWorkflow>({ ...input, carried: state.carryOver() });
}

/** The health state a failed `syncChanges` reported in its details (see `SyncFailureDetails`). */
function healthOf(failure: ApplicationFailure | undefined): CredentialHealthState | undefined {
  const detail: unknown = failure?.details?.[0];
  if (typeof detail !== 'object' || detail === null) return undefined;
  const health = (detail as { health?: unknown }).health;
  return typeof health === 'string' ? (health as CredentialHealthState) : undefined;
}
