import { z } from 'zod';

/** Routes whose cursor a `cursor_reset` fault can invalidate (ListFolderContinueError / LongpollError `reset`). */
export const CURSOR_ROUTES: ReadonlySet<string> = new Set(['files/list_folder/continue', 'files/list_folder/longpoll']);
/** Routes that return list_folder pages, where the listing-shape faults apply. */
export const PAGE_ROUTES: ReadonlySet<string> = new Set(['files/list_folder', 'files/list_folder/continue']);

/**
 * When a rule fires, on the calls it matches. With none of `times`, `everyNth` and `probability`
 * a rule would never be meant to fire, so one of them is required. They combine: `everyNth`
 * and `probability` pick calls, `times` caps how many of them fire.
 */
const Firing = {
  /** Route to match (`files/list_folder/continue`); every route the kind applies to when omitted. */
  route: z.string().min(1).optional(),
  /** Account to match, by email or account id; every account when omitted. */
  account: z.string().min(1).optional(),
  /** Fire at most this many times (the first matching calls, unless everyNth/probability pick). */
  times: z.number().int().min(1).optional(),
  /** Fire on the Nth, 2Nth, ... matching call. */
  everyNth: z.number().int().min(1).optional(),
  /** Fire on a matching call with this probability, drawn from the plan's seeded PRNG. */
  probability: z.number().min(0).max(1).optional(),
};

const RateLimit = z.strictObject({
  kind: z.literal('rate_limit'),
  ...Firing,
  reason: z.enum(['too_many_requests', 'too_many_write_operations']).optional(),
  retryAfterSeconds: z.number().int().min(0).max(86_400),
  /** Body shape: JSON with `retry_after`, JSON without it (header only), or plain text. @default json */
  style: z.enum(['json', 'json_without_retry_after', 'text']).optional(),
});
const ServerError = z.strictObject({
  kind: z.literal('server_error'),
  ...Firing,
  status: z.number().int().min(500).max(599).optional(),
  /** @default empty */
  body: z.enum(['empty', 'text']).optional(),
});
const Latency = z.strictObject({ kind: z.literal('latency'), ...Firing, ms: z.number().int().min(1).max(600_000) });
const Timeout = z.strictObject({ kind: z.literal('timeout'), ...Firing, holdMs: z.number().int().min(0).max(600_000) });
const TruncatedBody = z.strictObject({
  kind: z.literal('truncated_body'),
  ...Firing,
  /** Share of the real reply sent before the connection closes. @default 0.5 */
  keepFraction: z.number().gt(0).lt(1).optional(),
});
const MalformedBody = z.strictObject({ kind: z.literal('malformed_body'), ...Firing });
const CursorReset = z.strictObject({ kind: z.literal('cursor_reset'), ...Firing });
const EmptyPage = z.strictObject({ kind: z.literal('empty_page'), ...Firing });
const PageLimit = z.strictObject({ kind: z.literal('page_limit'), ...Firing, limit: z.number().int().min(1).max(100_000) });
const StuckCursor = z.strictObject({ kind: z.literal('stuck_cursor'), ...Firing });

const needsTrigger = (rule: { times?: number; everyNth?: number; probability?: number }) =>
  rule.times !== undefined || rule.everyNth !== undefined || rule.probability !== undefined;

/** A fault rule as the control interface and `injectFault` take it (validated, with clear errors). */
export const FaultRuleSchema = z
  .discriminatedUnion('kind', [RateLimit, ServerError, Latency, Timeout, TruncatedBody, MalformedBody, CursorReset, EmptyPage, PageLimit, StuckCursor])
  .refine(needsTrigger, { error: 'a fault rule needs at least one of times, everyNth or probability', path: ['times'] });

export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultKind = FaultRule['kind'];

/** Whether a rule of `kind` can apply to `route` at all (a reset on get_metadata means nothing). */
export function kindAppliesTo(kind: FaultKind, route: string): boolean {
  if (kind === 'cursor_reset') return CURSOR_ROUTES.has(route);
  if (kind === 'empty_page' || kind === 'page_limit' || kind === 'stuck_cursor') return PAGE_ROUTES.has(route);
  return true;
}
