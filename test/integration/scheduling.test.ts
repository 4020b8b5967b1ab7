import { DropboxEmulator } from '../../emulator/src';
import { WorkspaceSyncApi } from '../../src/api';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../../src/domain/ids';
import { InvalidInputError } from '../../src/domain/errors';
import { createTestApi, HOUR, SECOND, startOptions } from './api-fixture';
import { Harness, RunningWorker, uniqueTaskQueue, waitFor } from './harness';

const ADD = (seq: number, path: string) => ({ seq, at: '2026-01-02T03:04:05Z', ops: [{ op: 'add' as const, path, size: seq }] });

/** Admin control of scheduling on the real stack: frequency at both levels, pause and resume, status. */
describe('scheduling that admins control', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let api: WorkspaceSyncApi;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start();
    const taskQueue = uniqueTaskQueue('scheduling');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 50 });
    api = createTestApi(harness, startOptions(taskQueue));
  });

  afterAll(async () => {
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  /** Connects a workspace and runs its first cycle through a check (which starts the workflow). */
  async function syncedWorkspace(label: string, tenantId?: string): Promise<WorkspaceRef> {
    const { ref, email } = await harness.connectNewWorkspace(emulator, label, tenantId);
    emulator.applyBatch(email, ADD(1, '/a.txt'));
    expect(await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 })).toMatchObject({ fresh: true, outcome: 'synced', cycle: 1 });
    return ref;
  }

  const status = async (ref: WorkspaceRef) => (await api.getWorkspaceStatus(ref)).workflow!;

  it('re-plans at once when a workspace override is set, and falls back to the tenant when it is cleared', async () => {
    const ref = await syncedWorkspace('override');
    const before = await status(ref);
    expect(before).toMatchObject({ state: 'idle', schedule: { frequencyMs: HOUR, source: 'default' }, cyclesCompleted: 1, credentialHealth: 'healthy' });
    expect(Date.parse(before.nextDueAt!) - Date.parse(before.syncedAt!)).toBeGreaterThan(0);

    await api.setSyncFrequency({ tenantId: ref.tenantId, frequencySeconds: 1800 });
    const set = await api.setSyncFrequency({ ...ref, frequencySeconds: 2 });
    expect(set).toEqual({ scope: 'workspace', ...ref, signalled: [ref.workspaceId] });
    const replanned = await waitFor('the override to apply', async () => {
      const s = await status(ref);
      return s.schedule.source === 'workspace' ? s : undefined;
    });
    expect(replanned.schedule.frequencyMs).toBe(2 * SECOND);
    expect(Date.parse(replanned.nextDueAt!) - Date.now()).toBeLessThanOrEqual(2 * SECOND);
    // Scheduled cycles now come every 2 s instead of every hour.
    await waitFor('two scheduled cycles', async () => ((await status(ref)).cyclesCompleted >= 3 ? true : undefined), 20_000);

    const cleared = await api.clearWorkspaceOverride(ref);
    expect(cleared).toMatchObject({ cleared: true, signalled: [ref.workspaceId], settings: { frequencyMs: 1800 * SECOND, frequencySource: 'tenant' } });
    const fallenBack = await waitFor('the tenant frequency to apply', async () => {
      const s = await status(ref);
      return s.schedule.source === 'tenant' ? s : undefined;
    });
    expect(fallenBack.schedule.frequencyMs).toBe(1800 * SECOND);
    expect(Date.parse(fallenBack.nextDueAt!) - Date.now()).toBeGreaterThan(2 * SECOND);
    expect(await api.clearWorkspaceOverride(ref)).toMatchObject({ cleared: false, signalled: [] });
    await harness.sync.terminate(ref, 'test done');
  });

  it('re-plans every workspace of a tenant without an override, and none with one', async () => {
    const tenantId = `tenant-${Date.now().toString(36)}`;
    const [a, b, own] = [await syncedWorkspace('ta', tenantId), await syncedWorkspace('tb', tenantId), await syncedWorkspace('town', tenantId)];
    await api.setSyncFrequency({ ...own, frequencySeconds: 7200 });
    await waitFor('the override', async () => ((await status(own)).schedule.source === 'workspace' ? true : undefined));
    const ownBefore = await status(own);

    const result = await api.setSyncFrequency({ tenantId, frequencySeconds: 2 });
    expect(result.scope).toBe('tenant');
    expect([...result.signalled].sort()).toEqual([a.workspaceId, b.workspaceId].sort());
    for (const ref of [a, b]) {
      await waitFor(`${ref.workspaceId} to re-plan`, async () => ((await status(ref)).schedule.frequencyMs === 2 * SECOND ? true : undefined));
      await waitFor(`${ref.workspaceId} to run scheduled cycles`, async () => ((await status(ref)).cyclesCompleted >= 3 ? true : undefined), 20_000);
    }
    const ownAfter = await status(own);
    expect(ownAfter.schedule).toEqual(ownBefore.schedule);
    expect(ownAfter.nextDueAt).toBe(ownBefore.nextDueAt);
    expect(ownAfter.cyclesCompleted).toBe(1);
    // The workspaces' phases differ, so they do not fire together.
    expect(new Set([a, b, own].map((ref) => ref.workspaceId)).size).toBe(3);

    // A tenant pause reaches all three; a workspace's own pause outlives the tenant's resume.
    await api.pauseWorkspace(own);
    const paused = await api.pauseWorkspace({ tenantId });
    expect([...paused.signalled].sort()).toEqual([a.workspaceId, b.workspaceId, own.workspaceId].sort());
    for (const ref of [a, b]) {
      const s = await waitFor('tenant pause', async () => ((await status(ref)).state === 'paused' ? status(ref) : undefined));
      expect(s).toMatchObject({ pausedBy: 'tenant', nextDueAt: null });
      expect(await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 10_000 })).toMatchObject({ fresh: false, outcome: 'paused', pausedBy: 'tenant' });
    }
    const cyclesWhilePaused = (await status(a)).cyclesCompleted;
    await new Promise((resolve) => setTimeout(resolve, 3 * SECOND));
    expect((await status(a)).cyclesCompleted).toBe(cyclesWhilePaused);

    await api.resumeWorkspace({ tenantId });
    await waitFor('tenant resume', async () => ((await status(a)).pausedBy === null ? true : undefined));
    await waitFor('cycles again', async () => ((await status(a)).cyclesCompleted > cyclesWhilePaused ? true : undefined), 20_000);
    expect(await status(own)).toMatchObject({ state: 'paused', pausedBy: 'workspace' });
    expect(await api.getWorkspaceStatus(own)).toMatchObject({ connected: true, settings: { pausedBy: 'workspace', frequencySource: 'workspace' } });
    await api.resumeWorkspace(own);
    await waitFor('workspace resume', async () => ((await status(own)).state === 'idle' ? true : undefined));
    for (const ref of [a, b, own]) await harness.sync.terminate(ref, 'test done');
  });

  it('keeps search attributes and memo current for ops', async () => {
    const ref = await syncedWorkspace('visible');
    const id = workspaceSyncWorkflowId(ref);
    const query = `FostrTenantId = '${ref.tenantId}' AND FostrWorkspaceId = '${ref.workspaceId}' AND FostrSyncState = 'idle' AND FostrCredentialHealth = 'healthy' AND FostrLastSyncedAt > '2026-01-01T00:00:00Z'`;
    const found = await waitFor('the workflow in visibility', async () => {
      for await (const execution of harness.client.workflow.list({ query })) return execution.workflowId;
      return undefined;
    });
    expect(found).toBe(id);
    await api.pauseWorkspace(ref);
    await waitFor('paused in visibility', async () => {
      for await (const execution of harness.client.workflow.list({ query: `WorkflowId = '${id}' AND FostrSyncState = 'paused'` })) return execution;
      return undefined;
    });
    const description = await harness.client.workflow.getHandle(id).describe();
    expect(description.memo).toMatchObject({ frequencyMs: HOUR, pausedBy: 'workspace', lastCycle: { cycle: 1, ok: true, errorType: null } });
    await harness.sync.terminate(ref, 'test done');
  });

  it('refuses frequencies outside the floor and ceiling, and malformed input, naming the problem', async () => {
    await expect(api.setSyncFrequency({ tenantId: 't1', frequencySeconds: 0 })).rejects.toThrow(
      'invalid setSyncFrequency input: frequencySeconds: must be between 1 (1 s) and 604800 (7 d), got 0',
    );
    await expect(api.setSyncFrequency({ tenantId: 't1', frequencySeconds: 604801 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(api.setSyncFrequency({ tenantId: 't1', frequencySeconds: 1.5 })).rejects.toThrow('frequencySeconds: frequencySeconds must be a whole number of seconds');
    await expect(api.pauseWorkspace({ tenantId: 'bad id!' })).rejects.toThrow('invalid pauseWorkspace input: tenantId:');
    await expect(api.getWorkspaceStatus({ tenantId: 't1' } as never)).rejects.toThrow('workspaceId');
  });
});
