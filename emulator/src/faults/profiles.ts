import type { FaultRule } from './rule';

/**
 * Named fault profiles for running the emulator as a hostile-enough Dropbox (`--faults <name>`).
 * Every rule is probabilistic and drawn from the emulator's seed, so a run can be replayed.
 */
export const FAULT_PROFILES = {
  /** A well-behaved Dropbox. */
  none: [],
  /** Occasional rate limits and unavailability, as a busy day on the real service looks. */
  flaky: [
    { kind: 'rate_limit', probability: 0.05, retryAfterSeconds: 1, reason: 'too_many_requests', style: 'json' },
    { kind: 'server_error', probability: 0.02, status: 503, body: 'empty' },
  ],
  /** Every call a little slow, some much slower. */
  slow: [
    { kind: 'latency', probability: 1, ms: 100 },
    { kind: 'latency', probability: 0.1, ms: 1000 },
  ],
  /** Everything the connector must survive, at once: each wire shape of 429, 5xx, broken bodies, odd pages, resets. */
  hostile: [
    { kind: 'latency', probability: 0.2, ms: 150 },
    { kind: 'rate_limit', probability: 0.04, retryAfterSeconds: 1, reason: 'too_many_requests', style: 'json' },
    { kind: 'rate_limit', probability: 0.02, retryAfterSeconds: 2, reason: 'too_many_write_operations', style: 'json_without_retry_after' },
    { kind: 'rate_limit', probability: 0.02, retryAfterSeconds: 1, style: 'text' },
    { kind: 'server_error', probability: 0.02, status: 503, body: 'empty' },
    { kind: 'server_error', probability: 0.01, status: 500, body: 'text' },
    { kind: 'truncated_body', probability: 0.01 },
    { kind: 'malformed_body', probability: 0.01 },
    { kind: 'timeout', probability: 0.005, holdMs: 2000 },
    { kind: 'cursor_reset', route: 'files/list_folder/continue', probability: 0.002 },
    { kind: 'empty_page', probability: 0.08 },
    { kind: 'page_limit', probability: 0.08, limit: 1 },
  ],
} as const satisfies Record<string, readonly FaultRule[]>;

export type FaultProfileName = keyof typeof FAULT_PROFILES;

export const FAULT_PROFILE_NAMES = Object.keys(FAULT_PROFILES) as FaultProfileName[];

export function isFaultProfileName(name: string): name is FaultProfileName {
  return Object.hasOwn(FAULT_PROFILES, name);
}
