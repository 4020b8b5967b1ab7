import type { CheckInput, CheckResult } from '../src/domain/check';
import { nextSlotAfter, phaseOffsetMs } from '../src/domain/schedule';
import type { CredentialHealthState } from '../src/domain/connection';
import type {
  CarriedState,
  CredentialHealth,
  CycleOutcome,
  EffectiveSyncSettings,
  SyncSchedule,
  SyncStateName,
  WorkspaceSyncStatus,
} from '../src/domain/sync-workflow';

const DEFAULT_SETTINGS: EffectiveSyncSettings = { frequencyMs: null, frequencySource: 'default', pausedBy: null };
/** Error types that mean Dropbox will not accept this connection until an admin acts. */
const CREDENTIAL_ERRORS = new Set(['DropboxCredentialError', 'WorkspaceNotConnectedError']);

/**
 * The sync loop's state and rules, free of Temporal calls so it is easy to read and to test:
 * when the next cycle is due, which requests a cycle serves, how a check is answered, and what
 * the status says.
 *
 * Requests (a check that needs a cycle, `syncNow`) get tickets. A cycle serves every ticket taken
 * before it began, so an answer always comes from a cycle that began after the request. A caller
 * that stops waiting withdraws its ticket; an abandoned ticket still gets its cycle, unanswered.
 */
export class WorkspaceSyncState {
  private cyclesCompleted: number;
  private lastCycle?: CycleOutcome;
  private lastCycleStartedAtMs?: number;
  private lastSuccessAt?: string;
  private lastSuccessStartedAtMs?: number;
  private lastSuccessCycle?: { cycle: number; changes: number };
  private lastFullListingAtMs: number;
  private records?: { files: number; folders: number };
  private settings: EffectiveSyncSettings;
  private health: CredentialHealth;
  /** Dropbox refused the credentials: sync waits for an admin (and, with probes, for a probe that succeeds). */
  private blocked: boolean;
  /** Probe interval once `enableCredentialProbes` was called; undefined in workflows begun before probes. */
  private probeIntervalMs?: number;
  private lastProbeAtMs?: number;
  private probeRequested: boolean;
  private syncing = false;
  private nextTicket = 0;
  private readonly unserved = new Set<number>();
  private inCycle = new Set<number>();
  /** A cycle is wanted by no one waiting (abandoned checks, new credentials). */
  private detachedRequest: boolean;
  private fullRelistRequested = false;
  private readonly answers = new Map<number, CycleOutcome>();
  /** Staleness bound of each waiting check's ticket: a cycle that makes the Recordset fresh enough answers it too. */
  private readonly checkBounds = new Map<number, number>();
  private firstUnservedAtMs?: number;
  /** Bumped whenever something changes when the next cycle is due (settings, pause, resume). */
  planVersion = 0;
  /** Bumped on every new request, so a coalescing wait can tell that another one arrived. */
  requestsSeen = 0;
  waitingChecks = 0;
  /** False until settings were loaded once (a fresh start loads them before the first cycle). */
  settingsKnown: boolean;

  /** `startedAtMs` stands in for the last full listing when none is known, so reconciles still come round. */
  constructor(
    private readonly tenantId: string,
    private readonly workspaceId: string,
    private readonly schedule: SyncSchedule,
    startedAtMs: number,
    carried: CarriedState = { cyclesCompleted: 0 },
  ) {
    this.cyclesCompleted = carried.cyclesCompleted;
    this.lastCycle = carried.lastCycle;
    this.lastCycleStartedAtMs = carried.lastCycleStartedAtMs;
    this.lastSuccessAt = carried.lastSuccessAt;
    this.lastSuccessStartedAtMs = carried.lastSuccessStartedAtMs;
    this.lastSuccessCycle = carried.lastSuccessCycle;
    this.lastFullListingAtMs = carried.lastFullListingAtMs ?? startedAtMs;
    this.records = carried.records;
    this.settings = carried.settings ?? DEFAULT_SETTINGS;
    this.settingsKnown = carried.settings !== undefined;
    this.health = carried.credentialHealth ?? 'unknown';
    this.blocked = carried.credentialsBlocked ?? this.health === 'blocked';
    this.lastProbeAtMs = carried.lastProbeAtMs;
    this.probeRequested = carried.probeRequested ?? false;
    this.detachedRequest = carried.cycleRequested ?? false;
  }

