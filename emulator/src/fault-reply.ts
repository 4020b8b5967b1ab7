import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FaultOutcome } from './faults';

/**
 * Writes the transport-level fault outcomes, the ones that are not an API error body: a held
 * request whose connection then drops, a reply cut off mid-body, a 200 whose body is not JSON.
 */
export async function writeTransportFault(
  res: ServerResponse,
  outcome: Extract<FaultOutcome, { type: 'timeout' | 'truncated' | 'malformed' }>,
  body: string,
): Promise<void> {
  switch (outcome.type) {
    case 'timeout':
      await new Promise((resolve) => setTimeout(resolve, outcome.holdMs));
      res.destroy();
      return;
    case 'truncated': {
      // Announce the full length, send a valid prefix, then close: the client sees the body end early.
      const bytes = Buffer.from(body, 'utf8');
      const keep = Math.max(1, Math.min(bytes.length - 1, Math.floor(bytes.length * outcome.keepFraction)));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, 'X-Dropbox-Request-Id': requestId() });
      res.write(bytes.subarray(0, keep), () => res.destroy());
      return;
    }
    case 'malformed': {
      // What a misbehaving proxy in front of the API sends: an HTML page labelled as JSON.
      const page = '<html><head><title>Service Unavailable</title></head><body>upstream error</body></html>';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(page), 'X-Dropbox-Request-Id': requestId() });
      res.end(page);
      return;
    }
  }
}

function requestId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * JSON for a reply: optional fields that are null are omitted, never sent as `null` (stone wire
 * rules, dropbox-api-notes.md §1.4). A void result stays the literal `null` (§1.5).
 */
export function replyJson(value: unknown): string {
  // A replacer costs a call into JS per key (most of the time of a 2000-entry page); replies
  // rarely hold a null field, so look for one first and take the plain path when there is none.
  if (!hasNullField(value)) return JSON.stringify(value ?? null);
  return JSON.stringify(value ?? null, function (this: unknown, key: string, item: unknown) {
    return item === null && key !== '' && !Array.isArray(this) ? undefined : item;
  });
}

/** Whether some object below `value` has a property set to null (null array items are kept anyway). */
function hasNullField(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasNullField);
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item === null || hasNullField(item)) return true;
  }
  return false;
}
