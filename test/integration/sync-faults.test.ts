import { DropboxEmulator } from '../../emulator/src';
import type { HistoryBatch } from '../../emulator/src';
import { diffRecordset } from '../../src/verify/recordset-diff';
import { Harness, RunningWorker, uniqueTaskQueue, testCredentials, TEST_ADMIN } from './harness';

const HOUR = 3600_000;
const AT = '2026-01-02T03:04:05Z';

function batch(seq: number, ops: HistoryBatch['ops']): HistoryBatch {
  return { seq, at: AT, ops };
}

/** Faults Dropbox really produces, answered by the real workflow, worker and store. */
describe('sync under Dropbox faults', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let taskQueue: string;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start({ defaultPageLimit: 5 });
    taskQueue = uniqueTaskQueue('faults');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 5 });
  });

  afterAll(async () => {
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  async function connectAndSync(label: string, seed: HistoryBatch['ops']) {
    const workspace = await harness.connectNewWorkspace(emulator, label);
    emulator.applyBatch(workspace.email, batch(1, seed));
    await harness.sync.start(workspace.ref, { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    const first = await harness.sync.syncNow(workspace.ref);
    expect(first.ok).toBe(true);
    return workspace;
  }

  it('waits out a 429 for as long as Retry-After says, then completes the cycle', async () => {
    const { ref, email, records } = await connectAndSync('ratelimit', [
      { op: 'add', path: '/Docs/a.txt', size: 10 },
      { op: 'add', path: '/Docs/b.txt', size: 20 },
    ]);
    emulator.applyBatch(email, batch(2, [{ op: 'modify', path: '/Docs/a.txt', size: 11 }]));
    emulator.injectFault({ kind: 'rate_limit', route: 'files/list_folder/continue', times: 1, retryAfterSeconds: 2, style: 'text' });
    const before = emulator.requests.length;

    const started = Date.now();
    const outcome = await harness.sync.syncNow(ref);
    const elapsed = Date.now() - started;

    expect(outcome).toMatchObject({ ok: true, result: { mode: 'incremental', upserts: 1, deletes: 0 } });
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    const continues = emulator.requests.slice(before).filter((request) => request.route === 'files/list_folder/continue');
    expect(continues.map((request) => request.status)).toEqual([429, 200]);
    expect(diffRecordset(await records.listActive(), emulator.groundTruth(email))).toEqual({ missing: [], extra: [], mismatched: [], duplicates: [] });
    await harness.sync.terminate(ref, 'test done');
  });

  it('answers a cursor reset with a full re-listing that sweeps what vanished meanwhile', async () => {
    const { ref, email, records } = await connectAndSync('reset', [
      { op: 'add', path: '/Keep/one.txt', size: 1 },
      { op: 'add', path: '/Keep/two.txt', size: 2 },
      { op: 'add', path: '/Gone/three.txt', size: 3 },
      { op: 'add', path: '/Gone/four.txt', size: 4 },
    ]);
    // The cursor dies, and the deletions made meanwhile are never reported as deleted entries.
    emulator.invalidateCursors(email);
    emulator.applyBatch(email, batch(2, [{ op: 'delete', path: '/Gone' }, { op: 'add', path: '/Keep/five.txt', size: 5 }]));

    const outcome = await harness.sync.syncNow(ref);

    expect(outcome).toMatchObject({ ok: true, result: { mode: 'full', resets: 1, generation: 2, swept: 3 } });
    const active = await records.listActive();
    expect(active.map((record) => record.pathLower)).toEqual(['/keep', '/keep/five.txt', '/keep/one.txt', '/keep/two.txt']);
    expect(diffRecordset(active, emulator.groundTruth(email))).toEqual({ missing: [], extra: [], mismatched: [], duplicates: [] });
    await harness.sync.terminate(ref, 'test done');
  });

  it('reports a revoked token as a failed cycle without touching the cursor or the records', async () => {
    const { ref, email, records } = await connectAndSync('revoked', [{ op: 'add', path: '/Docs/a.txt', size: 10 }]);
    const stateBefore = await harness.syncState.load(ref);
    const recordsBefore = await records.listActive();
    // Point the connection at a token Dropbox does not know (as after a revocation).
    await harness.connections.connect(ref, { account: { accountId: 'dbid:unknown', kind: 'personal' }, rootPath: '', credentials: testCredentials('sl.revoked-token-value'), actor: TEST_ADMIN }, new Date());
    emulator.applyBatch(email, batch(2, [{ op: 'add', path: '/Docs/b.txt', size: 20 }]));

    const outcome = await harness.sync.syncNow(ref);

    expect(outcome).toMatchObject({ ok: false, error: { type: 'DropboxCredentialError' } });
    expect(outcome.error!.message).toContain('invalid_access_token');
    expect(outcome.error!.message).not.toContain('sl.revoked-token-value');
    expect((await harness.syncState.load(ref))?.cursor).toBe(stateBefore?.cursor);
    expect(await records.listActive()).toEqual(recordsBefore);
    await harness.sync.terminate(ref, 'test done');
  });
});
