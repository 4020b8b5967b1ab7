import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DropboxEmulator } from '../../emulator/src';
import type { HistoryBatch } from '../../emulator/src';
import { ConnectService } from '../../src/connect/connect-service';
import { ConnectRefusedError } from '../../src/domain/connection';
import { ConnectServer } from '../../src/connect/http-server';
import { ensureConnectIndexes } from '../../src/connect/indexes';
import { temporalSyncControl } from '../../src/connect/sync-control';
import { FieldCipher } from '../../src/crypto';
import { findFreePort } from '../../src/devstack/free-port';
import { WorkspaceRef } from '../../src/domain/ids';
import { AccessGrantsRepository } from '../../src/store/access-grants-repo';
import { AuditRepository } from '../../src/store/audit-repo';
import { CONNECTIONS_COLLECTION } from '../../src/store/connections-repo';
import { OAuthFlowsRepository } from '../../src/store/oauth-flows-repo';
import { emulatorClientFactory, Harness, RunningWorker, uniqueTaskQueue, waitFor } from './harness';

const REPO = resolve(__dirname, '..', '..');
const HOUR = 3600_000;
const ADMIN = 'alice-admin';
const STAKEHOLDER = 'sam-stakeholder';
const OUTSIDER = 'mallory';
const USER_TOKENS = new Map([ADMIN, STAKEHOLDER, OUTSIDER].map((user) => [user, randomBytes(32).toString('base64url')]));

type AppSpec = { permission?: 'app_folder'; teamLinked?: boolean; scopes?: string[] };

/** A connect server for one Dropbox app registered in the emulator with the server's callback URL. */
interface ConnectSetup {
  readonly appKey: string;
  readonly server: ConnectServer;
  readonly service: ConnectService;
}

function batch(seq: number, ops: HistoryBatch['ops']): HistoryBatch {
  return { seq, at: '2026-01-02T03:04:05Z', ops };
}

