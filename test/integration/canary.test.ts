import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DropboxEmulator } from '../../emulator/src';
import { ensureConnectIndexes } from '../../src/connect/indexes';
import { workspaceSyncWorkflowId } from '../../src/domain/ids';
import { AccessGrantsRepository } from '../../src/store/access-grants-repo';
import { canaryForms, CanarySighting, searchMongo, searchTemporal, sightingsIn } from './canary-search';
import { Harness, uniqueTaskQueue, waitFor } from './harness';

const REPO = resolve(__dirname, '..', '..');
const HOUR = 3600_000;

interface Captured {
  readonly label: string;
  stdout: string;
  stderr: string;
}

/**
 * Issue 5's proof that nothing secret or file-level is stored or printed in plain text. Canaries
 * are planted the way real data arrives: a folder and a file with distinctive names in Dropbox,
 * and the OAuth tokens Dropbox issues when an admin connects through the CLI. The product then
 * runs its whole life on the real stack (connect, first sync, incremental sync, a token refresh
 * after expiry, a revocation raising an alert, the alerts CLI, status and checks), with the worker
 * as a child process logging at debug level. Afterwards every raw MongoDB document, every event of
 * the workspace's Temporal histories (read raw, without the codec) and every captured line of
 * output is searched for every canary in every plain encoding. Control searches prove each search
 * can find what it looks for.
 */
