import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DropboxEmulator } from '../../emulator/src';
import { workspaceSyncWorkflowId } from '../../src/domain/ids';
import { createDataConverter } from '../../src/temporal/data-converter';
import { Harness, RunningWorker, uniqueTaskQueue, testCredentials, TEST_ADMIN } from './harness';

const HISTORIES = join(__dirname, 'histories');
const recorded = readdirSync(HISTORIES).filter((file) => file.endsWith('.json')).sort();

/**
 * Determinism guard: recorded histories (test/integration/histories, made by record.ts: checks of
 * every outcome, schedule and pause signals, credential failure and recovery, continue-as-new) and a
 * history recorded now of the sync workflow (scheduled cycle, syncNow updates, a
 * failed cycle, a reconcile) must replay without non-determinism against the current workflow code.
 * A change that would break running workflows fails here.
 */
describe('workflow replay', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  it('has recorded histories to replay', () => {
    expect(recorded).toEqual(expect.arrayContaining(['continue-as-new.json', 'workspace-life.json']));
  });

  it.each(recorded)('replays %s with the current code', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
    // With the codec: histories recorded before it hold plain payloads, which it passes through.
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: harness.info.bundlePath }, dataConverter: createDataConverter(harness.keyring) }, history, file)).resolves.toBeUndefined();
  });

  it('replays a history of the sync workflow recorded now with the current code', async () => {
    const taskQueue = uniqueTaskQueue('replay-history');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 3 });
    const { ref, email, accessToken } = await harness.connectNewWorkspace(emulator, 'history');
    emulator.applyBatch(email, { seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/a/b.txt', size: 3 }, { op: 'add', path: '/a/c.txt', size: 4 }] });
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: 3600_000, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    await harness.sync.syncNow(ref);
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials('sl.not-a-known-token'), actor: TEST_ADMIN }, new Date());
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: false });
    // Reconnecting with the good token resumes from the saved cursor.
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials(accessToken), actor: TEST_ADMIN }, new Date());
    const [reconcile, concurrent] = await Promise.all([harness.sync.syncNow(ref, { fullRelist: true }), harness.sync.syncNow(ref)]);
    expect(reconcile).toMatchObject({ ok: true, result: { mode: 'full' } });
    // Two requests sent together may land in one workflow task or in two; either way each is
    // answered by a cycle that began after it, never by an earlier one.
    expect(concurrent).toMatchObject({ ok: true });
    expect(concurrent.cycle).toBeGreaterThanOrEqual(reconcile.cycle - 1);
    await harness.sync.terminate(ref, 'recorded');

    const history = await harness.client.workflow.getHandle(workspaceSyncWorkflowId(ref)).fetchHistory();
    expect(history.events?.length).toBeGreaterThan(20);
    // Recorded through the payload codec: its payloads are encrypted and decode with the same keys.
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: harness.info.bundlePath }, dataConverter: createDataConverter(harness.keyring) }, history, workspaceSyncWorkflowId(ref)),
    ).resolves.toBeUndefined();
  });
});
