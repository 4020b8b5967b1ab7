import { WorkflowUpdateFailedError } from '@temporalio/client';
import { DropboxEmulator } from '../../emulator/src';
import { CheckResult, WorkspaceSyncApi } from '../../src/api';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../../src/domain/ids';
import { createTestApi, startOptions } from './api-fixture';
import { Harness, RunningWorker, uniqueTaskQueue, waitFor, testCredentials, TEST_ADMIN } from './harness';

const AT = '2026-01-02T03:04:05Z';
const CONTINUE = 'files/list_folder/continue';

/** Workflow checks for Actions on the real stack: freshness, sharing one cycle, timeouts, continue-as-new. */
describe('workflow check', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let taskQueue: string;
  let api: WorkspaceSyncApi;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start();
    taskQueue = uniqueTaskQueue('check');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 50 });
    api = createTestApi(harness, startOptions(taskQueue));
  });

  afterAll(async () => {
    emulator.latencyMs = 0;
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  async function syncedWorkspace(label: string): Promise<{ ref: WorkspaceRef; email: string }> {
    const { ref, email } = await harness.connectNewWorkspace(emulator, label);
    emulator.applyBatch(email, { seq: 1, at: AT, ops: [{ op: 'add', path: '/docs/a.txt', size: 1 }] });
    expect(await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 })).toMatchObject({ fresh: true, outcome: 'synced', cycle: 1, changes: 2 });
    return { ref, email };
  }
  const status = async (ref: WorkspaceRef) => (await api.getWorkspaceStatus(ref)).workflow!;

  it('answers a fresh workspace at once, without a cycle', async () => {
    const { ref } = await syncedWorkspace('fresh');
    const before = await status(ref);
    const requests = emulator.countRequests(CONTINUE);

    const result = await api.runWorkflowCheck({ ...ref, maxStalenessMs: 60_000, timeoutMs: 10_000 });

    expect(result).toEqual({ fresh: true, outcome: 'already_fresh', syncedAt: before.syncedAt, changes: 2, cycle: 1 });
    expect(emulator.countRequests(CONTINUE)).toBe(requests);
    expect((await status(ref)).cyclesCompleted).toBe(1);
    await harness.sync.terminate(ref, 'test done');
  });

  it('makes 50 concurrent checks on a stale workspace share exactly one cycle, and all see its result', async () => {
    const { ref, email } = await syncedWorkspace('fifty');
    const staleness = 8000;
    // Temporal admits concurrent updates of one workflow a few at a time, so the 50 arrive over a
    // second or more: the first triggers the cycle, and the cycle answers the others too because it
    // leaves the Recordset fresh within their bound.
    await waitFor('the workspace to go stale', async () => (Date.now() - Date.parse((await status(ref)).syncedAt!) > staleness + 200 ? true : undefined), 20_000);
    emulator.applyBatch(email, { seq: 2, at: AT, ops: [{ op: 'add', path: '/docs/b.txt', size: 2 }] });
    const requests = emulator.countRequests(CONTINUE);
    const requestedAt = Date.now();

    const results = await Promise.all(Array.from({ length: 50 }, () => api.runWorkflowCheck({ ...ref, maxStalenessMs: staleness, timeoutMs: 30_000 })));

    const after = await status(ref);
    expect(after.cyclesCompleted).toBe(2);
    expect(emulator.countRequests(CONTINUE)).toBe(requests + 1);
    for (const result of results) {
      expect(result).toEqual({ fresh: true, outcome: expect.stringMatching(/^(synced|already_fresh)$/), syncedAt: after.syncedAt, changes: 1, cycle: 2 });
    }
    expect(results.filter((result) => result.outcome === 'synced').length).toBeGreaterThanOrEqual(1);
    expect(Date.parse(after.syncedAt!)).toBeGreaterThanOrEqual(requestedAt - 1000);
    expect(after.lastCycle).toMatchObject({ cycle: 2, ok: true, result: { mode: 'incremental', upserts: 1, records: { files: 2, folders: 1 } } });
    expect(after.lastCycle!.durationMs).toBeGreaterThanOrEqual(0);
    await harness.sync.terminate(ref, 'test done');
  });

  it('makes checks that need changes up to their own request (maxStalenessMs 0) wait for a cycle that began after them', async () => {
    const { ref } = await syncedWorkspace('strict');
    const results = await Promise.all(Array.from({ length: 10 }, () => api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 })));
    const after = await status(ref);
    for (const result of results) expect(result).toMatchObject({ fresh: true, outcome: 'synced' });
    // Those that arrived together share a cycle; at most one cycle per arrival batch, never one per check.
    const cycles = new Set(results.map((result) => result.cycle));
    expect(after.cyclesCompleted - 1).toBe(cycles.size);
    expect(cycles.size).toBeLessThan(10);
    await harness.sync.terminate(ref, 'test done');
  });

  it('answers fresh: false with the last sync time when no cycle completes in time, and still runs the cycle', async () => {
    const { ref } = await syncedWorkspace('timeout');
    const before = await status(ref);
    emulator.latencyMs = 3000;
    try {
      const started = Date.now();
      const result = await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(2500);
      expect(result).toEqual({ fresh: false, outcome: 'timed_out', syncedAt: before.syncedAt, changes: null, cycle: null });
      await waitFor('the triggered cycle', async () => ((await status(ref)).cyclesCompleted === 2 ? true : undefined), 20_000);
    } finally {
      emulator.latencyMs = 0;
    }
    expect((await status(ref)).waitingChecks).toBe(0);
    await harness.sync.terminate(ref, 'test done');
  });

  it('answers at once, saying why, when credentials are refused, and "not connected" for an unknown workspace', async () => {
    const { ref } = await syncedWorkspace('blocked');
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials('sl.revoked-token'), actor: TEST_ADMIN }, new Date());
    const failed = await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    expect(failed).toMatchObject({ fresh: false, outcome: 'credentials_blocked', cycle: 2, error: { type: 'DropboxCredentialError' } });
    const cycles = (await status(ref)).cyclesCompleted;

    const atOnce = await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    expect(atOnce).toMatchObject({ fresh: false, outcome: 'credentials_blocked', cycle: null, error: { type: 'DropboxCredentialError' } });
    expect(await status(ref)).toMatchObject({ state: 'blocked', credentialHealth: 'revoked', cyclesCompleted: cycles });
    await harness.sync.terminate(ref, 'test done');

    expect(await api.runWorkflowCheck({ tenantId: 'nobody', workspaceId: 'nowhere', maxStalenessMs: 0, timeoutMs: 1000 })).toEqual({
      fresh: false,
      outcome: 'not_connected',
      syncedAt: null,
      changes: null,
      cycle: null,
    });
  });

  it('rejects bad input in the update validator with a clear message', async () => {
    const { ref } = await syncedWorkspace('invalid');
    const bad = harness.sync.check({ ...ref, maxStalenessMs: -1, timeoutMs: 10_000_000 });
    await expect(bad).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(bad).rejects.toMatchObject({
      cause: { message: 'invalid check input: maxStalenessMs: maxStalenessMs must be at least 0; timeoutMs: timeoutMs must be at most 600000' },
    });
    await expect(harness.sync.check({ ...ref, workspaceId: 'other', maxStalenessMs: 0, timeoutMs: 1000 })).rejects.toThrow();
    await expect(api.runWorkflowCheck({ ...ref, maxStalenessMs: 'soon' as never, timeoutMs: 1000 })).rejects.toThrow(
      'invalid runWorkflowCheck input: maxStalenessMs: maxStalenessMs must be a number of milliseconds',
    );
    expect((await status(ref)).cyclesCompleted).toBe(1);
    await harness.sync.terminate(ref, 'test done');
  });

  it('loses no check across continue-as-new', async () => {
    const { ref, email } = await harness.connectNewWorkspace(emulator, 'can');
    const canApi = createTestApi(harness, startOptions(taskQueue, { continueAsNewAfterEvents: 40 }));
    const firstRun = async () => (await harness.client.workflow.getHandle(workspaceSyncWorkflowId(ref)).describe()).runId;
    const results: CheckResult[] = [];
    let firstRunId: string | undefined;
    for (let round = 1; round <= 6; round += 1) {
      emulator.applyBatch(email, { seq: round, at: AT, ops: [{ op: 'add', path: `/r${round}.txt`, size: round }] });
      // Checks land while the workflow is deciding whether to continue as new.
      const batch = Array.from({ length: 8 }, (_, i) =>
        new Promise<void>((resolve) => setTimeout(resolve, i * 40)).then(() => canApi.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 60_000 })),
      );
      results.push(...(await Promise.all(batch)));
      firstRunId ??= await firstRun();
    }
    expect(results).toHaveLength(48);
    for (const result of results) expect(result).toMatchObject({ fresh: true, outcome: 'synced' });
    const runId = await firstRun();
    expect(runId).not.toBe(firstRunId);
    const final = await status(ref);
    expect(final.cyclesCompleted).toBeGreaterThanOrEqual(6);
    expect(final.records).toEqual({ files: 6, folders: 0 });
    await harness.sync.terminate(ref, 'test done');
  });
});
