/**
 * Records the workflow histories that workflow-replay.test.ts replays (`npx tsx test/integration/histories/record.ts`).
 * Starts the test stack as the integration global setup does, drives the real workflow through
 * every message and branch it has, and saves each history next to this file. Re-record only when a
 * deliberate, release-noted change of the workflow's shape makes old histories unreplayable.
 */
import { temporal } from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DropboxEmulator } from '../../../emulator/src';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../../../src/domain/ids';
import { decodeHistoryPayloads } from '../../../src/temporal/decode-history';
import { EncryptionCodec } from '../../../src/temporal/payload-codec';
import { createTestApi, startOptions } from '../api-fixture';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { Harness, uniqueTaskQueue, waitFor, testCredentials, TEST_ADMIN } from '../harness';

const AT = '2026-01-02T03:04:05Z';

async function save(harness: Harness, ref: WorkspaceRef, name: string, runId?: string): Promise<void> {
  const history = await harness.client.workflow.getHandle(workspaceSyncWorkflowId(ref), runId).fetchHistory();
  // The harness's keys are random per run: save the payloads decrypted, or nothing could replay them.
  await decodeHistoryPayloads(history, new EncryptionCodec(harness.keyring));
  // protobufjs JSON (enum names, base64 bytes); the replay test reads it back with History.fromObject.
  writeFileSync(join(__dirname, `${name}.json`), `${JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON())}\n`);
  process.stdout.write(`recorded ${name}: ${history.events?.length} events\n`);
}

async function main(): Promise<void> {
  await globalSetup();
  const harness = await Harness.open();
  const emulator = await DropboxEmulator.start();
  const taskQueue = uniqueTaskQueue('record');
  const worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 2 });
  try {
    // Scheduling, pause, checks of every outcome, syncNow, credentials: one workspace's life.
    const api = createTestApi(harness, startOptions(taskQueue));
    const { ref, email, accessToken } = await harness.connectNewWorkspace(emulator, 'life', 'tenant-history');
    emulator.applyBatch(email, { seq: 1, at: AT, ops: [{ op: 'add', path: '/a/b.txt', size: 3 }, { op: 'add', path: '/a/c.txt', size: 4 }] });
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 60_000, timeoutMs: 30_000 });
    await api.setSyncFrequency({ ...ref, frequencySeconds: 1 });
    await waitFor('scheduled cycles', async () => ((await harness.sync.status(ref)).cyclesCompleted >= 3 ? true : undefined));
    await api.pauseWorkspace(ref);
    await waitFor('pause', async () => ((await harness.sync.status(ref)).state === 'paused' ? true : undefined));
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    await harness.sync.syncNow(ref).catch(() => undefined);
    await api.resumeWorkspace(ref);
    await waitFor('resume', async () => ((await harness.sync.status(ref)).pausedBy === null ? true : undefined));
    await api.setSyncFrequency({ tenantId: ref.tenantId, frequencySeconds: 3600 });
    await api.clearWorkspaceOverride(ref);
    emulator.applyBatch(email, { seq: 2, at: AT, ops: [{ op: 'delete', path: '/a/c.txt' }] });
    await Promise.all([harness.sync.syncNow(ref, { fullRelist: true }), ...Array.from({ length: 5 }, () => api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 }))]);
    emulator.latencyMs = 1500;
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 200 });
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 0 });
    emulator.latencyMs = 0;
    await waitFor('the abandoned cycle', async () => ((await harness.sync.status(ref)).pendingRequests === 0 && (await harness.sync.status(ref)).state !== 'syncing' ? true : undefined));
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials('sl.not-a-known-token'), actor: TEST_ADMIN }, new Date());
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 30_000 });
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials(accessToken), actor: TEST_ADMIN }, new Date());
    await harness.sync.credentialsUpdated(ref);
    await waitFor('healthy again', async () => ((await harness.sync.status(ref)).credentialHealth === 'healthy' ? true : undefined));
    await harness.sync.check({ ...ref, maxStalenessMs: -1, timeoutMs: 0 }).catch(() => undefined);
    await harness.sync.terminate(ref, 'recorded');
    await save(harness, ref, 'workspace-life');

    // Continue-as-new under a stream of checks: the first run's history ends with it.
    const canApi = createTestApi(harness, startOptions(taskQueue, { continueAsNewAfterEvents: 30 }));
    const can = await harness.connectNewWorkspace(emulator, 'can', 'tenant-history');
    const firstRunId = await (async () => {
      await canApi.runWorkflowCheck({ ...can.ref, maxStalenessMs: 0, timeoutMs: 30_000 });
      return (await harness.client.workflow.getHandle(workspaceSyncWorkflowId(can.ref)).describe()).runId;
    })();
    for (let round = 0; round < 4; round += 1) {
      emulator.applyBatch(can.email, { seq: round + 1, at: AT, ops: [{ op: 'add', path: `/r${round}.txt`, size: round + 1 }] });
      await Promise.all(Array.from({ length: 4 }, () => canApi.runWorkflowCheck({ ...can.ref, maxStalenessMs: 0, timeoutMs: 30_000 })));
    }
    const described = await harness.client.workflow.getHandle(workspaceSyncWorkflowId(can.ref)).describe();
    if (described.runId === firstRunId) throw new Error('the workflow did not continue as new');
    await harness.sync.terminate(can.ref, 'recorded');
    await save(harness, can.ref, 'continue-as-new', firstRunId);
  } finally {
    emulator.latencyMs = 0;
    await worker.stop();
    await emulator.stop();
    await harness.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
