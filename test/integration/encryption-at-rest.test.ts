import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DropboxEmulator } from '../../emulator/src';
import type { HistoryBatch } from '../../emulator/src';
import { WorkspaceRef } from '../../src/domain/ids';
import { BlindIndex, FieldCipher, Keyring, KeyringError } from '../../src/crypto';
import { ConnectionsRepository } from '../../src/store/connections-repo';
import { verifyKeys } from '../../src/store/key-check';
import { RecordsRepository } from '../../src/store/records-repo';
import { SyncStateRepository } from '../../src/store/sync-state-repo';
import { diffRecordset } from '../../src/verify/recordset-diff';
import { createSyncWorker } from '../../src/worker/create-worker';
import { Client } from '@temporalio/client';
import { WorkspaceSyncClient } from '../../src/client/workspace-sync-client';
import { createDataConverter } from '../../src/temporal/data-converter';
import { Harness, RunningWorker, uniqueTaskQueue } from './harness';

const REPO = resolve(__dirname, '..', '..');
const HOUR = 3600_000;
const AT = '2026-01-02T03:04:05Z';
const EQUAL = { missing: [], extra: [], mismatched: [], duplicates: [] };
/** Distinctive name parts: none may appear in any stored document. */
const CANARIES = ['marmoset', 'quokka', 'wombat', 'axolotl', 'pangolin', 'okapi', 'narwhal'];

function batch(seq: number, ops: HistoryBatch['ops']): HistoryBatch {
  return { seq, at: AT, ops };
}

/** Every document of the store's collections, as one string (what an attacker with a dump sees). */
async function rawStore(harness: Harness): Promise<string> {
  const parts: string[] = [];
  for (const name of ['records', 'sync_state', 'connections', 'key_check', 'sync_settings']) {
    parts.push(JSON.stringify(await harness.db.collection(name).find({}).toArray()));
  }
  return parts.join('\n');
}

