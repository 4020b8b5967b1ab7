import { Db } from 'mongodb';
import { FieldCipher } from '../crypto';
import { ConnectionsRepository } from '../store/connections-repo';
import { retireOtherVersions } from '../store/key-check';
import { RecordsRepository } from '../store/records-repo';
import { addCounts, emptyCounts, ResealCounts, ResealPageResult } from '../store/reseal';
import { SyncStateRepository } from '../store/sync-state-repo';

export interface ReencryptDeps {
  readonly db: Db;
  readonly cipher: FieldCipher;
  readonly records: RecordsRepository;
  readonly syncState: SyncStateRepository;
  readonly connections: ConnectionsRepository;
  /** Documents read per page (writes go in smaller chunks). */
  readonly batchSize: number;
  readonly clock: () => Date;
  /** Called after each page, for progress output. */
  readonly onPage?: (collection: string, counts: ResealCounts) => void;
}

export interface ReencryptReport {
  readonly activeVersion: number;
  readonly records: ResealCounts;
  readonly syncState: ResealCounts;
  readonly connections: { scanned: number; resealed: number; current: number; raced: number };
  /** `_id`s of documents whose value no configured key opens (never their contents). */
  readonly failedIds: string[];
  /** True when every value is now on the active key, so the older versions were retired. */
  readonly complete: boolean;
  /** Versions retired by this run (the key check lets them be dropped from the keyring). */
  readonly retired: number[];
}

/**
 * Moves every sealed value (records, cursors, credential envelopes) onto the active key, page by
 * page, while workers keep running: each re-seal is a conditional update on the old ciphertext,
 * so it never overwrites a newer write. Idempotent and resumable by simply running it again.
 * When nothing is left on an older key, those versions are marked retired so the start-up key
 * check accepts a keyring without them.
 */
export async function reencryptStore(deps: ReencryptDeps): Promise<ReencryptReport> {
  const failedIds: string[] = [];
  const walk = async (name: string, page: (after: unknown, limit: number) => Promise<ResealPageResult>) => {
    const total = emptyCounts();
    let after: unknown = null;
    do {
      const result = await page(after, deps.batchSize);
      addCounts(total, result.counts);
      failedIds.push(...result.failedIds);
      deps.onPage?.(name, total);
      after = result.next;
    } while (after !== null);
    return total;
  };
  const records = await walk('records', (after, limit) => deps.records.reencryptPage(after, limit));
  const syncState = await walk('sync_state', (after, limit) => deps.syncState.reencryptPage(after, limit));
  const connections = await deps.connections.reencryptCredentials((sealed) => deps.cipher.isCurrent(sealed));
  // A credential envelope replaced meanwhile is not re-read, so the run counts as complete only without such races.
  const complete = failedIds.length === 0 && records.remaining + syncState.remaining === 0 && connections.raced === 0;
  const retired = complete ? await retireOtherVersions(deps.db, deps.cipher.activeVersion, deps.clock()) : [];
  return { activeVersion: deps.cipher.activeVersion, records, syncState, connections, failedIds, complete, retired };
}