describe('canary search: no secret and no file metadata in plain text anywhere', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  const children: ChildProcess[] = [];
  const outputs: Captured[] = [];

  beforeAll(async () => {
    harness = await Harness.open();
    await ensureConnectIndexes(harness.db);
    emulator = await DropboxEmulator.start({ seed: 'canary' });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await emulator?.stop();
    await harness?.close();
  });

  function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return harness.processEnv(emulator, { LOG_LEVEL: 'debug', ...extra });
  }

  /** Runs one of the project's commands as a user would, capturing everything it prints. */
  function run(label: string, script: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, onStdout?: (text: string, child: ChildProcess) => void): { child: ChildProcess; exited: Promise<number>; captured: Captured } {
    const captured: Captured = { label, stdout: '', stderr: '' };
    outputs.push(captured);
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, script), ...args], { cwd: REPO, env: env(extraEnv), stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout!.on('data', (chunk: Buffer) => {
      captured.stdout += chunk.toString();
      onStdout?.(captured.stdout, child);
    });
    child.stderr!.on('data', (chunk: Buffer) => (captured.stderr += chunk.toString()));
    const exited = new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? -1)));
    return { child, exited, captured };
  }

  it('finds no canary in MongoDB, in the Temporal histories, or in any log or CLI output', async () => {
    const tag = randomBytes(4).toString('hex');
    const folderName = `Quarterly Canary Budget ${tag}`;
    const fileName = `Canary-Salaries-${tag}.xlsx`;
    const filePath = `/${folderName}/Board Papers/${fileName}`;
    const email = `canary-${tag}@fostr.example`;
    const ref = { tenantId: `t-canary-${tag}`, workspaceId: `ws-canary-${tag}` };
    const appKey = `fostr-canary-${tag}`;

    emulator.createAccount({ email, displayName: 'Canary Owner' });
    emulator.applyBatch(email, { seq: 1, at: '2026-01-02T03:04:05Z', ops: [{ op: 'add', path: filePath, size: 4242 }, { op: 'add', path: `/${folderName}/notes.txt`, size: 7 }] });
    emulator.registerApp({ appKey, appSecret: `${appKey}-secret` });
    await new AccessGrantsRepository(harness.db).grant({ tenantId: ref.tenantId, userId: 'canary-admin', role: 'admin' });

    // The worker, as in production: its own process, debug logs captured.
    const taskQueue = uniqueTaskQueue('canary');
    const worker = run('worker', 'src/worker/main.ts', [], { TEMPORAL_TASK_QUEUE: taskQueue, CREDENTIAL_PROBE_INTERVAL_SECONDS: '2' });
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000, credentialProbeIntervalMs: 2000 });

    // Connect through the headless CLI flow (syncing the canary folder only): the admin pastes the
    // code the authorize page shows.
    emulator.signIn(email);
    let pasted = false;
    const connect = run('connect', 'src/connect/main.ts', ['connect', '--tenant', ref.tenantId, '--workspace', ref.workspaceId, '--actor', 'canary-admin', '--root', `/${folderName}`], { DROPBOX_APP_KEY: appKey, DROPBOX_APP_SECRET: `${appKey}-secret` }, (stdout, child) => {
      const url = /^(http\S+\/oauth2\/authorize\S+)\n/m.exec(stdout)?.[1];
      if (!url || pasted) return;
      pasted = true;
      void fetch(url)
        .then((page) => page.text())
        .then((page) => child.stdin!.write(`${/<pre id="auth-code">([^<]+)<\/pre>/.exec(page)?.[1] ?? ''}\n`));
    });
    expect(await connect.exited).toBe(0);

    const tokens: string[] = [];
    const rememberTokens = async () => {
      await harness.connections.withCredentials(ref, async (credentials) => {
        for (const token of [credentials.accessToken, credentials.refreshToken, credentials.appSecret]) if (token && !tokens.includes(token)) tokens.push(token);
      });
    };
    await rememberTokens();
    expect(tokens.length).toBe(3);

    // First sync, then an incremental one after a change under the canary folder.
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: true, result: { mode: 'full', upserts: 4 } });
    emulator.applyBatch(email, { seq: 2, at: '2026-01-03T03:04:05Z', ops: [{ op: 'add', path: `/${folderName}/Board Papers/${fileName}.bak`, size: 1 }] });
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: true, result: { mode: 'incremental', upserts: 1 } });

    // The access token expires: the worker refreshes it (a new canary) and syncs on.
    emulator.expireAccessToken(tokens[0]!);
    emulator.applyBatch(email, { seq: 3, at: '2026-01-04T03:04:05Z', ops: [{ op: 'add', path: `/${folderName}/after-refresh.txt`, size: 2 }] });
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: true, result: { mode: 'incremental', upserts: 1 } });
    await rememberTokens();
    expect(tokens.length).toBe(4);

    // The app is unlinked: the cycle fails, an alert is raised, checks answer "blocked".
    emulator.revokeTokens(tokens[3]!);
    expect(await harness.sync.syncNow(ref)).toMatchObject({ ok: false, error: { type: 'DropboxCredentialError' } });
    expect(await harness.sync.check({ ...ref, maxStalenessMs: 0, timeoutMs: 5000 })).toMatchObject({ outcome: 'credentials_blocked' });
    await waitFor('the revocation alert', async () => ((await harness.db.collection('alerts').countDocuments({ tenantId: ref.tenantId })) > 0 ? true : undefined));
    const alerts = run('alerts', 'src/cli/alerts-main.ts', ['--tenant', ref.tenantId, '--all']);
    expect(await alerts.exited).toBe(0);
    expect(alerts.captured.stdout).toContain(ref.workspaceId);
    expect(alerts.captured.stdout).toContain('revoked');

    worker.child.kill('SIGTERM');
    await worker.exited;
    await harness.sync.terminate(ref, 'canary test done');

    const canaries = [fileName, folderName, `/${folderName}`, filePath, `${filePath}.bak`, ...tokens];
    for (const canary of canaries) expect(canaryForms(canary).length).toBeGreaterThan(1);

    const mongo = await searchMongo(harness.db, canaries);
    const temporal = await searchTemporal(harness.client, harness.info.namespace, workspaceSyncWorkflowId(ref), canaries);
    const printed: CanarySighting[] = outputs.flatMap((output) => [...sightingsIn(output.stdout, `${output.label} stdout`, canaries), ...sightingsIn(output.stderr, `${output.label} stderr`, canaries)]);

    // The searches looked at real material...
    expect(mongo.documents).toBeGreaterThanOrEqual(6);
    expect(temporal.events).toBeGreaterThan(20);
    expect(outputs.reduce((total, output) => total + output.stdout.length + output.stderr.length, 0)).toBeGreaterThan(1000);
    // ...and each one finds a value that is meant to be there in clear (ids), so none is blind.
    expect((await searchMongo(harness.db, [ref.workspaceId])).sightings.length).toBeGreaterThan(0);
    expect((await searchTemporal(harness.client, harness.info.namespace, workspaceSyncWorkflowId(ref), [ref.workspaceId])).sightings.length).toBeGreaterThan(0);
    expect(outputs.flatMap((output) => sightingsIn(output.stdout + output.stderr, output.label, [ref.workspaceId])).length).toBeGreaterThan(0);
    // ...and a canary planted in clear on purpose is found, then removed.
    await harness.db.collection('canary_control').insertOne({ note: `leaked ${fileName}` });
    expect((await searchMongo(harness.db, [fileName])).sightings.map((sighting) => sighting.where)).toContainEqual(expect.stringContaining('canary_control'));
    await harness.db.collection('canary_control').drop();

    expect(mongo.sightings).toEqual([]);
    expect(temporal.sightings).toEqual([]);
    expect(printed).toEqual([]);
  });
});
