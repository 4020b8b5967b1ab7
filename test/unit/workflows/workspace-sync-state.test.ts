import type { CycleOutcome, SyncSchedule } from '../../../src/domain/sync-workflow';
import type { SyncChangesResult } from '../../../src/domain/sync';
import { WorkspaceSyncState } from '../../../workflows/workspace-sync-state';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const SCHEDULE: SyncSchedule = { frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 24 * HOUR };

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
  return { ok: true, result: result(mode), startedAt: at, finishedAt: at };
}

function failed(atMs: number): Omit<CycleOutcome, 'cycle'> {
  const at = new Date(atMs).toISOString();
  return { ok: false, error: { type: 'DropboxUnavailableError', message: 'Dropbox down' }, startedAt: at, finishedAt: at };
}

/** Runs one whole cycle at `atMs` and returns whether it was a full re-listing. */
function runCycle(state: WorkspaceSyncState, atMs: number, outcome: (fullRelist: boolean) => Omit<CycleOutcome, 'cycle'>): boolean {
  const { fullRelist } = state.beginCycle(atMs);
  state.finishCycle(outcome(fullRelist), atMs + 1000);
  return fullRelist;
}

describe('WorkspaceSyncState schedule', () => {
  it('has the first cycle due at once', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    expect(state.msUntilDue(T0)).toBe(0);
    expect(state.status(T0)).toMatchObject({ state: 'waiting', cyclesCompleted: 0, nextDueAt: '2026-05-01T00:00:00.000Z', pendingRequests: 0 });
  });

  it('has the next cycle due one frequency after the last cycle started', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    runCycle(state, T0, () => ok('full', T0));

    expect(state.msUntilDue(T0 + 1000)).toBe(5 * MINUTE - 1000);
    expect(state.msUntilDue(T0 + 5 * MINUTE)).toBe(0);
    expect(state.msUntilDue(T0 + 9 * MINUTE)).toBe(0);
    expect(state.status(T0 + MINUTE).nextDueAt).toBe('2026-05-01T00:05:00.000Z');
  });

  it('counts cycles, reports syncing while one runs, and keeps the last outcome', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    state.beginCycle(T0);
    expect(state.status(T0).state).toBe('syncing');
    const outcome = state.finishCycle(ok('full', T0), T0 + 1000);

    expect(outcome).toEqual({ cycle: 1, ...ok('full', T0) });
    expect(state.status(T0 + 2000)).toMatchObject({ state: 'waiting', cyclesCompleted: 1, lastCycle: outcome, lastSuccessAt: outcome.finishedAt });
  });

  it('keeps the last success when a later cycle fails', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    runCycle(state, T0, () => ok('full', T0));
    runCycle(state, T0 + 5 * MINUTE, () => failed(T0 + 5 * MINUTE));

    const status = state.status(T0 + 6 * MINUTE);
    expect(status.lastSuccessAt).toBe('2026-05-01T00:00:00.000Z');
    expect(status.lastCycle).toMatchObject({ cycle: 2, ok: false });
  });
});

describe('WorkspaceSyncState requests', () => {
  it('answers requests made before a cycle starts with that cycle', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    const first = state.requestCycle(false);
    const second = state.requestCycle(false);
    expect(state.hasUnservedRequests()).toBe(true);
    expect(state.status(T0).pendingRequests).toBe(2);

    state.beginCycle(T0);
    expect(state.hasUnservedRequests()).toBe(false);
    expect(state.answerFor(first)).toBeUndefined();
    const outcome = state.finishCycle(ok('full', T0), T0 + 1000);

    expect(state.answerFor(first)).toEqual(outcome);
    expect(state.answerFor(second)).toEqual(outcome);
  });

  it('hands each answer out once', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    const ticket = state.requestCycle(false);
    runCycle(state, T0, () => ok('full', T0));
    expect(state.answerFor(ticket)).toMatchObject({ cycle: 1 });
    expect(state.answerFor(ticket)).toBeUndefined();
  });

  it('makes a request that arrives during a cycle wait for the next cycle', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    const early = state.requestCycle(false);
    state.beginCycle(T0);
    const late = state.requestCycle(false);
    expect(state.hasUnservedRequests()).toBe(true);
    expect(state.status(T0).pendingRequests).toBe(1);
    state.finishCycle(ok('full', T0), T0 + 1000);

    expect(state.answerFor(early)).toMatchObject({ cycle: 1 });
    expect(state.answerFor(late)).toBeUndefined();
    expect(state.hasUnservedRequests()).toBe(true);

    runCycle(state, T0 + 2000, () => ok('incremental', T0 + 2000));
    expect(state.answerFor(late)).toMatchObject({ cycle: 2 });
    expect(state.hasUnservedRequests()).toBe(false);
  });

  it('answers a request with a failed outcome when its cycle fails', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    const ticket = state.requestCycle(false);
    runCycle(state, T0, () => failed(T0));
    expect(state.answerFor(ticket)).toMatchObject({ cycle: 1, ok: false, error: { type: 'DropboxUnavailableError' } });
  });
});

