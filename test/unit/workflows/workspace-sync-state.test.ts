import type { CycleOutcome, SyncSchedule } from '../../../src/domain/sync-workflow';
import type { SyncChangesResult } from '../../../src/domain/sync';
import type { CarriedState } from '../../../src/domain/sync-workflow';
import { nextSlotAfter, phaseOffsetMs } from '../../../src/domain/schedule';
import { WorkspaceSyncState } from '../../../workflows/workspace-sync-state';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const SCHEDULE: SyncSchedule = { frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 24 * HOUR };

const TENANT = 't1';
const WORKSPACE = 'w1';

function newState(schedule: SyncSchedule, startedAtMs: number, carried?: CarriedState): WorkspaceSyncState {
  return new WorkspaceSyncState(TENANT, WORKSPACE, schedule, startedAtMs, carried);
}

function result(mode: 'incremental' | 'full'): SyncChangesResult {
  return {
    mode,
    pages: 1,
    upserts: 2,
    deletes: 0,
    swept: 0,
    skipped: 0,
    resets: 0,
    generation: 1,
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(T0).toISOString(),
  };
}

function ok(mode: 'incremental' | 'full', atMs: number): Omit<CycleOutcome, 'cycle'> {
  const at = new Date(atMs).toISOString();
  return { ok: true, result: result(mode), startedAt: at, finishedAt: at, durationMs: 0 };
}

function failed(atMs: number): Omit<CycleOutcome, 'cycle'> {
  const at = new Date(atMs).toISOString();
  return { ok: false, error: { type: 'DropboxUnavailableError', message: 'Dropbox down' }, startedAt: at, finishedAt: at, durationMs: 0 };
}

/** Runs one whole cycle at `atMs` and returns whether it was a full re-listing. */
function runCycle(state: WorkspaceSyncState, atMs: number, outcome: (fullRelist: boolean) => Omit<CycleOutcome, 'cycle'>): boolean {
  const { fullRelist } = state.beginCycle(atMs);
  state.finishCycle(outcome(fullRelist), atMs + 1000);
  return fullRelist;
}

describe('WorkspaceSyncState schedule', () => {
  it('has the first cycle due at once', () => {
    const state = newState(SCHEDULE, T0);
    expect(state.msUntilDue(T0)).toBe(0);
    expect(state.status(T0)).toMatchObject({ state: 'idle', cyclesCompleted: 0, nextDueAt: '2026-05-01T00:00:00.000Z', pendingRequests: 0 });
  });

  it('has the next cycle due on the first slot of its phase after the last cycle started', () => {
    const state = newState(SCHEDULE, T0);
    const phase = phaseOffsetMs(TENANT, WORKSPACE, 5 * MINUTE);
    runCycle(state, T0, () => ok('full', T0));
    const due = nextSlotAfter(T0, 5 * MINUTE, phase);

    expect(due).toBeGreaterThan(T0);
    expect(due).toBeLessThanOrEqual(T0 + 5 * MINUTE);
    expect((due - phase) % (5 * MINUTE)).toBe(0);
    expect(state.msUntilDue(T0 + 1000)).toBe(Math.max(0, due - T0 - 1000));
    expect(state.msUntilDue(due)).toBe(0);
    expect(state.status(T0 + 1000).nextDueAt).toBe(new Date(Math.max(due, T0 + 1000)).toISOString());
    // A cycle that starts on its slot has the next one a whole frequency later.
    runCycle(state, due, () => ok('incremental', due));
    expect(state.msUntilDue(due)).toBe(5 * MINUTE);
  });

  it('counts cycles, reports syncing while one runs, and keeps the last outcome', () => {
    const state = newState(SCHEDULE, T0);
    state.beginCycle(T0);
    expect(state.status(T0).state).toBe('syncing');
    const outcome = state.finishCycle(ok('full', T0), T0 + 1000);

    expect(outcome).toEqual({ cycle: 1, ...ok('full', T0) });
    expect(state.status(T0 + 2000)).toMatchObject({ state: 'idle', cyclesCompleted: 1, lastCycle: outcome, lastSuccessAt: outcome.finishedAt });
  });

  it('keeps the last success when a later cycle fails', () => {
    const state = newState(SCHEDULE, T0);
    runCycle(state, T0, () => ok('full', T0));
    runCycle(state, T0 + 5 * MINUTE, () => failed(T0 + 5 * MINUTE));

    const status = state.status(T0 + 6 * MINUTE);
    expect(status.lastSuccessAt).toBe('2026-05-01T00:00:00.000Z');
    expect(status.lastCycle).toMatchObject({ cycle: 2, ok: false });
  });
});

