import { resolve } from 'node:path';
import { DropboxEmulator, readHistory } from '../../emulator/src';
import type { HistoryBatch } from '../../emulator/src';
import { toLower } from '../../emulator/src/paths';
import { WorkspaceRef } from '../../src/domain/ids';
import { WorkspaceRecords } from '../../src/store/records-repo';
import { diffRecordset, FieldMismatch } from '../../src/verify/recordset-diff';
import { Harness, RunningWorker, uniqueTaskQueue, waitFor } from './harness';

const CORPUS = resolve(__dirname, '..', '..', '..', 'shared', 'corpora', 'history-papers.jsonl');
/** Small pages so the listing and the change feed both span many pages. */
const PAGE_LIMIT = 25;
/** A reconcile (full re-listing) every this many batches, and at the end. */
const RECONCILE_EVERY = 150;
const NEVER = 24 * 3600 * 1000;

/**
 * Replays the real change history (adds, edits, deletes, moves, case-only renames) batch by batch
 * and runs a cycle after each, on the real stack. After every cycle the active records must equal
 * the emulator's ground truth: ids, kinds, lower paths, sizes, revs and hashes exactly; names and
 * display paths exactly too, except for items renamed only in case since the last full listing,
 * which Dropbox does not report incrementally. After each reconcile, everything must be exact.
 */
describe('replaying the real change history', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let ref: WorkspaceRef;
  let email: string;
  let records: WorkspaceRecords;
  const history: HistoryBatch[] = readHistory(CORPUS);

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start({ defaultPageLimit: PAGE_LIMIT });
    ({ ref, email, records } = await harness.connectNewWorkspace(emulator, 'replay'));
    const taskQueue = uniqueTaskQueue('replay');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: PAGE_LIMIT });
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: NEVER, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    // The workflow loads its settings before its first cycle; a request sent meanwhile would be
    // served by that initial listing, so let it finish first.
    await waitFor('the initial listing', async () => ((await harness.sync.status(ref)).cyclesCompleted >= 1 ? true : undefined));
  });

  afterAll(async () => {
    await harness.sync.terminate(ref, 'test done').catch(() => undefined);
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  it('keeps the Recordset equal to Dropbox after every batch', async () => {
    expect(history.length).toBeGreaterThan(500);
    const staleCase = new Set<string>();
    let cycles = 0;
    let incrementalCycles = 0;
    let staleCaseSeen = 0;

    for (const batch of history) {
      rememberCaseOnlyRenames(batch, staleCase);
      emulator.applyBatch(email, batch);
      const outcome = await harness.sync.syncNow(ref);
      expect(outcome).toMatchObject({ ok: true });
      cycles += 1;
      if (outcome.result?.mode === 'incremental') incrementalCycles += 1;
      const active = await records.listActive();
      const diff = diffRecordset(active, emulator.groundTruth(email));
      const unexpected = diff.mismatched.filter((mismatch) => !isStaleCase(mismatch, staleCase));
      staleCaseSeen = Math.max(staleCaseSeen, diff.mismatched.length - unexpected.length);
      expect({ seq: batch.seq, missing: diff.missing, extra: diff.extra, duplicates: diff.duplicates, mismatched: unexpected }).toEqual({
        seq: batch.seq,
        missing: [],
        extra: [],
        duplicates: [],
        mismatched: [],
      });
      const paths = active.map((record) => record.pathLower);
      expect(new Set(paths).size).toBe(paths.length);
      for (const op of batch.ops) {
        if (op.op === 'delete') expect(paths).not.toContain(toLower(op.path));
      }

      if (batch.seq % RECONCILE_EVERY === 0 || batch === history[history.length - 1]) {
        const reconcile = await harness.sync.syncNow(ref, { fullRelist: true });
        expect(reconcile.result).toMatchObject({ mode: 'full', swept: 0 });
        const exact = diffRecordset(await records.listActive(), emulator.groundTruth(email));
        expect({ seq: batch.seq, ...exact }).toEqual({ seq: batch.seq, missing: [], extra: [], mismatched: [], duplicates: [] });
        staleCase.clear();
      }
    }

    expect(cycles).toBe(history.length);
    // The workflow's own first cycle did the initial listing; every cycle asked for here continued
    // from a cursor, so the change feed, not re-listing, did the work.
    expect(incrementalCycles).toBe(history.length);
    // The corpus has case-only renames, and they did go unreported until a reconcile.
    expect(staleCaseSeen).toBeGreaterThan(0);
  });

  /** Ids whose name changed only in case: from the tree before the batch is applied. */
  function rememberCaseOnlyRenames(batch: HistoryBatch, staleCase: Set<string>): void {
    for (const op of batch.ops) {
      if (op.op !== 'move' || toLower(op.from) !== toLower(op.to)) continue;
      const node = emulator.account(email).namespace.get(toLower(op.from));
      if (node) staleCase.add(node.id);
    }
  }
});

function isStaleCase(mismatch: FieldMismatch, staleCase: Set<string>): boolean {
  return (
    staleCase.has(mismatch.dropboxId) &&
    (mismatch.field === 'name' || mismatch.field === 'pathDisplay') &&
    typeof mismatch.expected === 'string' &&
    typeof mismatch.actual === 'string' &&
    mismatch.expected.toLowerCase() === mismatch.actual.toLowerCase()
  );
}
