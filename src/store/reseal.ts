import { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { DecryptionError, FieldCipher } from '../crypto';

/** Writes per bulk request: FerretDB 1.24 never answers an update of 100 or more statements. */
const WRITE_CHUNK = 50;
/** Passes over values that a concurrent write changed under us before they count as remaining. */
const MAX_ROUNDS = 3;

/** What one re-encryption pass did to one collection. */
export interface ResealCounts {
  /** Documents looked at. */
  scanned: number;
  /** Values re-sealed with the active key by this pass. */
  resealed: number;
  /** Values already on the active key (or absent). */
  current: number;
  /** Values a concurrent write replaced meanwhile with one on the active key (left as they are). */
  raced: number;
  /** Values that cannot be opened with the configured keys (ids in `failedIds`). */
  failed: number;
  /** Values still on an old key after every retry (a writer with an older keyring is running). */
  remaining: number;
}

export function emptyCounts(): ResealCounts {
  return { scanned: 0, resealed: 0, current: 0, raced: 0, failed: 0, remaining: 0 };
}

export function addCounts(into: ResealCounts, more: ResealCounts): void {
  for (const key of Object.keys(into) as (keyof ResealCounts)[]) into[key] += more[key];
}

/** One page of a collection's sealed values to move onto the active key. */
export interface ResealPageInput {
  /** The sealed field (a string, or null/absent when there is nothing sealed). */
  readonly field: string;
  /** The fields `contextOf` needs (besides `_id` and `field`). */
  readonly contextFields: readonly string[];
  /** Associated data the value was sealed with, from the document's ids. */
  readonly contextOf: (doc: Document) => string;
  /** `_id` of the last document of the previous page; null for the first page. */
  readonly after: unknown;
  readonly limit: number;
}

export interface ResealPageResult {
  readonly counts: ResealCounts;
  /** `_id` to continue after; null when the collection is done. */
  readonly next: unknown;
  readonly failedIds: string[];
}

/**
 * Re-seals, on the active key, every value of one page (in `_id` order) that is on an older key.
 * Each write is conditional on the exact old ciphertext (random IVs make it unique), so a newer
 * value written meanwhile by a worker is never replaced by a stale re-seal; no transaction needed.
 * Re-running is harmless: values on the active key are skipped.
 */
export async function resealPage(collection: Collection<Document>, cipher: FieldCipher, input: ResealPageInput): Promise<ResealPageResult> {
  const projection = Object.fromEntries([input.field, ...input.contextFields].map((name) => [name, 1]));
  const docs = await collection
    .find((input.after === null ? {} : { _id: { $gt: input.after } }) as Filter<Document>, { projection })
    .sort({ _id: 1 })
    .limit(input.limit)
    .toArray();
  const counts = emptyCounts();
  const failedIds: string[] = [];
  counts.scanned = docs.length;
  const isStale = (doc: Document) => typeof doc[input.field] === 'string' && !cipher.isCurrent(doc[input.field] as string);
  let stale = docs.filter(isStale);
  counts.current = docs.length - stale.length;

  for (let round = 1; stale.length > 0; round += 1) {
    const operations: AnyBulkWriteOperation<Document>[] = [];
    for (const doc of stale) {
      const old = doc[input.field] as string;
      const context = input.contextOf(doc);
      let next: string;
      try {
        next = cipher.seal(cipher.open(old, context), context);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        counts.failed += 1;
        failedIds.push(String(doc._id));
        continue;
      }
      operations.push({ updateOne: { filter: { _id: doc._id, [input.field]: old }, update: { $set: { [input.field]: next } } } });
    }
    let matched = 0;
    for (let start = 0; start < operations.length; start += WRITE_CHUNK) {
      matched += (await collection.bulkWrite(operations.slice(start, start + WRITE_CHUNK), { ordered: false })).matchedCount;
    }
    counts.resealed += matched;
    if (matched === operations.length) break;
    // Some values changed under us: read them again and retry those still on an old key.
    const failed = new Set(failedIds);
    const ids = stale.filter((doc) => !failed.has(String(doc._id))).map((doc) => doc._id as unknown);
    const fresh = await collection.find({ _id: { $in: ids } } as Filter<Document>, { projection }).toArray();
    const freshStale = fresh.filter(isStale);
    counts.raced += operations.length - matched - freshStale.length;
    if (round >= MAX_ROUNDS) {
      counts.remaining += freshStale.length;
      break;
    }
    stale = freshStale;
  }
  return { counts, next: docs.length < input.limit ? null : docs[docs.length - 1]!._id, failedIds };
}
