import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DropboxEmulator } from '../../emulator/src';
import { createAlertsApi } from '../../src/api';
import type { HistoryBatch } from '../../emulator/src';
import { AlertWebhook } from '../../src/services/alert-webhook';
import { startOptions } from './api-fixture';
import { alertsOf, startHealthWorker, TokenEndpointFaults, WebhookReceiver } from './credential-fixture';
import { Harness, RunningWorker, uniqueTaskQueue, waitFor } from './harness';

const AT = '2026-01-02T03:04:05Z';

function batch(seq: number, ops: HistoryBatch['ops']): HistoryBatch {
  return { seq, at: AT, ops };
}

/** Transient failures (429, 5xx, a token endpoint that fails for a while) never raise a credential alert. */
describe('credential health under transient failures', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let receiver: WebhookReceiver;
  let faults: TokenEndpointFaults;
  let worker: RunningWorker;
  let webhook: AlertWebhook;
  let taskQueue: string;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start({ defaultPageLimit: 3 });
    receiver = await WebhookReceiver.start();
    faults = await TokenEndpointFaults.start(emulator.baseUrl);
    taskQueue = uniqueTaskQueue('transient');
    ({ worker, webhook } = await startHealthWorker(harness, { taskQueue, emulator, receiver, apiBaseUrl: faults.url }));
  });

  afterAll(async () => {
    await worker?.stop();
    await webhook?.drain();
    await faults?.stop();
    await receiver?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  async function connectAndSync(label: string) {
    const workspace = await harness.connectWithOAuthTokens(emulator, label);
    emulator.applyBatch(workspace.email, batch(1, [1, 2, 3, 4, 5].map((n) => ({ op: 'add' as const, path: `/Files/f${n}.txt`, size: n }))));
    await harness.sync.start(workspace.ref, startOptions(taskQueue, { credentialProbeIntervalMs: 1000 }));
    expect(await harness.sync.syncNow(workspace.ref)).toMatchObject({ ok: true });
    return workspace;
  }

  it('rides out 429 and 5xx during a cycle with no alert and health unchanged', async () => {
    const { ref, email } = await connectAndSync('flaky');
    emulator.applyBatch(email, batch(2, [{ op: 'add', path: '/Files/g.txt', size: 7 }]));
    emulator.injectFault({ kind: 'rate_limit', route: 'files/list_folder/continue', account: email, times: 1, retryAfterSeconds: 1 });
    emulator.injectFault({ kind: 'server_error', route: 'files/list_folder/continue', account: email, times: 2, status: 503 });

    const outcome = await harness.sync.syncNow(ref);

    expect(outcome).toMatchObject({ ok: true, result: { upserts: 1 } });
    expect(await harness.sync.status(ref)).toMatchObject({ state: 'idle', credentialHealth: 'healthy' });
    expect((await harness.connections.info(ref))?.health.state).toBe('healthy');
    expect(await alertsOf(harness).list({ tenantId: ref.tenantId })).toEqual([]);
    await webhook.drain();
    expect(receiver.forWorkspace(ref)).toEqual([]);
    await harness.sync.terminate(ref, 'test done');
  });

  it('a token endpoint answering 429 then 503 makes the connection expired, never alerting, and the retried cycle recovers', async () => {
    const { ref, email, tokens, records } = await connectAndSync('tokenfail');
    const cursorBefore = (await harness.syncState.load(ref))?.cursor;
    emulator.applyBatch(email, batch(2, [{ op: 'add', path: '/Files/h.txt', size: 8 }]));
    faults.failWith = 429;
    emulator.expireAccessToken(tokens.accessToken);

    const cycle = harness.sync.syncNow(ref);
    await waitFor('health expired', async () => ((await harness.connections.info(ref))?.health.state === 'expired' ? true : undefined), 20_000);
    faults.failWith = 503;
    const failedBefore = faults.failed;
    await waitFor('a 503 from the token endpoint', async () => (faults.failed > failedBefore ? true : undefined), 20_000);
    expect((await harness.connections.info(ref))?.health.state).toBe('expired');
    expect(await alertsOf(harness).list({ tenantId: ref.tenantId })).toEqual([]);
    expect((await harness.syncState.load(ref))?.cursor).toBe(cursorBefore);
    faults.failWith = undefined;

    expect(await cycle).toMatchObject({ ok: true, result: { upserts: 1 } });
    expect((await harness.connections.info(ref))?.health.state).toBe('healthy');
    expect((await records.listActive()).map((record) => record.pathLower)).toContain('/files/h.txt');
    expect(await alertsOf(harness).list({ tenantId: ref.tenantId })).toEqual([]);
    await webhook.drain();
    expect(receiver.forWorkspace(ref)).toEqual([]);
    await harness.sync.terminate(ref, 'test done');
  });

  it('a probe that meets a 5xx while blocked changes nothing: same state, still one alert', async () => {
    const { ref, email, tokens } = await connectAndSync('probe5xx');
    emulator.removeScope(tokens.accessToken, 'files.metadata.read');
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: false, error: { health: 'insufficient_scope' } });
    emulator.injectFault({ kind: 'server_error', route: 'files/list_folder', account: email, times: 3, status: 500 });
    const before = emulator.countRequests('files/list_folder');
    // Three failing probe attempts, then probes that meet the missing scope again.
    await waitFor('probes past the 5xx', async () => (emulator.countRequests('files/list_folder') - before >= 5 ? true : undefined), 30_000);
    expect((await harness.connections.info(ref))?.health.state).toBe('insufficient_scope');
    expect(await harness.sync.status(ref)).toMatchObject({ state: 'blocked', credentialHealth: 'insufficient_scope' });
    expect(await alertsOf(harness).list({ tenantId: ref.tenantId })).toEqual([expect.objectContaining({ status: 'open', state: 'insufficient_scope' })]);
    await webhook.drain();
    expect(receiver.forWorkspace(ref).map((entry) => entry.event.event)).toEqual(['alert.raised']);

    // The library API and the CLI list it; neither shows a token.
    const listed = await createAlertsApi({ db: harness.db }).listAlerts({ tenantId: ref.tenantId });
    expect(listed).toEqual([expect.objectContaining({ workspaceId: ref.workspaceId, status: 'open', state: 'insufficient_scope', missingScope: 'files.metadata.read', raisedAt: expect.any(String) })]);
    await expect(createAlertsApi({ db: harness.db }).listAlerts({ tenantId: 'bad tenant!' })).rejects.toThrow('invalid listAlerts input: tenantId');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(__dirname, '..', '..', 'src', 'cli', 'alerts-main.ts'), '--tenant', ref.tenantId, '--all'], {
      env: { ...process.env, MONGODB_URI: harness.info.mongodbUri, MONGODB_DB: harness.db.databaseName },
    });
    expect(stdout).toContain(`OPEN      ${ref.tenantId}/${ref.workspaceId}  insufficient_scope  raised ${listed[0]!.raisedAt}`);
    expect(stdout).not.toContain(tokens.accessToken);
    expect(stdout).not.toContain(tokens.refreshToken!);
    await harness.sync.terminate(ref, 'test done');
  });
});