  get frequencyMs(): number {
    return this.settings.frequencyMs ?? this.schedule.frequencyMs;
  }

  get pausedBy(): EffectiveSyncSettings['pausedBy'] {
    return this.settings.pausedBy;
  }

  get credentialHealth(): CredentialHealth {
    return this.health;
  }

  applySettings(settings: EffectiveSyncSettings): void {
    this.settings = settings;
    this.settingsKnown = true;
    this.planVersion += 1;
  }

  /**
   * Turns on the credential-health behaviour: while blocked, no scheduled cycles, and a cheap probe
   * every `intervalMs` (and at once on new credentials) that unblocks the workspace when it succeeds.
   */
  enableCredentialProbes(intervalMs: number): void {
    this.probeIntervalMs = intervalMs;
    if (this.health === 'blocked') this.health = 'unknown';
  }

  get credentialsBlocked(): boolean {
    return this.blocked;
  }

  /**
   * New credentials. With probes, a blocked workspace probes them at once (and resumes if they
   * work); otherwise forget a block and sync soon, so the next cycle finds out whether they work.
   */
  credentialsUpdated(): void {
    if (this.probeIntervalMs !== undefined) {
      if (this.blocked) this.probeRequested = true;
      else this.detachedRequest = true;
      this.planVersion += 1;
      return;
    }
    this.health = 'unknown';
    this.blocked = false;
    this.detachedRequest = true;
    this.planVersion += 1;
  }

  /** Milliseconds until the next credential probe (0 when due); undefined when none is planned. */
  msUntilProbe(nowMs: number): number | undefined {
    if (this.probeIntervalMs === undefined || !this.blocked || this.syncing) return undefined;
    if (this.probeRequested) return 0;
    if (this.pausedBy !== null) return undefined;
    return Math.max(0, (this.lastProbeAtMs ?? nowMs) + this.probeIntervalMs - nowMs);
  }

  /** Whether new credentials of a blocked workspace wait for their probe. */
  get probePending(): boolean {
    return this.probeRequested && this.blocked;
  }

  beginProbe(nowMs: number): void {
    this.probeRequested = false;
    this.lastProbeAtMs = nowMs;
  }

  /** A probe's answer: usable credentials unblock the workspace and resume sync from the saved cursor at once. */
  finishProbe(result: { usable: boolean; health: CredentialHealthState }, nowMs: number): void {
    this.lastProbeAtMs = nowMs;
    this.health = result.health;
    if (result.usable) {
      this.blocked = false;
      this.detachedRequest = true;
    }
    this.planVersion += 1;
  }

  /**
   * Registers a request for a cycle; returns its ticket. A check passes its staleness bound, so that a
   * cycle already running when it arrived can answer it if that makes the Recordset fresh enough.
   */
  requestCycle(fullRelist: boolean, nowMs: number, maxStalenessMs?: number): number {
    this.nextTicket += 1;
    if (maxStalenessMs !== undefined) this.checkBounds.set(this.nextTicket, maxStalenessMs);
    this.requestsSeen += 1;
    this.unserved.add(this.nextTicket);
    this.firstUnservedAtMs ??= nowMs;
    if (fullRelist) this.fullRelistRequested = true;
    return this.nextTicket;
  }

  /** The caller no longer needs an answer and no longer needs the cycle (it was answered otherwise). */
  withdraw(ticket: number): void {
    this.unserved.delete(ticket);
    this.inCycle.delete(ticket);
    this.answers.delete(ticket);
    this.checkBounds.delete(ticket);
    if (this.unserved.size === 0) this.firstUnservedAtMs = undefined;
  }

  /** The caller stopped waiting (timeout), but the cycle it asked for still runs. */
  abandon(ticket: number): void {
    if (this.unserved.has(ticket)) this.detachedRequest = true;
    this.withdraw(ticket);
  }

  /** True when a cycle is wanted now: requests wait for one that has not started, and nothing is paused. */
  cycleRequested(): boolean {
    return this.pausedBy === null && (this.unserved.size > 0 || this.detachedRequest);
  }

  /** When the oldest waiting request arrived (bounds how long a cycle waits to gather more). */
  get oldestRequestAtMs(): number | undefined {
    return this.firstUnservedAtMs;
  }

  answerFor(ticket: number): CycleOutcome | undefined {
    const answer = this.answers.get(ticket);
    if (answer) this.answers.delete(ticket);
    return answer;
  }