describe('WorkspaceSyncState full re-listing', () => {
  it('is not due for a plain scheduled cycle before the interval has passed', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    expect(state.beginCycle(T0 + 5 * MINUTE)).toEqual({ fullRelist: false });
  });

  it('is done when a request asks for it, once', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    state.requestCycle(false);
    state.requestCycle(true);
    expect(runCycle(state, T0, (full) => ok(full ? 'full' : 'incremental', T0))).toBe(true);
    expect(runCycle(state, T0 + 5 * MINUTE, () => ok('incremental', T0))).toBe(false);
  });

  it('asked for during a cycle applies to the next cycle', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    expect(state.beginCycle(T0)).toEqual({ fullRelist: false });
    state.requestCycle(true);
    state.finishCycle(ok('incremental', T0), T0 + 1000);
    expect(state.beginCycle(T0 + 2000)).toEqual({ fullRelist: true });
  });

  it('comes due by interval, counted from the start of the workflow when no listing is known', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    expect(state.beginCycle(T0 + 24 * HOUR - 1)).toEqual({ fullRelist: false });
    state.finishCycle(ok('incremental', T0), T0 + 24 * HOUR);
    expect(state.beginCycle(T0 + 24 * HOUR)).toEqual({ fullRelist: true });
  });

  it('is counted from the last successful full listing', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    const listedAt = T0 + 10 * HOUR;
    state.beginCycle(listedAt - 1000);
    state.finishCycle(ok('full', listedAt), listedAt);

    expect(state.status(listedAt).lastFullListingAt).toBe('2026-05-01T10:00:00.000Z');
    expect(state.beginCycle(listedAt + 24 * HOUR - 1).fullRelist).toBe(false);
    state.finishCycle(ok('incremental', listedAt), listedAt + 24 * HOUR);
    expect(state.beginCycle(listedAt + 24 * HOUR).fullRelist).toBe(true);
  });

  it('stays due after a failed reconcile', () => {
    const state = new WorkspaceSyncState(SCHEDULE, T0);
    expect(runCycle(state, T0 + 25 * HOUR, () => failed(T0))).toBe(true);
    expect(runCycle(state, T0 + 25 * HOUR + 5 * MINUTE, () => ok('full', T0))).toBe(true);
    expect(runCycle(state, T0 + 25 * HOUR + 10 * MINUTE, () => ok('incremental', T0))).toBe(false);
  });

  it('is never due by interval when the interval is 0', () => {
    const state = new WorkspaceSyncState({ frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 0 }, T0);
    expect(state.beginCycle(T0 + 365 * 24 * HOUR)).toEqual({ fullRelist: false });
  });

  it('is still done on request when the interval is 0', () => {
    const state = new WorkspaceSyncState({ frequencyMs: 5 * MINUTE, fullRelistIntervalMs: 0 }, T0);
    state.requestCycle(true);
    expect(state.beginCycle(T0)).toEqual({ fullRelist: true });
  });
});

describe('WorkspaceSyncState carryOver', () => {
  it('round-trips through continue-as-new: status, schedule and reconcile clock', () => {
    const before = new WorkspaceSyncState(SCHEDULE, T0);
    runCycle(before, T0, () => ok('full', T0));
    runCycle(before, T0 + 5 * MINUTE, () => failed(T0 + 5 * MINUTE));
    const now = T0 + 7 * MINUTE;

    const carried = before.carryOver();
    expect(JSON.parse(JSON.stringify(carried))).toEqual(carried);
    const after = new WorkspaceSyncState(SCHEDULE, T0 + 6 * HOUR, carried);

    expect(after.status(now)).toEqual(before.status(now));
    expect(after.msUntilDue(now)).toBe(3 * MINUTE);
    expect(after.carryOver()).toEqual(carried);
    runCycle(after, now + 3 * MINUTE, () => ok('incremental', now));
    expect(after.status(now + 4 * MINUTE).cyclesCompleted).toBe(3);
  });

  it('keeps the reconcile clock of the last full listing, not the new run start', () => {
    const before = new WorkspaceSyncState(SCHEDULE, T0);
    runCycle(before, T0, () => ok('full', T0)); // full listing finished at T0 + 1 s
    const after = new WorkspaceSyncState(SCHEDULE, T0 + 23 * HOUR, before.carryOver());
    expect(after.beginCycle(T0 + 24 * HOUR + 1000).fullRelist).toBe(true);
  });
});