describe('WorkspaceSyncState requests', () => {
  it('answers requests made before a cycle starts with that cycle', () => {
    const state = newState(SCHEDULE, T0);
    const first = state.requestCycle(false, T0);
    const second = state.requestCycle(false, T0);
    expect(state.cycleRequested()).toBe(true);
    expect(state.status(T0).pendingRequests).toBe(2);

    state.beginCycle(T0);
    expect(state.cycleRequested()).toBe(false);
    expect(state.answerFor(first)).toBeUndefined();
    const outcome = state.finishCycle(ok('full', T0), T0 + 1000);

    expect(state.answerFor(first)).toEqual(outcome);
    expect(state.answerFor(second)).toEqual(outcome);
  });

  it('hands each answer out once', () => {
    const state = newState(SCHEDULE, T0);
    const ticket = state.requestCycle(false, T0);
    runCycle(state, T0, () => ok('full', T0));
    expect(state.answerFor(ticket)).toMatchObject({ cycle: 1 });
    expect(state.answerFor(ticket)).toBeUndefined();
  });

  it('makes a request that arrives during a cycle wait for the next cycle', () => {
    const state = newState(SCHEDULE, T0);
    const early = state.requestCycle(false, T0);
    state.beginCycle(T0);
    const late = state.requestCycle(false, T0);
    expect(state.cycleRequested()).toBe(true);
    expect(state.status(T0).pendingRequests).toBe(1);
    state.finishCycle(ok('full', T0), T0 + 1000);

    expect(state.answerFor(early)).toMatchObject({ cycle: 1 });
    expect(state.answerFor(late)).toBeUndefined();
    expect(state.cycleRequested()).toBe(true);

    runCycle(state, T0 + 2000, () => ok('incremental', T0 + 2000));
    expect(state.answerFor(late)).toMatchObject({ cycle: 2 });
    expect(state.cycleRequested()).toBe(false);
  });

  it('answers a request with a failed outcome when its cycle fails', () => {
    const state = newState(SCHEDULE, T0);
    const ticket = state.requestCycle(false, T0);
    runCycle(state, T0, () => failed(T0));
    expect(state.answerFor(ticket)).toMatchObject({ cycle: 1, ok: false, error: { type: 'DropboxUnavailableError' } });
  });
});

describe('WorkspaceSyncState full re-listing', () => {
  it('is not due for a plain scheduled cycle before the interval has passed', () => {
    const state = newState(SCHEDULE, T0);
    expect(state.beginCycle(T0 + 5 * MINUTE)).toEqual({ fullRelist: false });
  });

  it('is done when a request asks for it, once', () => {
    const state = newState(SCHEDULE, T0);
    state.requestCycle(false, T0);
    state.requestCycle(true, T0);
    expect(runCycle(state, T0, (full) => ok(full ? 'full' : 'incremental', T0))).toBe(true);
    expect(runCycle(state, T0 + 5 * MINUTE, () => ok('incremental', T0))).toBe(false);
  });

  it('asked for during a cycle applies to the next cycle', () => {
    const state = newState(SCHEDULE, T0);
    expect(state.beginCycle(T0)).toEqual({ fullRelist: false });
    state.requestCycle(true, T0);
    state.finishCycle(ok('incremental', T0), T0 + 1000);
    expect(state.beginCycle(T0 + 2000)).toEqual({ fullRelist: true });
  });

  it('comes due by interval, counted from the start of the workflow when no listing is known', () => {
    const state = newState(SCHEDULE, T0);
    expect(state.beginCycle(T0 + 24 * HOUR - 1)).toEqual({ fullRelist: false });
    state.finishCycle(ok('incremental', T0), T0 + 24 * HOUR);
    expect(state.beginCycle(T0 + 24 * HOUR)).toEqual({ fullRelist: true });
  });

  it('is counted from the last successful full listing', () => {
    const state = newState(SCHEDULE, T0);
    const listedAt = T0 + 10 * HOUR;
    state.beginCycle(listedAt - 1000);
    state.finishCycle(ok('full', listedAt), listedAt);

    expect(state.status(listedAt).lastFullListingAt).toBe('2026-05-01T10:00:00.000Z');
    expect(state.beginCycle(listedAt + 24 * HOUR - 1).fullRelist).toBe(false);
    state.finishCycle(ok('incremental', listedAt), listedAt + 24 * HOUR);
    expect(state.beginCycle(listedAt + 24 * HOUR).fullRelist).toBe(true);
  });

  it('stays due after a failed reconcile', () => {
    const state = newState(SCHEDULE, T0);
    expect(runCycle(state, T0 + 25 * HOUR, () => failed(T0))).toBe(true);
    expect(runCycle(state, T0 + 25 * HOUR + 5 * MINUTE, () => ok('full', T0))).toBe(true);
    expect(runCycle(state, T0 + 25 * HOUR + 10 * MINUTE, () => ok('incremental', T0))).toBe(false);
  });

  it('is never due by interval when the interval is 0', () => {
    const state = newState({ frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 0 }, T0);
    expect(state.beginCycle(T0 + 365 * 24 * HOUR)).toEqual({ fullRelist: false });
  });

  it('is still done on request when the interval is 0', () => {
    const state = newState({ frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 0 }, T0);
    state.requestCycle(true, T0);
    expect(state.beginCycle(T0)).toEqual({ fullRelist: true });
  });
});