/** The connect flow end to end: emulator OAuth, real MongoDB-compatible store, real Temporal and worker. */
describe('connect flow', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let taskQueue: string;
  let audit: AuditRepository;
  const tenantId = `t-${randomBytes(4).toString('hex')}`;
  const setups: ConnectSetup[] = [];
  /** Moves the connect services' clock (flow expiry), never Dropbox's. */
  let clockSkewMs = 0;

  beforeAll(async () => {
    harness = await Harness.open();
    await ensureConnectIndexes(harness.db);
    emulator = await DropboxEmulator.start({ seed: 'connect-flow' });
    taskQueue = uniqueTaskQueue('connect');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 50 });
    audit = new AuditRepository(harness.db);
    const grants = new AccessGrantsRepository(harness.db);
    await grants.grant({ tenantId, userId: ADMIN, role: 'admin' });
  });

  afterAll(async () => {
    for (const setup of setups) await setup.server.stop();
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  async function setUp(spec: AppSpec = {}): Promise<ConnectSetup> {
    const appKey = `fostr-${randomBytes(4).toString('hex')}`;
    const app = { appKey, appSecret: `${appKey}-secret` };
    const cipher = new FieldCipher(harness.keyring);
    const service = new ConnectService({
      connections: harness.connections,
      flows: new OAuthFlowsRepository(harness.db, cipher),
      audit,
      grants: new AccessGrantsRepository(harness.db),
      app,
      apiBaseUrl: emulator.baseUrl,
      createDropboxClient: emulatorClientFactory(emulator),
      sync: temporalSyncControl(harness.sync),
      clock: () => new Date(Date.now() + clockSkewMs),
      flowTtlMs: 600_000,
    });
    const server = await ConnectServer.start({ service, apiTokens: USER_TOKENS });
    emulator.registerApp({ ...app, redirectUris: [server.redirectUri], ...spec });
    const setup = { appKey, server, service };
    setups.push(setup);
    return setup;
  }

  function newUser(label: string): { email: string; accountId: string } {
    const email = `${label}-${randomBytes(4).toString('hex')}@fostr.example`;
    const { accountId } = emulator.createAccount({ email, displayName: `User ${label}` });
    return { email, accountId };
  }

  function newRef(label: string): WorkspaceRef {
    return { tenantId, workspaceId: `${label}-${randomBytes(4).toString('hex')}` };
  }

  /** Starts the HTTP flow as `user`, approves as `email` in the emulator, and follows the callback. */
  async function httpConnect(
    setup: ConnectSetup,
    ref: WorkspaceRef,
    options: { email: string; user?: string; member?: string; tamper?: (authorize: URL) => void; rootQuery?: string },
  ): Promise<{ status: number; text: string; code?: string }> {
    emulator.signIn(options.email);
    const query = new URLSearchParams({ tenant: ref.tenantId, workspace: ref.workspaceId, ...(options.member ? { member: options.member } : {}) });
    const start = await fetch(`${setup.server.baseUrl}/connect/start?${query}${options.rootQuery ?? ''}`, { headers: { Authorization: `Bearer ${USER_TOKENS.get(options.user ?? ADMIN)}` }, redirect: 'manual' });
    if (start.status !== 302) return { status: start.status, text: await start.text() };
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('token_access_type')).toBe('offline');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(setup.server.redirectUri);
    options.tamper?.(authorize);
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(setup.server.redirectUri);
    const finished = await fetch(callback);
    return { status: finished.status, text: await finished.text(), code: callback.searchParams.get('code') ?? undefined };
  }

  /** Runs `npm run connect` as a child process: reads the URL it prints, gets the code from the emulator's page, pastes it. */
  async function cliConnect(setup: ConnectSetup, ref: WorkspaceRef, options: { email: string; user?: string; member?: string }): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    emulator.signIn(options.email);
    const args = ['--import', 'tsx', resolve(REPO, 'src', 'connect', 'main.ts'), 'connect', '--tenant', ref.tenantId, '--workspace', ref.workspaceId, '--actor', options.user ?? ADMIN];
    if (options.member) args.push('--member', options.member);
    const child = spawn(process.execPath, args, { cwd: REPO, env: cliEnv(setup), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pasted = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? -1)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http\S+\/oauth2\/authorize\S+)\n/m.exec(stdout)?.[1];
      if (!url || pasted) return;
      pasted = true;
      void (async () => {
        const authorize = new URL(url);
        expect(authorize.searchParams.get('redirect_uri')).toBeNull();
        expect(authorize.searchParams.get('token_access_type')).toBe('offline');
        const page = await (await fetch(authorize)).text();
        const code = /<pre id="auth-code">([^<]+)<\/pre>/.exec(page)?.[1] ?? '';
        child.stdin.write(`${code}\n`);
      })();
    });
    const exitCode = await exited;
    if (!pasted) child.stdin.end();
    return { exitCode, stdout, stderr };
  }

  function cliEnv(setup?: ConnectSetup): NodeJS.ProcessEnv {
    return harness.processEnv(emulator, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...(setup ? { DROPBOX_APP_KEY: setup.appKey, DROPBOX_APP_SECRET: `${setup.appKey}-secret` } : {}),
      LOG_LEVEL: 'warn',
    });
  }

  /** Runs `npm run connect -- <args>` with nothing on stdin. */
  async function runCli(args: string[], setup?: ConnectSetup): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, 'src', 'connect', 'main.ts'), ...args], { cwd: REPO, env: cliEnv(setup), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? -1)));
    return { exitCode, stdout, stderr };
  }

  async function accessTokenOf(ref: WorkspaceRef): Promise<string> {
    return (await harness.connections.withCredentials(ref, async (credentials) => credentials.accessToken ?? ''))!;
  }

  async function startSync(ref: WorkspaceRef) {
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    return harness.sync.syncNow(ref);
  }

  describe.each(['http', 'cli'] as const)('through the %s flow', (front) => {
    async function connect(setup: ConnectSetup, ref: WorkspaceRef, options: { email: string; member?: string }) {
      if (front === 'http') {
        const result = await httpConnect(setup, ref, options);
        return { ok: result.status === 200, text: result.text };
      }
      const result = await cliConnect(setup, ref, options);
      return { ok: result.exitCode === 0, text: `${result.stdout}${result.stderr}` };
    }

    it('connects a personal account with a refresh token, and syncs it', async () => {
      const setup = await setUp();
      const { email, accountId } = newUser('personal');
      emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/Docs/a.txt', size: 3 }]));
      const ref = newRef('personal');

      const result = await connect(setup, ref, { email });

      expect(result).toMatchObject({ ok: true });
      expect(result.text).toContain(`personal account ${accountId}`);
      const info = await harness.connections.info(ref);
      expect(info).toMatchObject({ account: { accountId, kind: 'personal' }, rootPath: '', credentialsVersion: 1, updatedBy: { userId: ADMIN, role: 'admin' } });
      const scopes = await harness.connections.withCredentials(ref, async (credentials) => {
        expect(credentials).toMatchObject({ appKey: setup.appKey, appSecret: `${setup.appKey}-secret`, refreshToken: expect.any(String), accessToken: expect.stringMatching(/^sl\./) });
        // The output never shows a credential.
        expect(result.text).not.toContain(credentials.accessToken);
        expect(result.text).not.toContain(credentials.refreshToken);
        return credentials.scopes;
      });
      expect(scopes).toEqual(expect.arrayContaining(['files.metadata.read', 'account_info.read', 'sharing.read']));
      if (front === 'cli') {
        // The CLI starts the workspace's sync itself: the first cycle runs without anyone asking.
        expect(result.text).toContain('sync runs with them');
        await waitFor('the first cycle started by the connect', async () => ((await harness.sync.status(ref)).cyclesCompleted > 0 ? true : undefined));
      }
      expect((await startSync(ref)).ok).toBe(true);
      expect((await harness.records.forWorkspace(ref).listActive()).map((record) => record.pathLower)).toEqual(['/docs', '/docs/a.txt']);
      expect(await audit.list(ref)).toEqual([expect.objectContaining({ userId: ADMIN, role: 'admin', action: 'connect', outcome: 'succeeded', accountKind: 'personal', credentialsVersion: 1 })]);
      await harness.sync.terminate(ref, 'test done');
    });

    it('connects a team space member with the root namespace, and the first sync sees the team space', async () => {
      const setup = await setUp();
      const { email, accountId } = newUser('member');
      const { teamId, rootNamespaceId } = emulator.createTeam({ name: `Team ${front}` });
      emulator.addTeamMember({ teamId, email });
      const { sharedFolderId } = emulator.createTeamFolder({ teamId, name: 'Projects' });
      emulator.applySharedFolderBatch({ sharedFolderId, batch: batch(1, [{ op: 'add', path: '/plan.txt', size: 5 }]) });
      const ref = newRef('teamspace');

      const result = await connect(setup, ref, { email });

      expect(result).toMatchObject({ ok: true });
      expect((await harness.connections.info(ref))?.account).toEqual({ accountId, kind: 'team_space', rootNamespaceId, teamId });
      expect((await startSync(ref)).ok).toBe(true);
      const paths = (await harness.records.forWorkspace(ref).listActive()).map((record) => record.pathLower);
      expect(paths).toEqual(expect.arrayContaining(['/projects', '/projects/plan.txt', '/user member']));
      await harness.sync.terminate(ref, 'test done');
    });

    it('connects a team token as the chosen member, and refuses it without one, naming the member', async () => {
      const setup = await setUp({ teamLinked: true });
      const admin = newUser('teamadmin');
      const { teamId, rootNamespaceId } = emulator.createTeam({ name: `Token team ${front}` });
      const { teamMemberId } = emulator.addTeamMember({ teamId, email: admin.email, admin: true });

      const without = newRef('teamtoken-none');
      const refused = await connect(setup, without, { email: admin.email });
      expect(refused.ok).toBe(false);
      expect(refused.text).toContain('choose the team member whose files to sync (--member dbmid:..., or selectUser)');
      expect(await harness.connections.info(without)).toBeNull();
      expect(await audit.list(without)).toEqual([expect.objectContaining({ action: 'connect', outcome: 'refused', reason: expect.stringContaining('whole Dropbox team') })]);

      const stranger = newRef('teamtoken-stranger');
      const notMember = await connect(setup, stranger, { email: admin.email, member: 'dbmid:nobody' });
      expect(notMember.ok).toBe(false);
      expect(notMember.text).toContain("dbmid:nobody is not a member of the token's Dropbox team");
      expect(await harness.connections.info(stranger)).toBeNull();

      const ref = newRef('teamtoken');
      const result = await connect(setup, ref, { email: admin.email, member: teamMemberId });
      expect(result).toMatchObject({ ok: true });
      expect((await harness.connections.info(ref))?.account).toEqual({ accountId: admin.accountId, kind: 'team_token', selectUser: teamMemberId, rootNamespaceId, teamId });
      expect((await startSync(ref)).ok).toBe(true);
      await harness.sync.terminate(ref, 'test done');
    });

    it('connects an app-folder app without a path root, and syncs its folder', async () => {
      const setup = await setUp({ permission: 'app_folder' });
      const { email, accountId } = newUser('appfolder');
      emulator.applyBatch(email, batch(1, [{ op: 'add', path: `/Apps/${setup.appKey}/note.txt`, size: 4 }, { op: 'add', path: '/Private/secret.txt', size: 4 }]));
      const ref = newRef('appfolder');

      const result = await connect(setup, ref, { email });

      expect(result).toMatchObject({ ok: true });
      expect((await harness.connections.info(ref))?.account).toEqual({ accountId, kind: 'app_folder' });
      expect((await startSync(ref)).ok).toBe(true);
      expect((await harness.records.forWorkspace(ref).listActive()).map((record) => record.pathLower)).toEqual(['/note.txt']);
      await harness.sync.terminate(ref, 'test done');
    });
  });

  it('refuses an authorization without offline access, naming the refresh token', async () => {
    const setup = await setUp();
    const { email } = newUser('online');
    const ref = newRef('online');
    const result = await httpConnect(setup, ref, { email, tamper: (authorize) => authorize.searchParams.set('token_access_type', 'online') });
    expect(result.status).toBe(400);
    expect(result.text).toContain('refresh token (authorize with token_access_type=offline)');
    expect(result.text).not.toContain(result.code!);
    expect(await harness.connections.info(ref)).toBeNull();
    expect(await audit.list(ref)).toEqual([expect.objectContaining({ userId: ADMIN, action: 'connect', outcome: 'refused', reason: expect.stringContaining('refresh token') })]);
  });

  it('refuses to start without an app key, naming DROPBOX_APP_KEY', async () => {
    const cipher = new FieldCipher(harness.keyring);
    const service = new ConnectService({
      connections: harness.connections,
      flows: new OAuthFlowsRepository(harness.db, cipher),
      audit,
      grants: new AccessGrantsRepository(harness.db),
      apiBaseUrl: emulator.baseUrl,
      createDropboxClient: emulatorClientFactory(emulator),
      sync: temporalSyncControl(harness.sync),
      clock: () => new Date(),
      flowTtlMs: 600_000,
    });
    const ref = newRef('noapp');
    const error = await service.begin({ ref, userId: ADMIN }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectRefusedError);
    expect(error).toMatchObject({ message: 'No Dropbox app is configured: set DROPBOX_APP_KEY', missing: ['app key (DROPBOX_APP_KEY)'] });
    expect(await audit.list(ref)).toEqual([expect.objectContaining({ userId: ADMIN, action: 'connect', outcome: 'refused' })]);
  });

  it('refuses a sync root that does not exist, or is a file, without storing anything', async () => {
    const setup = await setUp();
    const { email } = newUser('badroot');
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/Docs/a.txt', size: 1 }]));
    for (const [root, why] of [['/NoSuchFolder', 'path/not_found'], ['/Docs/a.txt', 'it is a file']] as const) {
      const ref = newRef('badroot');
      const query = `&root=${encodeURIComponent(root)}`;
      const result = await httpConnect(setup, ref, { email, tamper: () => undefined, rootQuery: query });
      expect(result.status).toBe(400);
      expect(result.text).toContain('The folder given as the sync root cannot be listed by this account');
      expect(result.text).toContain(why);
      expect(await harness.connections.info(ref)).toBeNull();
      expect(JSON.stringify(await audit.list(ref))).not.toContain(root);
    }
  });

  it('refuses a grant that lacks a required scope, naming it', async () => {
    const setup = await setUp({ scopes: ['files.metadata.read'] });
    const { email } = newUser('scope');
    const ref = newRef('scope');
    const result = await httpConnect(setup, ref, { email });
    expect(result.status).toBe(400);
    expect(result.text).toContain('scope account_info.read');
    expect(result.text).not.toContain('scope files.metadata.read');
    expect(await harness.connections.info(ref)).toBeNull();
  });

  it('lets only tenant admins and authorised stakeholders connect, and audits refusals', async () => {
    const setup = await setUp();
    const { email } = newUser('roles');
    const ref = newRef('roles');
    const other = newRef('roles-other');
    await new AccessGrantsRepository(harness.db).grant({ tenantId, workspaceId: ref.workspaceId, userId: STAKEHOLDER, role: 'stakeholder' });

    const outsider = await httpConnect(setup, ref, { email, user: OUTSIDER });
    expect(outsider.status).toBe(403);
    expect(outsider.text).toContain(`${OUTSIDER} may not connect workspace ${ref.workspaceId}`);
    const elsewhere = await httpConnect(setup, other, { email, user: STAKEHOLDER });
    expect(elsewhere.status).toBe(403);
    const unauthenticated = await fetch(`${setup.server.baseUrl}/connect/start?tenant=${tenantId}&workspace=${ref.workspaceId}`, { redirect: 'manual' });
    expect(unauthenticated.status).toBe(401);

    const stakeholder = await httpConnect(setup, ref, { email, user: STAKEHOLDER });
    expect(stakeholder.status).toBe(200);
    expect(await audit.list(ref)).toEqual([
      expect.objectContaining({ userId: OUTSIDER, action: 'connect', outcome: 'refused' }),
      expect.objectContaining({ userId: STAKEHOLDER, role: 'stakeholder', action: 'connect', outcome: 'succeeded' }),
    ]);
    expect(await audit.list(other)).toEqual([expect.objectContaining({ userId: STAKEHOLDER, outcome: 'refused' })]);
    expect((await audit.list(ref))[0]).not.toHaveProperty('role');
  });

  it('grants roles and refuses outsiders from the CLI too', async () => {
    const setup = await setUp();
    const ref = newRef('cli-roles');
    const refused = await runCli(['--tenant', tenantId, '--workspace', ref.workspaceId, '--actor', 'cli-user'], setup);
    expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
    expect(refused.stderr).toBe(`Refused: cli-user may not connect workspace ${ref.workspaceId} of tenant ${tenantId}: only admins of the tenant and stakeholders authorised for the workspace may\n`);

    const granted = await runCli(['grant', '--tenant', tenantId, '--user', 'cli-user', '--role', 'stakeholder', '--workspace', ref.workspaceId]);
    expect(granted).toMatchObject({ exitCode: 0, stdout: `Granted stakeholder to cli-user in tenant ${tenantId} for workspace ${ref.workspaceId}\n` });
    expect(await new AccessGrantsRepository(harness.db).forUser(tenantId, 'cli-user')).toEqual([{ tenantId, workspaceId: ref.workspaceId, userId: 'cli-user', role: 'stakeholder' }]);

    const { email } = newUser('cli-roles');
    const connected = await cliConnect(setup, ref, { email, user: 'cli-user' });
    expect(connected.exitCode).toBe(0);
    const disconnected = await runCli(['disconnect', '--tenant', tenantId, '--workspace', ref.workspaceId, '--actor', 'cli-user'], setup);
    // The CLI connect started the workspace's sync; the disconnect stops it.
    expect(disconnected).toMatchObject({ exitCode: 0, stdout: `Disconnected ${tenantId}/${ref.workspaceId}; sync workflow stopped. Records are kept.\n` });
    expect((await audit.list(ref)).map((entry) => `${entry.userId}:${entry.role ?? '-'}:${entry.action}:${entry.outcome}`)).toEqual([
      'cli-user:-:connect:refused',
      'cli-user:stakeholder:connect:succeeded',
      'cli-user:stakeholder:disconnect:succeeded',
    ]);
  });

  it('serves the HTTP flow from npm run connect-server', async () => {
    const appKey = `fostr-${randomBytes(4).toString('hex')}`;
    const port = await findFreePort();
    const redirectUri = `http://127.0.0.1:${port}/connect/callback`;
    emulator.registerApp({ appKey, appSecret: `${appKey}-secret`, redirectUris: [redirectUri] });
    const token = randomBytes(32).toString('base64url');
    const env = { ...cliEnv(), DROPBOX_APP_KEY: appKey, CONNECT_PORT: String(port), CONNECT_API_TOKENS: `${ADMIN}=${token}`, LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, 'src', 'connect', 'main.ts'), 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? -1)));
    try {
      await waitFor('the connect server', async () => (output.includes('connect server listening') ? true : undefined), 30_000);
      const { email, accountId } = newUser('server');
      const ref = newRef('server');
      emulator.signIn(email);
      const start = await fetch(`http://127.0.0.1:${port}/connect/start?tenant=${tenantId}&workspace=${ref.workspaceId}`, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });
      expect(start.status).toBe(302);
      const callback = (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
      const finished = await fetch(callback);
      expect(await finished.text()).toBe(`Workspace ${ref.workspaceId} connected to Dropbox (personal account ${accountId}).`);
      expect((await harness.connections.info(ref))?.account).toEqual({ accountId, kind: 'personal' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).not.toContain(token);
  });

  it('checks the grant again at the callback: one withdrawn meanwhile no longer counts', async () => {
    const setup = await setUp();
    const { email } = newUser('withdrawn');
    const ref = newRef('withdrawn');
    const grants = new AccessGrantsRepository(harness.db);
    const grant = { tenantId, workspaceId: ref.workspaceId, userId: STAKEHOLDER, role: 'stakeholder' as const };
    await grants.grant(grant);
    emulator.signIn(email);
    const start = await fetch(`${setup.server.baseUrl}/connect/start?tenant=${tenantId}&workspace=${ref.workspaceId}`, { headers: { Authorization: `Bearer ${USER_TOKENS.get(STAKEHOLDER)}` }, redirect: 'manual' });
    const callback = (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    await grants.revoke(grant);
    const finished = await fetch(callback);
    expect(finished.status).toBe(403);
    expect(await harness.connections.info(ref)).toBeNull();
    expect(await audit.list(ref)).toEqual([expect.objectContaining({ userId: STAKEHOLDER, action: 'connect', outcome: 'refused' })]);
  });

  it('refuses a replayed callback: each flow redeems once', async () => {
    const setup = await setUp();
    const { email } = newUser('replay');
    const ref = newRef('replay');
    emulator.signIn(email);
    const start = await fetch(`${setup.server.baseUrl}/connect/start?tenant=${tenantId}&workspace=${ref.workspaceId}`, { headers: { Authorization: `Bearer ${USER_TOKENS.get(ADMIN)}` }, redirect: 'manual' });
    const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = approved.headers.get('location')!;
    expect((await fetch(callback)).status).toBe(200);
    const again = await fetch(callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('Unknown or already used connect flow: start again');
    const forged = await fetch(`${setup.server.redirectUri}?code=abc&state=${randomBytes(32).toString('base64url')}`);
    expect(forged.status).toBe(400);
  });

  it('refuses a callback after the flow expired, and audits it', async () => {
    const setup = await setUp();
    const { email } = newUser('late');
    const ref = newRef('late');
    emulator.signIn(email);
    const start = await fetch(`${setup.server.baseUrl}/connect/start?tenant=${tenantId}&workspace=${ref.workspaceId}`, { headers: { Authorization: `Bearer ${USER_TOKENS.get(ADMIN)}` }, redirect: 'manual' });
    const callback = (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    clockSkewMs = 601_000;
    try {
      const late = await fetch(callback);
      expect(late.status).toBe(400);
      expect(await late.text()).toBe('This connect flow expired: start again');
    } finally {
      clockSkewMs = 0;
    }
    expect(await harness.connections.info(ref)).toBeNull();
    expect(await audit.list(ref)).toEqual([expect.objectContaining({ userId: ADMIN, action: 'connect', outcome: 'refused', reason: 'This connect flow expired: start again' })]);
  });

  it('keeps pending flows single-use and short-lived, with neither the state nor the verifier stored in plain text', async () => {
    const flows = new OAuthFlowsRepository(harness.db, new FieldCipher(harness.keyring));
    const ref = newRef('flows');
    const now = new Date();
    const [state, expiring, verifier] = [randomBytes(32), randomBytes(32), randomBytes(48)].map((bytes) => bytes.toString('base64url')) as [string, string, string];
    const flow = { ref, actor: { userId: ADMIN, role: 'admin' as const }, verifier, selectUser: 'dbmid:abc', rootPath: '/Team', expiresAt: new Date(now.getTime() + 60_000) };
    await flows.save(state, flow, now);
    await flows.save(expiring, { ...flow, expiresAt: new Date(now.getTime() + 1000) }, now);

    const raw = JSON.stringify(await harness.db.collection('oauth_flows').find({ workspaceId: ref.workspaceId }).toArray());
    expect(raw).not.toContain(state);
    expect(raw).not.toContain(verifier);
    expect(await flows.consume(state, now)).toEqual({ flow, expired: false });
    expect(await flows.consume(state, now)).toBe('unknown');
    expect(await flows.consume(expiring, new Date(now.getTime() + 1000))).toEqual({ flow: { ...flow, expiresAt: new Date(now.getTime() + 1000) }, expired: true });
    expect(await flows.consume(expiring, now)).toBe('unknown');
  });

  it('reconnects after a revocation: credentials replaced, and the workflow resumes from the saved cursor without re-listing', async () => {
    const setup = await setUp();
    const { email } = newUser('reconnect');
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/Docs/a.txt', size: 1 }, { op: 'add', path: '/Docs/b.txt', size: 2 }]));
    const ref = newRef('reconnect');
    expect((await httpConnect(setup, ref, { email })).status).toBe(200);
    expect(await startSync(ref)).toMatchObject({ ok: true, result: { mode: 'full', generation: 1 } });
    const firstToken = await accessTokenOf(ref);

    emulator.revokeTokens(firstToken);
    emulator.applyBatch(email, batch(2, [{ op: 'add', path: '/Docs/c.txt', size: 3 }]));
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: false, error: { type: 'DropboxCredentialError' } });
    expect((await harness.sync.status(ref)).credentialHealth).toBe('revoked');
    const stateBefore = await harness.syncState.load(ref);
    const listingsBefore = emulator.countRequests('files/list_folder');
    const cyclesBefore = (await harness.sync.status(ref)).cyclesCompleted;

    const reconnect = await httpConnect(setup, ref, { email });
    expect(reconnect.status).toBe(200);
    expect(reconnect.text).toContain('reconnected');

    // The credentialsUpdated signal alone brings the next cycle: no syncNow here.
    const status = await waitFor('a cycle after the reconnect', async () => {
      const current = await harness.sync.status(ref);
      return current.cyclesCompleted > cyclesBefore ? current : undefined;
    });
    expect(status.lastCycle).toMatchObject({ ok: true, result: { mode: 'incremental', generation: 1, upserts: 1 } });
    expect(status.credentialHealth).toBe('healthy');
    // One list_folder only: the credential probe (non-recursive, limit 1) that lifts the block; no re-listing.
    expect(emulator.countRequests('files/list_folder')).toBe(listingsBefore + 1);
    expect((await harness.syncState.load(ref))?.generation).toBe(stateBefore?.generation);
    expect(await accessTokenOf(ref)).not.toBe(firstToken);
    expect((await harness.connections.info(ref))?.credentialsVersion).toBe(2);
    expect((await audit.list(ref)).map((entry) => `${entry.action}:${entry.outcome}`)).toEqual(['connect:succeeded', 'reconnect:succeeded']);

    // Nothing stored in MongoDB for this workspace holds a token in plain text.
    const raw = JSON.stringify(await harness.db.collection(CONNECTIONS_COLLECTION).find({ workspaceId: ref.workspaceId }).toArray()) + JSON.stringify(await audit.list(ref));
    expect(raw).not.toContain(firstToken);
    expect(raw).not.toContain(await accessTokenOf(ref));
    await harness.sync.terminate(ref, 'test done');
  });

  it('disconnects: credentials gone, workflow stopped, records kept; a different account is then refused', async () => {
    const setup = await setUp();
    const { email } = newUser('disconnect');
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/keep.txt', size: 1 }]));
    const ref = newRef('disconnect');
    expect((await httpConnect(setup, ref, { email })).status).toBe(200);
    expect((await startSync(ref)).ok).toBe(true);

    const outsider = await fetch(`${setup.server.baseUrl}/connect/disconnect?tenant=${tenantId}&workspace=${ref.workspaceId}`, { method: 'POST', headers: { Authorization: `Bearer ${USER_TOKENS.get(OUTSIDER)}` } });
    expect(outsider.status).toBe(403);
    const answer = await fetch(`${setup.server.baseUrl}/connect/disconnect?tenant=${tenantId}&workspace=${ref.workspaceId}`, { method: 'POST', headers: { Authorization: `Bearer ${USER_TOKENS.get(ADMIN)}` } });
    expect(await answer.json()).toEqual({ disconnected: true, workflowStopped: true });
    expect(await harness.connections.info(ref)).toBeNull();
    expect(await harness.connections.withCredentials(ref, async () => 'opened')).toBeNull();
    expect(await harness.sync.statusIfRunning(ref)).toBeUndefined();
    expect((await harness.records.forWorkspace(ref).listActive()).map((record) => record.pathLower)).toEqual(['/keep.txt']);

    const stranger = newUser('stranger');
    const refused = await httpConnect(setup, ref, { email: stranger.email });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('was connected to another Dropbox view');
    expect((await audit.list(ref)).map((entry) => `${entry.userId}:${entry.action}:${entry.outcome}`)).toEqual([
      `${ADMIN}:connect:succeeded`,
      `${OUTSIDER}:disconnect:refused`,
      `${ADMIN}:disconnect:succeeded`,
      `${ADMIN}:reconnect:refused`,
    ]);
  });
});