/** Runs a project entry point the way a user does (`node --import tsx <script>`), capturing its output. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, script), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('encryption at rest', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start({ defaultPageLimit: 5 });
  });

  afterAll(async () => {
    await emulator?.stop();
    await harness?.close();
  });

  /** Environment of a child process on the harness's database. */
  function storeEnv(keys: { FOSTR_ENCRYPTION_KEYS: string; FOSTR_INDEX_KEY: string }): Record<string, string> {
    return { ...keys, FOSTR_ENCRYPTION_KEY_FILE: '', FOSTR_ENCRYPTION_ACTIVE_KEY: '', MONGODB_URI: harness.info.mongodbUri, MONGODB_DB: harness.db.databaseName, LOG_LEVEL: 'warn' };
  }

  async function startSyncing(ref: WorkspaceRef, taskQueue: string): Promise<void> {
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    expect((await harness.sync.syncNow(ref)).ok).toBe(true);
  }

  it('stores no name, path, content hash, cursor or token in clear, and path operations still match Dropbox', async () => {
    const taskQueue = uniqueTaskQueue('atrest');
    const worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 5 });
    try {
      const { ref, email, accessToken, records } = await harness.connectNewWorkspace(emulator, 'canary');
      emulator.applyBatch(
        email,
        batch(1, [
          { op: 'add', path: '/Marmoset-Vault/Quokka-Ledger.xlsx', size: 10 },
          { op: 'add', path: '/Marmoset-Vault/Deep/Wombat-Minutes.docx', size: 20 },
          { op: 'add', path: '/Keep/Axolotl-Notes.txt', size: 30 },
          { op: 'add', path: '/Keep/Gone/Pangolin-1.txt', size: 40 },
          { op: 'add', path: '/Keep/Gone/Sub/Pangolin-2.txt', size: 50 },
          { op: 'add', path: '/Okapi-Old.txt', size: 60 },
        ]),
      );
      await startSyncing(ref, taskQueue);
      expect(diffRecordset(await records.listActive(), emulator.groundTruth(email))).toEqual(EQUAL);

      // A folder move (subtree by ancestor keys), a subtree delete, a folder replaced by a file at
      // its path, and a rename: each needs a path lookup through the blind indexes.
      emulator.applyBatch(
        email,
        batch(2, [
          { op: 'move', from: '/Marmoset-Vault', to: '/Archive/Marmoset-Vault', size: null },
          { op: 'delete', path: '/Keep/Gone' },
          { op: 'add', path: '/Keep/Gone', size: 70 },
          { op: 'move', from: '/Okapi-Old.txt', to: '/Narwhal-New.txt', size: null },
        ]),
      );
      const outcome = await harness.sync.syncNow(ref);
      expect(outcome).toMatchObject({ ok: true, result: { mode: 'incremental' } });
      const active = await records.listActive();
      expect(active.map((record) => record.pathLower)).toEqual([
        '/archive',
        '/archive/marmoset-vault',
        '/archive/marmoset-vault/deep',
        '/archive/marmoset-vault/deep/wombat-minutes.docx',
        '/archive/marmoset-vault/quokka-ledger.xlsx',
        '/keep',
        '/keep/axolotl-notes.txt',
        '/keep/gone',
        '/narwhal-new.txt',
      ]);
      const truth = emulator.groundTruth(email);
      expect(diffRecordset(active, truth)).toEqual(EQUAL);
      // A full re-listing matches every stored record by path key again and sweeps nothing that exists.
      expect(await harness.sync.syncNow(ref, { fullRelist: true })).toMatchObject({ ok: true, result: { mode: 'full', swept: 0 } });
      expect(diffRecordset(await records.listActive(), emulator.groundTruth(email))).toEqual(EQUAL);

      const raw = (await rawStore(harness)).toLowerCase();
      for (const canary of CANARIES) expect(raw).not.toContain(canary);
      for (const entry of truth) {
        expect(raw).not.toContain(entry.path_lower);
        if ('content_hash' in entry && entry.content_hash) expect(raw).not.toContain(entry.content_hash);
      }
      const cursor = (await harness.syncState.load(ref))!.cursor!;
      expect(cursor.length).toBeGreaterThan(10);
      expect(raw).not.toContain(cursor.toLowerCase());
      expect(raw).not.toContain(accessToken.toLowerCase());
      const stored = await harness.db.collection('records').findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId });
      expect(Object.keys(stored!).sort()).toEqual(
        ['_id', 'tenantId', 'workspaceId', 'dropboxId', 'kind', 'size', 'rev', 'serverModified', 'clientModified', 'isDownloadable', 'pathKey', 'ancestorKeys', 'sealed', 'state', 'deletedAt', 'generation', 'origin', 'syncedAt'].sort(),
      );
      await harness.sync.terminate(ref, 'test done');
    } finally {
      await worker.stop();
    }
  });

  it('refuses to start a worker with a wrong or missing key, naming the key and never printing it', async () => {
    const wrongKey = randomBytes(32).toString('base64');
    const base = { TEMPORAL_ADDRESS: harness.info.temporalAddress, TEMPORAL_TASK_QUEUE: uniqueTaskQueue('wrongkey') };

    const wrongData = await runScript('src/worker/main.ts', [], { ...storeEnv({ FOSTR_ENCRYPTION_KEYS: `1:${wrongKey}`, FOSTR_INDEX_KEY: harness.keyEnv.FOSTR_INDEX_KEY }), ...base });
    expect(wrongData.code).toBe(1);
    expect(wrongData.stderr).toContain('encryption keys: data key version 1 is not the key this database was written with');
    expect(wrongData.stderr).not.toContain(wrongKey);
    expect(wrongData.stderr).not.toContain(' at ');

    const wrongIndex = await runScript('src/worker/main.ts', [], { ...storeEnv({ FOSTR_ENCRYPTION_KEYS: harness.keyEnv.FOSTR_ENCRYPTION_KEYS, FOSTR_INDEX_KEY: wrongKey }), ...base });
    expect(wrongIndex.code).toBe(1);
    expect(wrongIndex.stderr).toContain('the index key (FOSTR_INDEX_KEY or indexKey in the key file) is not the key');
    expect(wrongIndex.stderr).not.toContain(wrongKey);

    const missing = await runScript('src/worker/main.ts', [], { ...storeEnv({ FOSTR_ENCRYPTION_KEYS: '', FOSTR_INDEX_KEY: '' }), ...base });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FOSTR_ENCRYPTION_KEYS (or FOSTR_ENCRYPTION_KEY_FILE) is not set');
  });

  it('rotates keys online: new writes use the new key, npm run reencrypt moves the rest, then the old key can go', async () => {
    const v2 = randomBytes(32).toString('base64');
    const indexKey = harness.keyEnv.FOSTR_INDEX_KEY;
    const bothEnv = { FOSTR_ENCRYPTION_KEYS: `${harness.keyEnv.FOSTR_ENCRYPTION_KEYS},2:${v2}`, FOSTR_INDEX_KEY: indexKey };
    const onlyV2Env = { FOSTR_ENCRYPTION_KEYS: `2:${v2}`, FOSTR_INDEX_KEY: indexKey };
    const both = Keyring.load({ keys: bothEnv.FOSTR_ENCRYPTION_KEYS, indexKey });
    const onlyV2 = Keyring.load({ keys: onlyV2Env.FOSTR_ENCRYPTION_KEYS, indexKey });
    const taskQueue = uniqueTaskQueue('rotate');
    // Temporal payloads are encrypted with the same keyring: clients rotate along with workers.
    const syncWith = (keyring: Keyring) => new WorkspaceSyncClient(new Client({ connection: harness.clientConnection, namespace: harness.info.namespace, dataConverter: createDataConverter(keyring) }));
    const syncBoth = syncWith(both);
    const syncV2 = syncWith(onlyV2);

    // Key v1 only.
    let worker: RunningWorker = await harness.startWorker({ taskQueue, emulator, pageLimit: 5 });
    const { ref, email } = await harness.connectNewWorkspace(emulator, 'rotate');
    emulator.applyBatch(email, batch(1, Array.from({ length: 30 }, (_, i) => ({ op: 'add' as const, path: `/Okapi/Batch-${i % 3}/Quokka-${i}.txt`, size: i + 1 }))));
    await startSyncing(ref, taskQueue);
    await worker.stop();

    // v2 added and active: the worker restarts with both keys (its start registers v2).
    expect(await verifyKeys(harness.db, both)).toEqual({ verified: [1], registered: [2], retired: [] });
    const startWorker = async (keyring: Keyring) =>
      new RunningWorker(
        await createSyncWorker({
          connection: harness.nativeConnection,
          namespace: harness.info.namespace,
          taskQueue,
          db: harness.db,
          keyring,
          dropbox: { apiBaseUrl: emulator.baseUrl, requestTimeoutMs: 10_000 },
          pageLimit: 5,
          workflowBundle: { codePath: harness.info.bundlePath },
        }),
      );
    worker = await startWorker(both);
    try {
      emulator.applyBatch(
        email,
        batch(2, [
          { op: 'add', path: '/Okapi/Batch-0/Narwhal-New.txt', size: 5 },
          { op: 'move', from: '/Okapi/Batch-1', to: '/Moved/Batch-1', size: null },
          { op: 'modify', path: '/Okapi/Batch-2/Quokka-2.txt', size: 999 },
        ]),
      );
      expect((await syncBoth.syncNow(ref)).ok).toBe(true);
      const versions = async () => {
        const values = [
          ...(await harness.db.collection('records').find({}).toArray()).map((doc) => doc.sealed as string),
          ...(await harness.db.collection('sync_state').find({}).toArray()).map((doc) => doc.cursor as string),
          ...(await harness.db.collection('connections').find({}).toArray()).map((doc) => doc.credentials as string),
        ];
        return new Set(values.map((value) => FieldCipher.keyVersionOf(value)));
      };
      expect(await versions()).toEqual(new Set([1, 2]));
      // v1 cannot be dropped yet: values still use it.
      await expect(verifyKeys(harness.db, onlyV2)).rejects.toThrow(new KeyringError('data key version 1 is not configured, but values sealed with it may still be stored; configure it again (keep it until `npm run reencrypt` has moved every value onto the active key)'));

      // Re-encrypt, as the operator would, while the worker keeps syncing new changes.
      emulator.applyBatch(email, batch(3, [{ op: 'delete', path: '/Okapi/Batch-0' }, { op: 'add', path: '/Okapi/Wombat.txt', size: 7 }]));
      const [reencrypt, concurrent] = await Promise.all([runScript('src/cli/reencrypt.ts', ['--batch-size', '7'], storeEnv(bothEnv)), syncBoth.syncNow(ref)]);
      expect(concurrent.ok).toBe(true);
      expect(reencrypt.stderr).toBe('');
      expect(reencrypt.code).toBe(0);
      expect(reencrypt.stdout).toContain('Re-encrypting onto key version 2 (configured: 1, 2)');
      expect(reencrypt.stdout).toMatch(/^records +scanned \d+, re-sealed [1-9]\d*, /m);
      expect(reencrypt.stdout).toMatch(/^sync_state +scanned 2, re-sealed \d, /m);
      expect(reencrypt.stdout).toMatch(/^connections +scanned 2, re-sealed 2, already current 0, rewritten meanwhile 0$/m);
      expect(reencrypt.stdout).toContain('Done: every value is on key version 2; versions 1 retired in MongoDB. Keep them in the keyring while Temporal holds histories sealed with them');
      expect(await versions()).toEqual(new Set([2]));

      // Idempotent: a second run finds nothing to do.
      const again = await runScript('src/cli/reencrypt.ts', [], storeEnv(bothEnv));
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^records +scanned (\d+), re-sealed 0, already current \1, rewritten meanwhile 0$/m);
      expect(again.stdout).toContain('no older version to retire');
      // The workflow's history still holds payloads sealed with v1; it ends here, and a new run
      // (same cursor and Recordset in MongoDB) starts after v1 is dropped.
      await syncBoth.terminate(ref, 'history sealed with key v1');
    } finally {
      await worker.stop();
    }

    // v1 dropped: the key check passes, everything reads back equal to Dropbox, and sync goes on.
    expect(await verifyKeys(harness.db, onlyV2)).toEqual({ verified: [2], registered: [], retired: [1] });
    const cipher = new FieldCipher(onlyV2);
    const records = new RecordsRepository(harness.db, cipher, new BlindIndex(onlyV2));
    expect(diffRecordset(await records.forWorkspace(ref).listActive(), emulator.groundTruth(email))).toEqual(EQUAL);
    expect((await new SyncStateRepository(harness.db, cipher).load(ref))?.cursor).toEqual(expect.any(String));
    const token = await new ConnectionsRepository(harness.db, cipher).withCredentials(ref, async (credentials) => credentials.accessToken);
    expect(token).toMatch(/\S{10,}/);
    worker = await startWorker(onlyV2);
    try {
      emulator.applyBatch(email, batch(4, [{ op: 'move', from: '/Moved', to: '/Okapi/Moved', size: null }]));
      await syncV2.start(ref, { taskQueue, schedule: { frequencyMs: HOUR, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
      expect(await syncV2.syncNow(ref)).toMatchObject({ ok: true, result: { mode: 'incremental' } });
      expect(diffRecordset(await records.forWorkspace(ref).listActive(), emulator.groundTruth(email))).toEqual(EQUAL);
      await syncV2.terminate(ref, 'test done');
    } finally {
      await worker.stop();
    }
  });
});
