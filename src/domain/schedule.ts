/**
 * When scheduled cycles are due. Pure and deterministic (workflow code uses it): a workspace's
 * cycles fall on a grid of its frequency, shifted by a phase derived from its ids, so many
 * workspaces on one frequency spread over the interval instead of firing together, and the same
 * workspace keeps its slot across restarts, continue-as-new and frequency changes.
 */

/** FNV-1a (32 bit) with a final mix: stable across processes and versions, unlike anything random or time-based. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // MurmurHash3's finaliser: FNV alone leaves the high bits of similar short ids correlated.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The workspace's fraction of any interval, in [0, 1). */
export function phaseFraction(tenantId: string, workspaceId: string): number {
  return fnv1a(`${tenantId}:${workspaceId}`) / 2 ** 32;
}

/** Offset of the workspace's slots within an interval of `frequencyMs`. */
export function phaseOffsetMs(tenantId: string, workspaceId: string, frequencyMs: number): number {
  return Math.floor(phaseFraction(tenantId, workspaceId) * frequencyMs);
}

/**
 * The first slot (`phase + k * frequency`, epoch-aligned) strictly after `lastStartMs`. A scheduled
 * cycle starts on a slot, so the next one is one frequency later; an on-demand cycle between slots
 * does not move the grid, so freshness never lags more than one frequency behind the last cycle.
 */
export function nextSlotAfter(lastStartMs: number, frequencyMs: number, phaseMs: number): number {
  const k = Math.floor((lastStartMs - phaseMs) / frequencyMs) + 1;
  return phaseMs + k * frequencyMs;
}