  get phaseMs(): number {
    return phaseOffsetMs(this.tenantId, this.workspaceId, this.frequencyMs);
  }

  /** When the next scheduled cycle is due: undefined while paused, now when never run. */
  dueAtMs(nowMs: number): number | undefined {
    if (this.pausedBy !== null) return undefined;
    // Blocked on credentials: Dropbox is not asked again until a probe says they work.
    if (this.blocked && this.probeIntervalMs !== undefined) return undefined;
    if (this.lastCycleStartedAtMs === undefined) return nowMs;
    return nextSlotAfter(this.lastCycleStartedAtMs, this.frequencyMs, this.phaseMs);
  }

  /** Milliseconds until the next scheduled cycle (0 when due), undefined while paused. */
  msUntilDue(nowMs: number): number | undefined {
    const due = this.dueAtMs(nowMs);
    return due === undefined ? undefined : Math.max(0, due - nowMs);
  }

  /** Starts a cycle; returns whether it must be a full re-listing. */
  beginCycle(nowMs: number): { fullRelist: boolean } {
    this.syncing = true;
    this.inCycle = new Set([...this.inCycle, ...this.unserved]);
    this.unserved.clear();
    this.firstUnservedAtMs = undefined;
    this.detachedRequest = false;
    this.lastCycleStartedAtMs = nowMs;
    const reconcileDue = this.schedule.fullRelistIntervalMs > 0 && nowMs - this.lastFullListingAtMs >= this.schedule.fullRelistIntervalMs;
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
    if (full.ok) {
      this.lastSuccessAt = full.finishedAt;
      this.lastSuccessStartedAtMs = Date.parse(full.startedAt);
      this.lastSuccessCycle = { cycle: full.cycle, changes: changesOf(full) ?? 0 };
      this.health = 'healthy';
      this.blocked = false;
      // Credentials that arrived during this cycle need no probe: the cycle proved them.
      this.probeRequested = false;
      if (full.result?.records) this.records = { ...full.result.records };
      if (full.result?.mode === 'full') this.lastFullListingAtMs = nowMs;
    } else if (full.error && CREDENTIAL_ERRORS.has(full.error.type)) {
      this.blocked = true;
      this.health = this.probeIntervalMs === undefined ? 'blocked' : (full.error.health ?? 'unknown');
      this.lastProbeAtMs = nowMs;
    } else if (full.error?.health !== undefined && this.probeIntervalMs !== undefined) {
      // A transient refresh failure: the health says so, but sync keeps trying on schedule.
      this.health = full.error.health;
    }
    for (const ticket of this.inCycle) this.answers.set(ticket, full);
    this.inCycle.clear();
    // Checks waiting for the next cycle need not wait if this one made the Recordset fresh enough
    // for them, or if the credentials are refused (another cycle cannot help).
    for (const [ticket, bound] of this.checkBounds) {
      if (!this.unserved.has(ticket)) continue;
      if ((full.ok && this.isFresh(nowMs, bound)) || this.blocked) {
        this.unserved.delete(ticket);
        this.answers.set(ticket, full);
      }
    }
    if (this.unserved.size === 0) this.firstUnservedAtMs = undefined;
    return full;
  }

  /** Whether the Recordset includes every change older than `maxStalenessMs` at `nowMs`. */
  isFresh(nowMs: number, maxStalenessMs: number): boolean {
    return this.lastSuccessStartedAtMs !== undefined && nowMs - this.lastSuccessStartedAtMs <= maxStalenessMs;
  }

  /** A check's answer when no cycle is needed or possible; undefined when the check must wait for a cycle. */
  answerAtOnce(input: CheckInput, nowMs: number): CheckResult | undefined {
    if (this.isFresh(nowMs, input.maxStalenessMs)) return this.freshFromLastSuccess('already_fresh');
    return this.blockedAnswer(input, nowMs);
  }

  /** The answer for a check that waits while the workspace is paused or its credentials are refused. */
  blockedAnswer(input: CheckInput, nowMs: number): CheckResult | undefined {
    const fresh = this.isFresh(nowMs, input.maxStalenessMs);
    if (this.pausedBy !== null) return { ...this.checkResult(fresh, 'paused'), pausedBy: this.pausedBy };
    if (this.blocked) {
      return { ...this.checkResult(fresh, 'credentials_blocked'), ...(this.lastCycle?.error ? { error: this.lastCycle.error } : {}) };
    }
    return undefined;
  }