describe('WorkspaceSyncState carryOver', () => {
  it('round-trips through continue-as-new: status, schedule and reconcile clock', () => {
    const before = newState(SCHEDULE, T0);
    runCycle(before, T0, () => ok('full', T0));
    runCycle(before, T0 + 5 * MINUTE, () => failed(T0 + 5 * MINUTE));
    const now = T0 + 7 * MINUTE;

    const carried = before.carryOver();
    expect(JSON.parse(JSON.stringify(carried))).toEqual(carried);
    const after = newState(SCHEDULE, T0 + 6 * HOUR, carried);

    expect(after.status(now)).toEqual(before.status(now));
    expect(after.msUntilDue(now)).toBe(before.msUntilDue(now));
    expect(after.carryOver()).toEqual(carried);
    runCycle(after, now + 5 * MINUTE, () => ok('incremental', now));
    expect(after.status(now + 4 * MINUTE).cyclesCompleted).toBe(3);
  });

  it('keeps the reconcile clock of the last full listing, not the new run start', () => {
    const before = newState(SCHEDULE, T0);
    runCycle(before, T0, () => ok('full', T0)); // full listing finished at T0 + 1 s
    const after = newState(SCHEDULE, T0 + 23 * HOUR, before.carryOver());
    expect(after.beginCycle(T0 + 24 * HOUR + 1000).fullRelist).toBe(true);
  });
});

describe('schedule phase', () => {
  it('is stable for a workspace and spreads many workspaces over the interval', () => {
    expect(phaseOffsetMs('t1', 'w1', HOUR)).toBe(phaseOffsetMs('t1', 'w1', HOUR));
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1000; i += 1) {
      const phase = phaseOffsetMs('tenant', `workspace-${i}`, HOUR);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(HOUR);
      buckets[Math.floor(phase / (HOUR / 10))]! += 1;
    }
    // Every tenth of the hour gets a share near 100 of the 1000 workspaces.
    for (const count of buckets) expect(count).toBeGreaterThan(60);
  });

  it('puts slots one frequency apart, strictly after the given time', () => {
    const phase = 17_000;
    const slot = nextSlotAfter(T0, MINUTE, phase);
    expect(slot).toBeGreaterThan(T0);
    expect(slot - T0).toBeLessThanOrEqual(MINUTE);
    expect(nextSlotAfter(slot, MINUTE, phase)).toBe(slot + MINUTE);
    expect(nextSlotAfter(slot - 1, MINUTE, phase)).toBe(slot);
  });
});

