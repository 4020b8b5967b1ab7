import { z } from 'zod';
import { ApiError } from '../api-error';
import { SeededRandom } from './prng';
import { CURSOR_ROUTES, FaultRule, FaultRuleSchema, kindAppliesTo, PAGE_ROUTES } from './rule';

/** How a listing page is distorted (scenarios 1 and 3 of dropbox-scenarios.md). */
export type PageShape = { readonly kind: 'empty' } | { readonly kind: 'limit'; readonly limit: number } | { readonly kind: 'stuck' };

/** What replaces or alters the normal reply to a call. */
export type FaultOutcome =
  | { readonly type: 'error'; readonly error: ApiError }
  /** Hold the request, then drop the connection without a reply. */
  | { readonly type: 'timeout'; readonly holdMs: number }
  /** Serve the call, send a prefix of the reply, then drop the connection. */
  | { readonly type: 'truncated'; readonly keepFraction: number }
  /** Answer 200 `application/json` with a body that is not JSON. */
  | { readonly type: 'malformed' }
  | { readonly type: 'page'; readonly shape: PageShape };

/** The faults that apply to one call: added delay, and at most one outcome. */
export interface FaultDecision {
  readonly delayMs: number;
  readonly outcome?: FaultOutcome;
}

/** What a rule can match a call on. The account is unknown for calls without a caller. */
export interface FaultContext {
  readonly route: string;
  readonly account?: { readonly email: string; readonly accountId: string };
}

/** A rule as listed by the control interface: the rule and how often it has fired. */
export interface FaultRuleStatus {
  readonly rule: FaultRule;
  readonly fired: number;
  readonly seen: number;
}

/** Thrown for a rule that does not validate; the control interface turns it into a 400. */
export class FaultRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}

interface Slot {
  readonly rule: FaultRule;
  readonly random: SeededRandom;
  fired: number;
  seen: number;
}

/**
 * The active fault rules. Every rule draws from its own PRNG, seeded by the plan's seed and the
 * rule's position, so the same seed and the same rules give the same faults on the same calls.
 * Latency rules add up; of the others, the first firing rule in registration order wins, and
 * later rules do not see that call.
 */
export class FaultPlan {
  private slots: Slot[] = [];
  private added = 0;

  constructor(private seed = 'fostr') {}

  /** Adds a rule (validated). Existing `{kind, route?, times, ...}` shapes keep their meaning. */
  add(input: FaultRule): void {
    const parsed = FaultRuleSchema.safeParse(input);
    if (!parsed.success) throw new FaultRuleError(`invalid fault rule: ${z.prettifyError(parsed.error)}`);
    const rule = parsed.data;
    if (rule.route !== undefined && !kindAppliesTo(rule.kind, rule.route)) {
      const routes = [...(rule.kind === 'cursor_reset' ? CURSOR_ROUTES : PAGE_ROUTES)].join(', ');
      throw new FaultRuleError(`invalid fault rule: ${rule.kind} applies only to ${routes}, not ${rule.route}`);
    }
    this.added += 1;
    this.slots.push({ rule, random: new SeededRandom(`${this.seed}:fault:${this.added}`), fired: 0, seen: 0 });
  }

  /** Removes every rule; with `seed`, later rules draw from that seed instead. */
  clear(seed?: string): void {
    this.slots = [];
    this.added = 0;
    if (seed !== undefined) this.seed = seed;
  }

  list(): FaultRuleStatus[] {
    return this.slots.map(({ rule, fired, seen }) => ({ rule, fired, seen }));
  }

  /** The faults for one call. Consumes `times` budgets and PRNG draws. */
  take(context: FaultContext): FaultDecision {
    let delayMs = 0;
    let outcome: FaultOutcome | undefined;
    for (const slot of this.slots) {
      if (outcome && slot.rule.kind !== 'latency') continue;
      if (!matches(slot.rule, context) || !fires(slot)) continue;
      const { rule } = slot;
      if (rule.kind === 'latency') delayMs += rule.ms;
      else outcome = outcomeOf(rule);
    }
    return { delayMs, outcome };
  }
}

function matches(rule: FaultRule, context: FaultContext): boolean {
  if (rule.route !== undefined ? rule.route !== context.route : !kindAppliesTo(rule.kind, context.route)) return false;
  if (rule.account === undefined) return true;
  return context.account !== undefined && (rule.account === context.account.email || rule.account === context.account.accountId);
}

function fires(slot: Slot): boolean {
  const { rule } = slot;
  if (rule.times !== undefined && slot.fired >= rule.times) return false;
  slot.seen += 1;
  if (rule.everyNth !== undefined && slot.seen % rule.everyNth !== 0) return false;
  if (rule.probability !== undefined && slot.random.next() >= rule.probability) return false;
  slot.fired += 1;
  return true;
}

function outcomeOf(rule: Exclude<FaultRule, { kind: 'latency' }>): FaultOutcome {
  switch (rule.kind) {
    case 'rate_limit':
      return { type: 'error', error: ApiError.rateLimited(rule.retryAfterSeconds, rule.style ?? 'json', rule.reason ?? 'too_many_requests') };
    case 'server_error':
      return { type: 'error', error: ApiError.server(rule.status ?? 503, rule.body ?? 'empty') };
    case 'cursor_reset':
      return { type: 'error', error: ApiError.reset() };
    case 'timeout':
      return { type: 'timeout', holdMs: rule.holdMs };
    case 'truncated_body':
      return { type: 'truncated', keepFraction: rule.keepFraction ?? 0.5 };
    case 'malformed_body':
      return { type: 'malformed' };
    case 'empty_page':
      return { type: 'page', shape: { kind: 'empty' } };
    case 'page_limit':
      return { type: 'page', shape: { kind: 'limit', limit: rule.limit } };
    case 'stuck_cursor':
      return { type: 'page', shape: { kind: 'stuck' } };
  }
}
