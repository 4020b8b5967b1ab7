import { DropboxEmulator } from '../../emulator/src';
import type { HistoryBatch } from '../../emulator/src';
import type { CredentialHealthState } from '../../src/domain/connection';
import { WorkspaceRef } from '../../src/domain/ids';
import { AlertWebhook } from '../../src/services/alert-webhook';
import { CredentialMonitor } from '../../src/services/credential-monitor';
import { WorkspaceRecords } from '../../src/store/records-repo';
import { createTestApi, startOptions } from './api-fixture';
import { alertsOf, searchAttributesOf, startHealthWorker, WebhookReceiver } from './credential-fixture';
import { Harness, RunningWorker, TEST_ADMIN, uniqueTaskQueue, waitFor } from './harness';

const AT = '2026-01-02T03:04:05Z';
const PROBE_INTERVAL_MS = 1000;

function batch(seq: number, ops: HistoryBatch['ops']): HistoryBatch {
  return { seq, at: AT, ops };
}

interface Workspace {
  readonly ref: WorkspaceRef;
  readonly email: string;
  readonly records: WorkspaceRecords;
}

/**
 * Each credential-health state the emulator can produce, on the real stack: the cycle that meets
 * it blocks the workspace with the state named in status and search attributes, one alert is
 * stored and sent (signed) however many probes and requests follow, the cursor and the Recordset
 * stay as they were, and a reconnect (signalled, or found by the periodic probe) resolves the alert
 * and resumes sync from the saved cursor.
 */