describe('WorkspaceSyncState settings', () => {
  it('re-plans at once when the frequency changes, keeping the phase grid', () => {
    const state = newState({ frequencyMs: HOUR, fullRelistIntervalMs: 0 }, T0);
    runCycle(state, T0, () => ok('full', T0));
    const version = state.planVersion;
    expect(state.msUntilDue(T0 + MINUTE)).toBeGreaterThan(0);

    state.applySettings({ frequencyMs: MINUTE, frequencySource: 'tenant', pausedBy: null });
    expect(state.planVersion).toBe(version + 1);
    const due = nextSlotAfter(T0, MINUTE, phaseOffsetMs(TENANT, WORKSPACE, MINUTE));
    expect(state.dueAtMs(T0 + 1000)).toBe(due);
    expect(state.msUntilDue(T0 + 2 * MINUTE)).toBe(0);
    expect(state.status(T0).schedule).toEqual({ frequencyMs: MINUTE, source: 'tenant', phaseMs: phaseOffsetMs(TENANT, WORKSPACE, MINUTE) });

    state.applySettings({ frequencyMs: null, frequencySource: 'default', pausedBy: null });
    expect(state.frequencyMs).toBe(HOUR);
  });

  it('schedules nothing while paused, keeps requests until resumed, and says so in status', () => {
    const state = newState(SCHEDULE, T0);
    state.applySettings({ frequencyMs: null, frequencySource: 'default', pausedBy: 'tenant' });
    state.requestCycle(false, T0);
    expect(state.msUntilDue(T0)).toBeUndefined();
    expect(state.cycleRequested()).toBe(false);
    expect(state.status(T0)).toMatchObject({ state: 'paused', pausedBy: 'tenant', nextDueAt: null, pendingRequests: 1 });

    state.applySettings({ frequencyMs: null, frequencySource: 'default', pausedBy: null });
    expect(state.cycleRequested()).toBe(true);
    expect(state.msUntilDue(T0)).toBe(0);
  });
});

describe('WorkspaceSyncState checks', () => {
  const check = (maxStalenessMs: number) => ({ tenantId: TENANT, workspaceId: WORKSPACE, maxStalenessMs, timeoutMs: 5000 });

  it('answers at once when fresh enough, measured from the start of the last good cycle', () => {
    const state = newState(SCHEDULE, T0);
    runCycle(state, T0, () => ok('full', T0));
    expect(state.answerAtOnce(check(MINUTE), T0 + MINUTE)).toEqual({
      fresh: true,
      outcome: 'already_fresh',
      syncedAt: new Date(T0).toISOString(),
      changes: 2,
      cycle: 1,
    });
    expect(state.answerAtOnce(check(MINUTE), T0 + MINUTE + 1)).toBeUndefined();
  });

  it('never calls a workspace that has not synced fresh', () => {
    const state = newState(SCHEDULE, T0);
    expect(state.answerAtOnce(check(24 * HOUR), T0)).toBeUndefined();
    expect(state.timedOutAnswer(check(24 * HOUR), T0)).toMatchObject({ fresh: false, outcome: 'timed_out', syncedAt: null });
  });

  it('answers at once, saying why, when paused or credential-blocked', () => {
    const state = newState(SCHEDULE, T0);
    state.applySettings({ frequencyMs: null, frequencySource: 'default', pausedBy: 'workspace' });
    expect(state.answerAtOnce(check(0), T0)).toMatchObject({ fresh: false, outcome: 'paused', pausedBy: 'workspace' });

    state.applySettings({ frequencyMs: null, frequencySource: 'default', pausedBy: null });
    state.beginCycle(T0);
    state.finishCycle({ ok: false, error: { type: 'DropboxCredentialError', message: 'invalid_access_token' }, startedAt: 'x', finishedAt: 'y', durationMs: 1 }, T0);
    expect(state.credentialHealth).toBe('blocked');
    expect(state.status(T0).state).toBe('blocked');
    expect(state.answerAtOnce(check(0), T0)).toMatchObject({ fresh: false, outcome: 'credentials_blocked', error: { type: 'DropboxCredentialError' } });

    state.credentialsUpdated();
    expect(state.credentialHealth).toBe('unknown');
    expect(state.cycleRequested()).toBe(true);
    expect(state.answerAtOnce(check(0), T0)).toBeUndefined();
  });

  it('answers from the cycle that served the ticket, with its change count', () => {
    const state = newState(SCHEDULE, T0);
    const ticket = state.requestCycle(false, T0);
    runCycle(state, T0 + 100, () => ok('full', T0 + 100));
    const outcome = state.answerFor(ticket)!;
    expect(state.answerFromCycle(outcome, check(0), T0 + 2000)).toEqual({
      fresh: true,
      outcome: 'synced',
      syncedAt: new Date(T0 + 100).toISOString(),
      changes: 2,
      cycle: 1,
    });
  });

  it('answers a waiting check from a cycle that was already running, when that makes it fresh enough', () => {
    const state = newState(SCHEDULE, T0);
    state.beginCycle(T0);
    const lenient = state.requestCycle(false, T0 + 100, 10_000);
    const strict = state.requestCycle(false, T0 + 100, 0);
    state.finishCycle(ok('incremental', T0), T0 + 500);

    expect(state.answerFor(lenient)).toMatchObject({ cycle: 1, ok: true });
    expect(state.answerFor(strict)).toBeUndefined();
    expect(state.status(T0 + 500).pendingRequests).toBe(1);
  });

  it('lets a withdrawn ticket cancel its cycle, while an abandoned one still gets it', () => {
    const state = newState(SCHEDULE, T0);
    const withdrawn = state.requestCycle(false, T0);
    state.withdraw(withdrawn);
    expect(state.cycleRequested()).toBe(false);
    const abandoned = state.requestCycle(false, T0);
    state.abandon(abandoned);
    expect(state.cycleRequested()).toBe(true);
    expect(state.status(T0).pendingRequests).toBe(0);
    runCycle(state, T0, () => ok('full', T0));
    expect(state.answerFor(abandoned)).toBeUndefined();
    expect(state.cycleRequested()).toBe(false);
  });

  it('carries settings, health and a wanted cycle across continue-as-new', () => {
    const before = newState(SCHEDULE, T0);
    before.applySettings({ frequencyMs: 2 * MINUTE, frequencySource: 'workspace', pausedBy: null });
    runCycle(before, T0, () => ok('full', T0));
    before.abandon(before.requestCycle(false, T0 + 1000));
    const after = newState(SCHEDULE, T0 + HOUR, JSON.parse(JSON.stringify(before.carryOver())) as CarriedState);
    expect(after.settingsKnown).toBe(true);
    expect(after.frequencyMs).toBe(2 * MINUTE);
    expect(after.credentialHealth).toBe('healthy');
    expect(after.cycleRequested()).toBe(true);
    expect(after.status(T0 + 2000)).toMatchObject({ syncedAt: new Date(T0).toISOString(), records: undefined });
  });
});

