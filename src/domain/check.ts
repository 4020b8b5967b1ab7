import { z } from 'zod';
import { TenantId, WorkspaceId } from './ids';

/** Longest an Action may wait for a check (Temporal update results are polled; keep Actions bounded). */
export const MAX_CHECK_TIMEOUT_MS = 10 * 60_000;
/** Staleness bounds beyond this are pointless: the scheduler never lets data get that old. */
export const MAX_CHECK_STALENESS_MS = 30 * 24 * 3600_000;

const wholeMs = (name: string, max: number) =>
  z
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(0, `${name} must be at least 0`)
    .max(max, `${name} must be at most ${max}`);

/** Input of a workflow check: how fresh the Recordset must be, and how long the caller may wait. */
export const CheckInput = z
  .object({
    tenantId: TenantId,
    workspaceId: WorkspaceId,
    /** The Recordset must include every Dropbox change older than this. 0: changes up to the request. */
    maxStalenessMs: wholeMs('maxStalenessMs', MAX_CHECK_STALENESS_MS),
    /** How long to wait for a cycle before answering `fresh: false`; 0 triggers a cycle and answers at once. */
    timeoutMs: wholeMs('timeoutMs', MAX_CHECK_TIMEOUT_MS),
  })
  .strict();
export type CheckInput = z.infer<typeof CheckInput>;

/** One line naming every problem with a check input, or undefined when it is valid. */
export function checkInputProblems(input: unknown): string | undefined {
  const parsed = CheckInput.safeParse(input);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
}

/**
 * Why a check answered as it did.
 * - `already_fresh`: the Recordset was fresh enough; no cycle ran.
 * - `synced`: a cycle that began after the request completed.
 * - `timed_out`: no such cycle completed within `timeoutMs` (one is still due).
 * - `cycle_failed`: the cycle that began after the request failed (see `error`).
 * - `paused`: the workspace or its tenant is paused; nothing was triggered.
 * - `credentials_blocked`: the connection's credentials are refused; an admin must reconnect.
 * - `not_connected`: the workspace has no Dropbox connection (answered by the library, not the workflow).
 */
export type CheckOutcome = 'already_fresh' | 'synced' | 'timed_out' | 'cycle_failed' | 'paused' | 'credentials_blocked' | 'not_connected';

/** Answer of a workflow check. Never carries file metadata. */
export interface CheckResult {
  /** Whether the Recordset now satisfies `maxStalenessMs`. */
  readonly fresh: boolean;
  readonly outcome: CheckOutcome;
  /** The Recordset includes every Dropbox change made before this instant (start of the last good cycle); null if never synced. */
  readonly syncedAt: string | null;
  /**
   * The cycle whose data the caller now reads: the one that answered (`synced`, `cycle_failed`,
   * `credentials_blocked` after a cycle) or, for `already_fresh`, the last successful one. Null otherwise.
   */
  readonly cycle: number | null;
  /** Records written or removed by that cycle. */
  readonly changes: number | null;
  /** Set for `cycle_failed` and `credentials_blocked`. */
  readonly error?: { readonly type: string; readonly message: string };
  /** Set for `paused`. */
  readonly pausedBy?: 'workspace' | 'tenant';
}