  /** The answer from the cycle that served the check's ticket. */
  answerFromCycle(outcome: CycleOutcome, input: CheckInput, nowMs: number): CheckResult {
    if (outcome.ok) return { ...this.checkResult(true, 'synced'), changes: changesOf(outcome), cycle: outcome.cycle };
    const blocked = outcome.error !== undefined && CREDENTIAL_ERRORS.has(outcome.error.type);
    return {
      ...this.checkResult(this.isFresh(nowMs, input.maxStalenessMs), blocked ? 'credentials_blocked' : 'cycle_failed'),
      cycle: outcome.cycle,
      ...(outcome.error ? { error: outcome.error } : {}),
    };
  }

  /** A fresh answer that reports the last successful cycle: the data the caller will read. */
  private freshFromLastSuccess(outcome: 'already_fresh'): CheckResult {
    return { ...this.checkResult(true, outcome), changes: this.lastSuccessCycle?.changes ?? null, cycle: this.lastSuccessCycle?.cycle ?? null };
  }

  timedOutAnswer(input: CheckInput, nowMs: number): CheckResult {
    return this.checkResult(this.isFresh(nowMs, input.maxStalenessMs), 'timed_out');
  }

  private checkResult(fresh: boolean, outcome: CheckResult['outcome']): CheckResult {
    const syncedAt = this.lastSuccessStartedAtMs === undefined ? null : new Date(this.lastSuccessStartedAtMs).toISOString();
    return { fresh, outcome, syncedAt, changes: null, cycle: null };
  }

  stateName(): SyncStateName {
    if (this.syncing) return 'syncing';
    if (this.pausedBy !== null) return 'paused';
    if (this.blocked) return 'blocked';
    if (this.lastCycle && !this.lastCycle.ok) return 'failing';
    return 'idle';
  }

  /** Start of the last successful cycle, for the `FostrLastSyncedAt` search attribute. */
  get syncedAtMs(): number | undefined {
    return this.lastSuccessStartedAtMs;
  }

  status(nowMs: number): WorkspaceSyncStatus {
    const due = this.dueAtMs(nowMs);
    const untilProbe = this.msUntilProbe(nowMs);
    return {
      tenantId: this.tenantId,
      workspaceId: this.workspaceId,
      state: this.stateName(),
      pausedBy: this.pausedBy,
      credentialHealth: this.health,
      ...(untilProbe === undefined ? {} : { nextProbeAt: new Date(nowMs + untilProbe).toISOString() }),
      schedule: { frequencyMs: this.frequencyMs, source: this.settings.frequencySource, phaseMs: this.phaseMs },
      nextDueAt: due === undefined ? null : new Date(Math.max(due, nowMs)).toISOString(),
      cyclesCompleted: this.cyclesCompleted,
      lastCycle: this.lastCycle,
      lastSuccessAt: this.lastSuccessAt,
      syncedAt: this.lastSuccessStartedAtMs === undefined ? undefined : new Date(this.lastSuccessStartedAtMs).toISOString(),
      lastFullListingAt: new Date(this.lastFullListingAtMs).toISOString(),
      records: this.records,
      pendingRequests: this.unserved.size,
      waitingChecks: this.waitingChecks,
    };
  }

  carryOver(): CarriedState {
    return {
      cyclesCompleted: this.cyclesCompleted,
      lastCycle: this.lastCycle,
      lastCycleStartedAtMs: this.lastCycleStartedAtMs,
      lastSuccessAt: this.lastSuccessAt,
      lastSuccessStartedAtMs: this.lastSuccessStartedAtMs,
      lastSuccessCycle: this.lastSuccessCycle,
      lastFullListingAtMs: this.lastFullListingAtMs,
      records: this.records,
      settings: this.settingsKnown ? this.settings : undefined,
      credentialHealth: this.health,
      ...(this.probeIntervalMs === undefined ? {} : { credentialsBlocked: this.blocked, lastProbeAtMs: this.lastProbeAtMs, probeRequested: this.probeRequested || undefined }),
      cycleRequested: this.detachedRequest || this.unserved.size > 0 || undefined,
    };
  }
}

/** Records written or removed by a cycle; null when it produced no result. */
function changesOf(outcome: CycleOutcome): number | null {
  return outcome.result ? outcome.result.upserts + outcome.result.deletes + outcome.result.swept : null;
}