describe('WorkspaceSyncState credential probes', () => {
  const PROBE = 2 * MINUTE;

  function refused(atMs: number, health: 'revoked' | 'insufficient_scope' = 'revoked'): Omit<CycleOutcome, 'cycle'> {
    const at = new Date(atMs).toISOString();
    return { ok: false, error: { type: 'DropboxCredentialError', message: 'refused', health }, startedAt: at, finishedAt: at, durationMs: 0 };
  }

  function probing(): WorkspaceSyncState {
    const state = newState(SCHEDULE, T0);
    state.enableCredentialProbes(PROBE);
    return state;
  }

  it('a refusal blocks with the health state named, stops scheduled cycles and plans a probe', () => {
    const state = probing();
    runCycle(state, T0, () => refused(T0));
    expect(state.status(T0 + 1000)).toMatchObject({ state: 'blocked', credentialHealth: 'revoked', nextDueAt: null, nextProbeAt: new Date(T0 + 1000 + PROBE).toISOString() });
    expect(state.msUntilDue(T0 + HOUR)).toBeUndefined();
    expect(state.msUntilProbe(T0 + 1000 + PROBE / 2)).toBe(PROBE / 2);
    expect(state.msUntilProbe(T0 + 1000 + PROBE)).toBe(0);
  });

  it('a failed probe keeps the block and plans the next one; a usable one resumes sync at once', () => {
    const state = probing();
    runCycle(state, T0, () => refused(T0));
    const at = T0 + 1000 + PROBE;
    state.beginProbe(at);
    state.finishProbe({ usable: false, health: 'revoked' }, at + 10);
    expect(state.status(at + 10)).toMatchObject({ state: 'blocked', credentialHealth: 'revoked' });
    expect(state.msUntilProbe(at + 10)).toBe(PROBE);
    expect(state.cycleRequested()).toBe(false);

    state.beginProbe(at + PROBE);
    state.finishProbe({ usable: true, health: 'healthy' }, at + PROBE + 10);
    // No longer blocked; the last cycle's failure shows until the resumed cycle runs.
    expect(state.status(at + PROBE + 10)).toMatchObject({ state: 'failing', credentialHealth: 'healthy' });
    expect(state.cycleRequested()).toBe(true);
    expect(state.msUntilProbe(at + PROBE + 10)).toBeUndefined();
    // The resumed cycle continues from the cursor: not a full re-listing.
    expect(runCycle(state, at + PROBE + 20, (full) => ok(full ? 'full' : 'incremental', at + PROBE + 20))).toBe(false);
  });

  it('new credentials make a blocked workspace probe at once; an unblocked one syncs soon', () => {
    const state = probing();
    runCycle(state, T0, () => refused(T0));
    state.credentialsUpdated();
    expect(state.msUntilProbe(T0 + 2000)).toBe(0);
    expect(state.cycleRequested()).toBe(false);

    const healthy = probing();
    runCycle(healthy, T0, () => ok('full', T0));
    healthy.credentialsUpdated();
    expect(healthy.cycleRequested()).toBe(true);
    expect(healthy.msUntilProbe(T0 + 2000)).toBeUndefined();
  });

  it('checks answer at once while blocked, and a transient refresh failure shows as expired without blocking', () => {
    const state = probing();
    runCycle(state, T0, () => refused(T0, 'insufficient_scope'));
    expect(state.answerAtOnce({ tenantId: TENANT, workspaceId: WORKSPACE, maxStalenessMs: 0, timeoutMs: 1000 }, T0 + 2000)).toMatchObject({ outcome: 'credentials_blocked' });

    const flaky = probing();
    const at = new Date(T0).toISOString();
    runCycle(flaky, T0, () => ({ ok: false, error: { type: 'DropboxUnavailableError', message: 'token endpoint down', health: 'expired' }, startedAt: at, finishedAt: at, durationMs: 0 }));
    expect(flaky.status(T0 + 1000)).toMatchObject({ state: 'failing', credentialHealth: 'expired' });
    expect(flaky.msUntilDue(T0 + 1000)).toBeDefined();
  });

  it('carries the block and the pending probe across continue-as-new', () => {
    const state = probing();
    runCycle(state, T0, () => refused(T0));
    state.credentialsUpdated();
    const next = newState(SCHEDULE, T0 + 5000, state.carryOver());
    next.enableCredentialProbes(PROBE);
    expect(next.status(T0 + 5000)).toMatchObject({ state: 'blocked', credentialHealth: 'revoked' });
    expect(next.msUntilProbe(T0 + 5000)).toBe(0);
  });

  it('without probes (workflows begun before them) a refusal blocks as before and new credentials sync at once', () => {
    const state = newState(SCHEDULE, T0);
    runCycle(state, T0, () => refused(T0));
    expect(state.status(T0 + 1000)).toMatchObject({ state: 'blocked', credentialHealth: 'blocked' });
    expect(state.msUntilDue(T0 + 1000)).toBeDefined();
    expect(state.msUntilProbe(T0 + HOUR)).toBeUndefined();
    state.credentialsUpdated();
    expect(state.status(T0 + 2000)).toMatchObject({ credentialHealth: 'unknown' });
    expect(state.cycleRequested()).toBe(true);
  });
});

describe('WorkspaceSyncState credential probes and cycles', () => {
  it('new credentials that arrive during a cycle which then succeeds leave no probe pending', () => {
    const state = newState(SCHEDULE, T0);
    state.enableCredentialProbes(MINUTE);
    const at = new Date(T0).toISOString();
    runCycle(state, T0, () => ({ ok: false, error: { type: 'DropboxCredentialError', message: 'refused', health: 'revoked' }, startedAt: at, finishedAt: at, durationMs: 0 }));
    state.requestCycle(false, T0 + 2000);
    state.beginCycle(T0 + 2000);
    state.credentialsUpdated();
    state.finishCycle(ok('incremental', T0 + 2000), T0 + 3000);
    expect(state.probePending).toBe(false);
    expect(state.msUntilProbe(T0 + 3000)).toBeUndefined();
    expect(state.status(T0 + 3000)).toMatchObject({ state: 'idle', credentialHealth: 'healthy' });
  });
});