describe('credential health', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let receiver: WebhookReceiver;
  let worker: RunningWorker;
  let webhook: AlertWebhook;
  let taskQueue: string;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start({ defaultPageLimit: 3 });
    receiver = await WebhookReceiver.start();
    taskQueue = uniqueTaskQueue('health');
    ({ worker, webhook } = await startHealthWorker(harness, { taskQueue, emulator, receiver }));
  });

  afterAll(async () => {
    await worker?.stop();
    await webhook?.drain();
    await receiver?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  async function startAndSync(workspace: Workspace, seed: boolean): Promise<void> {
    if (seed) {
      emulator.applyBatch(workspace.email, batch(1, [
        { op: 'add', path: '/Docs/a.txt', size: 1 },
        { op: 'add', path: '/Docs/b.txt', size: 2 },
        { op: 'add', path: '/Docs/c.txt', size: 3 },
        { op: 'add', path: '/Docs/d.txt', size: 4 },
      ]));
    }
    await harness.sync.start(workspace.ref, startOptions(taskQueue, { credentialProbeIntervalMs: PROBE_INTERVAL_MS }));
    expect(await harness.sync.syncNow(workspace.ref)).toMatchObject({ ok: true });
  }

  /** What must not change while blocked. */
  async function snapshot(workspace: Workspace) {
    return { cursor: (await harness.syncState.load(workspace.ref))?.cursor, records: await workspace.records.listActive() };
  }

  /**
   * The next cycle meets the refusal: asserts the block, one alert and one signed webhook across
   * further requests and probes, and an untouched cursor and Recordset.
   */
  async function expectBlocked(workspace: Workspace, state: CredentialHealthState, missingScope?: string, secrets: readonly string[] = []): Promise<string> {
    const { ref } = workspace;
    const before = await snapshot(workspace);
    const outcome = await harness.sync.syncNow(ref);
    expect(outcome).toMatchObject({ ok: false, error: { type: 'DropboxCredentialError', health: state } });
    expect(await harness.sync.status(ref)).toMatchObject({ state: 'blocked', credentialHealth: state });
    await waitFor('search attributes', async () => {
      const attributes = await searchAttributesOf(harness, ref);
      return attributes.health === state && attributes.state === 'blocked' ? true : undefined;
    });
    expect((await harness.connections.info(ref))?.health).toMatchObject({ state, ...(missingScope ? { missingScope } : {}) });

    // More requests and periodic probes meet the same refusal: still one alert, one webhook.
    const probesBefore = emulator.countRequests('files/list_folder');
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: false, error: { health: state } });
    expect(await harness.sync.check({ ...ref, maxStalenessMs: 0, timeoutMs: 10_000 })).toMatchObject({ outcome: 'credentials_blocked', fresh: false });
    await waitFor('two periodic probes', async () => (emulator.countRequests('files/list_folder') - probesBefore >= 2 ? true : undefined), 20_000);
    expect(await harness.sync.status(ref)).toMatchObject({ state: 'blocked', credentialHealth: state, nextDueAt: null });

    const open = await alertsOf(harness).list({ tenantId: ref.tenantId, workspaceId: ref.workspaceId });
    expect(open).toEqual([expect.objectContaining({ status: 'open', kind: 'credential_health', state, ...(missingScope ? { missingScope } : {}) })]);
    await waitFor('the raised webhook', async () => (receiver.forWorkspace(ref).length > 0 ? true : undefined));
    await webhook.drain();
    const sent = receiver.forWorkspace(ref);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ signatureValid: true, event: { event: 'alert.raised', alert: { alertId: open[0]!.alertId, state, tenantId: ref.tenantId, workspaceId: ref.workspaceId } } });
    const sentText = JSON.stringify(sent[0]!.event);
    for (const secret of secrets) expect(sentText).not.toContain(secret);

    expect(await snapshot(workspace)).toEqual(before);
    return open[0]!.alertId;
  }

  /** After the credentials were replaced: the alert resolves (one signed webhook) and sync resumes from the saved cursor. */
  async function expectRecovered(workspace: Workspace, alertId: string, options: { mode?: 'incremental' | 'full'; signal: boolean }): Promise<void> {
    const { ref } = workspace;
    const cycles = (await harness.sync.status(ref)).cyclesCompleted;
    if (options.signal) expect(await harness.sync.credentialsUpdated(ref)).toBe(true);
    const status = await waitFor('sync resumed', async () => {
      const current = await harness.sync.status(ref);
      return current.cyclesCompleted > cycles && current.state === 'idle' ? current : undefined;
    }, 30_000);
    expect(status).toMatchObject({ credentialHealth: 'healthy', lastCycle: { ok: true, ...(options.mode ? { result: { mode: options.mode } } : {}) } });
    expect((await harness.connections.info(ref))?.health.state).toBe('healthy');
    const alerts = await alertsOf(harness).list({ tenantId: ref.tenantId, workspaceId: ref.workspaceId });
    expect(alerts).toEqual([expect.objectContaining({ alertId, status: 'resolved', resolvedAt: expect.any(Date) })]);
    expect(await alertsOf(harness).list({ tenantId: ref.tenantId, workspaceId: ref.workspaceId, openOnly: true })).toEqual([]);
    await waitFor('the resolved webhook', async () => (receiver.forWorkspace(ref).length >= 2 ? true : undefined));
    await webhook.drain();
    expect(receiver.forWorkspace(ref).map((entry) => [entry.event.event, entry.event.alert.alertId, entry.signatureValid])).toEqual([
      ['alert.raised', alertId, true],
      ['alert.resolved', alertId, true],
    ]);
    await waitFor('search attributes', async () => ((await searchAttributesOf(harness, ref)).health === 'healthy' ? true : undefined));
  }

  it('refreshes an expired access token once, keeps the refresh token, and stays healthy', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'expired');
    await startAndSync(workspace, true);
    const refreshesBefore = emulator.countRequests('oauth2/token');
    const unauthorisedBefore = emulator.requests.filter((request) => request.status === 401).length;
    emulator.expireAccessToken(workspace.tokens.accessToken);
    emulator.applyBatch(workspace.email, batch(2, [{ op: 'add', path: '/Docs/e.txt', size: 5 }]));

    const outcome = await harness.sync.syncNow(workspace.ref);

    expect(outcome).toMatchObject({ ok: true, result: { mode: 'incremental', upserts: 1 } });
    expect(emulator.countRequests('oauth2/token') - refreshesBefore).toBe(1);
    expect(emulator.requests.filter((request) => request.status === 401).length - unauthorisedBefore).toBe(1);
    const stored = await harness.connections.withCredentials(workspace.ref, async (credentials) => credentials);
    expect(stored?.refreshToken).toBe(workspace.tokens.refreshToken);
    expect(stored?.accessToken).not.toBe(workspace.tokens.accessToken);
    expect(Date.parse(stored!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + 3600_000);
    // The next cycle uses the saved token: no second refresh.
    expect(await harness.sync.syncNow(workspace.ref)).toMatchObject({ ok: true });
    expect(emulator.countRequests('oauth2/token') - refreshesBefore).toBe(1);
    expect(await harness.sync.status(workspace.ref)).toMatchObject({ state: 'idle', credentialHealth: 'healthy' });
    expect(await alertsOf(harness).list({ tenantId: workspace.ref.tenantId })).toEqual([]);
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('refreshes before expiry when the token is within the margin', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'early');
    // The stored expiry says the token lapses in a minute: inside the 5 min margin.
    await harness.connections.withCredentials(workspace.ref, async (credentials, _info, persist) =>
      persist({ ...credentials, accessTokenExpiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const refreshesBefore = emulator.countRequests('oauth2/token');
    const unauthorisedBefore = emulator.requests.filter((request) => request.status === 401).length;
    await startAndSync(workspace, true);
    expect(emulator.countRequests('oauth2/token') - refreshesBefore).toBe(1);
    expect(emulator.requests.filter((request) => request.status === 401).length).toBe(unauthorisedBefore);
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('revoked: blocks with one alert, then a reconnect resolves it and sync resumes from the saved cursor', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'revoked');
    await startAndSync(workspace, true);
    emulator.revokeTokens(workspace.tokens.refreshToken!);
    const alertId = await expectBlocked(workspace, 'revoked', undefined, [workspace.tokens.accessToken, workspace.tokens.refreshToken!]);

    emulator.applyBatch(workspace.email, batch(2, [{ op: 'add', path: '/Docs/new.txt', size: 9 }]));
    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, workspace.email);
    await expectRecovered(workspace, alertId, { mode: 'incremental', signal: true });
    expect((await harness.sync.status(workspace.ref)).lastCycle?.result).toMatchObject({ upserts: 1 });
    expect((await workspace.records.listActive()).map((record) => record.pathLower)).toContain('/docs/new.txt');
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('insufficient scope: names the missing scope; a reconnect with it resolves the alert', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'scope');
    await startAndSync(workspace, true);
    emulator.removeScope(workspace.tokens.accessToken, 'files.metadata.read');
    const alertId = await expectBlocked(workspace, 'insufficient_scope', 'files.metadata.read');
    expect((await alertsOf(harness).list({ tenantId: workspace.ref.tenantId }))[0]?.detail).toContain('files.metadata.read');

    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, workspace.email);
    // Health on demand through the library API (what an admin's "check again" button calls).
    const api = createTestApi(harness, startOptions(taskQueue));
    await expect(api.recheckCredentials({ tenantId: workspace.ref.tenantId } as never)).rejects.toThrow('invalid recheckCredentials input: workspaceId:');
    expect(await api.recheckCredentials(workspace.ref)).toEqual({ signalled: true });
    await expectRecovered(workspace, alertId, { mode: 'incremental', signal: false });
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('drops what a cycle learned from credentials a reconnect has since replaced', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'stale');
    const monitor = new CredentialMonitor({ connections: harness.connections, alerts: alertsOf(harness), clock: () => new Date() });
    const before = (await harness.connections.info(workspace.ref))!.credentialsVersion;
    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, workspace.email);
    const refused = { kind: 'refused', state: 'revoked', detail: 'invalid_grant' } as const;

    // Observed with the old credentials: the new ones stay healthy, and nobody is alerted.
    expect(await monitor.observe(workspace.ref, refused, before)).toMatchObject({ state: 'healthy' });
    expect((await harness.connections.info(workspace.ref))?.health.state).toBe('healthy');
    expect(await alertsOf(harness).list({ tenantId: workspace.ref.tenantId, workspaceId: workspace.ref.workspaceId })).toEqual([]);
    // Observed with the current ones: it counts.
    expect(await monitor.observe(workspace.ref, refused, before + 1)).toMatchObject({ state: 'revoked' });
    expect(await alertsOf(harness).list({ tenantId: workspace.ref.tenantId, workspaceId: workspace.ref.workspaceId })).toEqual([expect.objectContaining({ status: 'open', state: 'revoked' })]);
  });

  it('malformed token: a damaged access token is a credential problem, not a bad request', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'malformed');
    await startAndSync(workspace, true);
    // The token saved by a reconnect lost its last characters, as in dropbox-sdk-python#100.
    const damaged = workspace.tokens.accessToken.slice(0, -12);
    await harness.connections.withCredentials(workspace.ref, async (credentials, info) =>
      harness.connections.connect(workspace.ref, { account: info.account, rootPath: '', credentials: { ...credentials, accessToken: damaged }, actor: TEST_ADMIN }, new Date()),
    );
    const alertId = await expectBlocked(workspace, 'malformed_token', undefined, [damaged, workspace.tokens.refreshToken!]);

    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, workspace.email);
    await expectRecovered(workspace, alertId, { mode: 'incremental', signal: true });
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('missing refresh token: an expired token that cannot be refreshed blocks; a reconnect with offline access resolves it', async () => {
    const workspace = await harness.connectWithOAuthTokens(emulator, 'norefresh', { accessType: 'online' });
    await startAndSync(workspace, true);
    emulator.expireAccessToken(workspace.tokens.accessToken);
    const alertId = await expectBlocked(workspace, 'missing_refresh_token', undefined, [workspace.tokens.accessToken]);

    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, workspace.email);
    await expectRecovered(workspace, alertId, { mode: 'incremental', signal: true });
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('member removed: a team token whose member left blocks; the periodic probe finds the reconnect without a signal', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const team = emulator.createTeam({ name: `Team ${suffix}` });
    const email = `member-${suffix}@fostr.example`;
    emulator.createAccount({ email, displayName: 'Member' });
    const { teamMemberId } = emulator.addTeamMember({ teamId: team.teamId, email });
    const { accessToken } = emulator.issueTeamToken({ teamId: team.teamId });
    const ref = { tenantId: `t-${suffix}`, workspaceId: `team-${suffix}` };
    const connectAs = (selectUser: string) =>
      harness.connections.connect(
        ref,
        { account: { accountId: emulator.account(email).accountId, kind: 'team_token', selectUser, teamId: team.teamId }, rootPath: '', credentials: { appKey: 'emulator-test-app', accessToken }, actor: TEST_ADMIN },
        new Date(),
      );
    await connectAs(teamMemberId);
    const workspace = { ref, email, records: harness.records.forWorkspace(ref) };
    await startAndSync(workspace, false);
    emulator.removeTeamMember({ teamId: team.teamId, email });
    const alertId = await expectBlocked(workspace, 'member_removed');

    const rejoined = emulator.addTeamMember({ teamId: team.teamId, email });
    await connectAs(rejoined.teamMemberId);
    await expectRecovered(workspace, alertId, { signal: false });
    await harness.sync.terminate(ref, 'test done');
  });

  it('root changed: a team space whose root namespace was replaced blocks; reconnecting with the new root resumes', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const team = emulator.createTeam({ name: `Space ${suffix}` });
    const email = `space-${suffix}@fostr.example`;
    emulator.createAccount({ email, displayName: 'Space member' });
    emulator.addTeamMember({ teamId: team.teamId, email });
    const workspace = await harness.connectWithOAuthTokens(emulator, 'root', { email, account: { kind: 'team_space', rootNamespaceId: emulator.account(email).rootNamespaceId } });
    await startAndSync(workspace, false);
    const { rootNamespaceId } = emulator.changeRootNamespace({ teamId: team.teamId });
    const alertId = await expectBlocked(workspace, 'root_changed');

    await harness.reconnectWithOAuthTokens(emulator, workspace.ref, email, { account: { kind: 'team_space', rootNamespaceId } });
    await expectRecovered(workspace, alertId, { signal: true });
    await harness.sync.terminate(workspace.ref, 'test done');
  });

  it('path root refused: an App-folder app addressed with a path root blocks; reconnecting as app_folder resumes', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const email = `sandbox-${suffix}@fostr.example`;
    emulator.createAccount({ email, displayName: 'Sandbox user' });
    const { accessToken } = emulator.issueAppFolderToken({ email, appKey: `sandbox-${suffix}` });
    const ref = { tenantId: `t-${suffix}`, workspaceId: `sandbox-${suffix}` };
    const connectAs = (account: { kind: 'personal'; rootNamespaceId: string } | { kind: 'app_folder' }) =>
      harness.connections.connect(
        ref,
        { account: { accountId: emulator.account(email).accountId, ...account }, rootPath: '', credentials: { appKey: `sandbox-${suffix}`, accessToken }, actor: TEST_ADMIN },
        new Date(),
      );
    await connectAs({ kind: 'app_folder' });
    const workspace = { ref, email, records: harness.records.forWorkspace(ref) };
    await startAndSync(workspace, false);
    // A reconnect that misdetected the account kind: it now sends a path root, which App-folder apps may not.
    await connectAs({ kind: 'personal', rootNamespaceId: emulator.account(email).rootNamespaceId });
    const alertId = await expectBlocked(workspace, 'path_root_refused', undefined, [accessToken]);

    await connectAs({ kind: 'app_folder' });
    await expectRecovered(workspace, alertId, { mode: 'incremental', signal: true });
    await harness.sync.terminate(ref, 'test done');
  });
});
