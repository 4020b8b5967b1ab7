import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Binary, Db } from 'mongodb';

/** Where a canary turned up, with a little context to debug the leak (the canary itself is test data). */
export interface CanarySighting {
  readonly canary: string;
  readonly where: string;
  readonly context: string;
}

/**
 * The forms a leaked value could take in stored bytes: as written, lower-cased (Dropbox's
 * `path_lower`), JSON-escaped, URL-encoded and base64 (a payload or a Binary field that is merely
 * encoded, not encrypted, still leaks).
 */
export function canaryForms(canary: string): string[] {
  const forms = new Set([canary, canary.toLowerCase(), JSON.stringify(canary).slice(1, -1), encodeURIComponent(canary)]);
  for (const form of [...forms]) {
    if (form.length >= 6) forms.add(Buffer.from(form, 'utf8').toString('base64').slice(0, -4));
  }
  return [...forms].filter((form) => form.length >= 6);
}

/** Every place `text` contains a form of a canary. */
export function sightingsIn(text: string, where: string, canaries: readonly string[]): CanarySighting[] {
  const found: CanarySighting[] = [];
  for (const canary of canaries) {
    for (const form of canaryForms(canary)) {
      const at = text.indexOf(form);
      if (at >= 0) found.push({ canary, where, context: text.slice(Math.max(0, at - 80), at + form.length + 80) });
    }
  }
  return found;
}

/** Renders a raw value (BSON document, protobuf message) as searchable text; bytes appear both as UTF-8 and as base64. */
export function rawText(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || node === undefined) return;
    if (typeof node === 'string') parts.push(node);
    else if (typeof node === 'number' || typeof node === 'boolean' || typeof node === 'bigint') parts.push(String(node));
    else if (node instanceof Date) parts.push(node.toISOString());
    else if (node instanceof Uint8Array || Buffer.isBuffer(node)) {
      const bytes = Buffer.from(node as Uint8Array);
      parts.push(bytes.toString('utf8'), bytes.toString('base64'));
    } else if (node instanceof Binary) walk(node.buffer);
    else if (typeof node === 'object') {
      if (seen.has(node)) return;
      seen.add(node);
      const long = node as { toNumber?: () => number; low?: unknown };
      if (typeof long.toNumber === 'function' && long.low !== undefined) {
        parts.push(String(long.toNumber()));
        return;
      }
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        parts.push(key);
        walk(child);
      }
    }
  };
  walk(value);
  return parts.join('\n');
}

/** Searches every document of every collection of `db`, raw (no decryption). */
export async function searchMongo(db: Db, canaries: readonly string[]): Promise<{ documents: number; sightings: CanarySighting[] }> {
  const sightings: CanarySighting[] = [];
  let documents = 0;
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    for await (const doc of db.collection(name).find({})) {
      documents += 1;
      sightings.push(...sightingsIn(rawText(doc), `mongo ${name} ${String(doc['_id'])}`, canaries));
    }
  }
  return { documents, sightings };
}

/**
 * Searches the raw histories (payloads as stored, no codec) of every run of a workflow id, through
 * the service API so nothing is decoded on the way, plus the visibility record (search attributes, memo).
 */
export async function searchTemporal(client: Client, namespace: string, workflowId: string, canaries: readonly string[]): Promise<{ runs: number; events: number; sightings: CanarySighting[] }> {
  const sightings: CanarySighting[] = [];
  let runs = 0;
  let events = 0;
  const listed = await client.workflowService.listWorkflowExecutions({ namespace, query: `WorkflowId = '${workflowId}'` });
  for (const execution of listed.executions) {
    runs += 1;
    const runId = execution.execution?.runId ?? '';
    sightings.push(...sightingsIn(rawText(execution), `visibility ${workflowId}/${runId}`, canaries));
    let nextPageToken: Uint8Array | undefined;
    do {
      const page: temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse = await client.workflowService.getWorkflowExecutionHistory({
        namespace,
        execution: { workflowId, runId },
        nextPageToken,
      });
      for (const event of page.history?.events ?? []) {
        events += 1;
        sightings.push(...sightingsIn(rawText(event), `history ${workflowId}/${runId} event ${String(event.eventId)} ${String(event.eventType)}`, canaries));
      }
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }
  return { runs, events, sightings };
}
