import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DropboxEmulator, readHistory } from '../../emulator/src';
import { WorkspaceRecords } from '../../src/store/records-repo';
import { diffRecordset } from '../../src/verify/recordset-diff';
import { Harness, uniqueTaskQueue, waitFor } from './harness';

const REPO = resolve(__dirname, '..', '..');
const CORPUS = resolve(REPO, '..', 'shared', 'corpora', 'history-papers.jsonl');
const PAGE_LIMIT = 10;

/**
 * A worker process is killed (SIGKILL, no goodbye) in the middle of a multi-page initial sync. A
 * second worker picks the cycle up after the heartbeat timeout, continues from the cursor saved in
 * MongoDB (no second `list_folder`), and the Recordset ends equal to Dropbox.
 */
describe('a worker killed during the initial sync', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start();
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await emulator?.stop();
    await harness?.close();
  });

  it('resumes from the saved cursor on another worker and ends equal to Dropbox', async () => {
    const { ref, email, records } = await harness.connectNewWorkspace(emulator, 'crash');
    for (const batch of readHistory(CORPUS)) emulator.applyBatch(email, batch);
    const truth = emulator.groundTruth(email);
    const expectedPages = Math.ceil(truth.length / PAGE_LIMIT);
    expect(expectedPages).toBeGreaterThan(20);
    // Slow enough that the kill lands mid-listing.
    emulator.latencyMs = 150;

    const taskQueue = uniqueTaskQueue('crash');
    const first = spawnWorker(taskQueue);
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: 3600_000, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 3000 });

    const atKill = await waitFor('a few saved pages', async () => {
      const state = await harness.syncState.load(ref);
      return state && state.listingInProgress && state.progress.pages >= 5 ? state : undefined;
    });
    first.kill('SIGKILL');
    const savedActive = await countActive(records);
    expect(savedActive).toBeGreaterThanOrEqual(atKill.progress.entries);
    expect(savedActive).toBeLessThan(truth.length);

    spawnWorker(taskQueue);
    const status = await waitFor(
      'the first cycle to finish on the second worker',
      async () => {
        const current = await harness.sync.status(ref);
        return current.lastCycle ? current : undefined;
      },
      180_000,
    );

    expect(status.lastCycle).toMatchObject({ ok: true, result: { mode: 'full', generation: 1, resets: 0 } });
    // The second attempt saved fewer pages than a whole listing: it started from the saved cursor.
    expect(status.lastCycle!.result!.pages).toBeLessThan(expectedPages);
    expect(emulator.countRequests('files/list_folder')).toBe(1);
    expect(diffRecordset(await records.listActive(), truth)).toEqual({ missing: [], extra: [], mismatched: [], duplicates: [] });
    await harness.sync.terminate(ref, 'test done');
  });

  function spawnWorker(taskQueue: string): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, 'src', 'worker', 'main.ts')], {
      cwd: REPO,
      env: harness.processEnv(emulator, { TEMPORAL_TASK_QUEUE: taskQueue, SYNC_PAGE_LIMIT: String(PAGE_LIMIT), LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    return child;
  }
});

async function countActive(records: WorkspaceRecords): Promise<number> {
  const counts = await records.countActive();
  return counts.files + counts.folders;
}

