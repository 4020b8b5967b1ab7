import type { CarriedState, CycleOutcome, SyncSchedule, WorkspaceSyncStatus } from '../src/domain/sync-workflow';

/**
 * The sync loop's state and rules, free of Temporal calls so it is easy to read and to test:
 * when the next cycle is due, which requests a cycle serves, and what the status says.
 */
export class WorkspaceSyncState {
  private cyclesCompleted: number;
  private lastCycle?: CycleOutcome;
  private lastCycleStartedAtMs?: number;
  private lastSuccessAt?: string;
  private lastFullListingAtMs: number;
  private syncing = false;
  /** Requests are numbered; a cycle serves every request numbered up to `servingUpTo`. */
  private requested = 0;
  private servingUpTo = 0;
  private answeredUpTo = 0;
  private fullRelistRequested = false;
  private readonly answers = new Map<number, CycleOutcome>();

  /** `startedAtMs` stands in for the last full listing when none is known, so reconciles still come round. */
  constructor(
    private readonly schedule: SyncSchedule,
    startedAtMs: number,
    carried: CarriedState = { cyclesCompleted: 0 },
  ) {
    this.cyclesCompleted = carried.cyclesCompleted;
    this.lastCycle = carried.lastCycle;
    this.lastCycleStartedAtMs = carried.lastCycleStartedAtMs;
    this.lastSuccessAt = carried.lastSuccessAt;
    this.lastFullListingAtMs = carried.lastFullListingAtMs ?? startedAtMs;
  }

  /** Registers a request for a cycle; returns its ticket. */
  requestCycle(fullRelist: boolean): number {
    this.requested += 1;
    if (fullRelist) this.fullRelistRequested = true;
    return this.requested;
  }

  /** True when requests are waiting for a cycle that has not started yet. */
  hasUnservedRequests(): boolean {
    return this.requested > this.servingUpTo;
  }

  answerFor(ticket: number): CycleOutcome | undefined {
    const answer = this.answers.get(ticket);
    if (answer) this.answers.delete(ticket);
    return answer;
  }

  /** Milliseconds until the next scheduled cycle (0 when due or never run). */
  msUntilDue(nowMs: number): number {
    if (this.lastCycleStartedAtMs === undefined) return 0;
    return Math.max(0, this.lastCycleStartedAtMs + this.schedule.frequencyMs - nowMs);
  }

  /** Starts a cycle; returns whether it must be a full re-listing. */
  beginCycle(nowMs: number): { fullRelist: boolean } {
    this.syncing = true;
    this.servingUpTo = this.requested;
    this.lastCycleStartedAtMs = nowMs;
    const reconcileDue =
      this.schedule.fullRelistIntervalMs > 0 &&
      nowMs - this.lastFullListingAtMs >= this.schedule.fullRelistIntervalMs;
    const fullRelist = this.fullRelistRequested || reconcileDue;
    this.fullRelistRequested = false;
    return { fullRelist };
  }

  /** Records the outcome and answers every request the cycle served. */
  finishCycle(outcome: Omit<CycleOutcome, 'cycle'>, nowMs: number): CycleOutcome {
    this.syncing = false;
    this.cyclesCompleted += 1;
    const full: CycleOutcome = { cycle: this.cyclesCompleted, ...outcome };
    this.lastCycle = full;
    if (full.ok) this.lastSuccessAt = full.finishedAt;
    if (full.ok && full.result?.mode === 'full') this.lastFullListingAtMs = nowMs;
    for (let ticket = this.answeredUpTo + 1; ticket <= this.servingUpTo; ticket += 1) this.answers.set(ticket, full);
    this.answeredUpTo = this.servingUpTo;
    return full;
  }

  status(nowMs: number): WorkspaceSyncStatus {
    return {
      state: this.syncing ? 'syncing' : 'waiting',
      cyclesCompleted: this.cyclesCompleted,
      lastCycle: this.lastCycle,
      lastSuccessAt: this.lastSuccessAt,
      lastFullListingAt: new Date(this.lastFullListingAtMs).toISOString(),
      nextDueAt: new Date(nowMs + this.msUntilDue(nowMs)).toISOString(),
      pendingRequests: this.requested - this.servingUpTo,
    };
  }

  carryOver(): CarriedState {
    return {
      cyclesCompleted: this.cyclesCompleted,
      lastCycle: this.lastCycle,
      lastCycleStartedAtMs: this.lastCycleStartedAtMs,
      lastSuccessAt: this.lastSuccessAt,
      lastFullListingAtMs: this.lastFullListingAtMs,
    };
  }
}
