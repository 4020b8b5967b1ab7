import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Db, MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DropboxEmulator } from '../../emulator/src';
import { WorkspaceSyncClient } from '../../src/client/workspace-sync-client';
import { WorkspaceRef } from '../../src/domain/ids';
import { BlindIndex, FieldCipher, Keyring } from '../../src/crypto';
import { DropboxClient } from '../../src/dropbox/dropbox-client';
import { connectWorkspace } from '../../src/services/connect-workspace';
import { ConnectionsRepository } from '../../src/store/connections-repo';
import { verifyKeys } from '../../src/store/key-check';
import { connectMongo, ensureIndexes } from '../../src/store/mongo';
import { RecordsRepository, WorkspaceRecords } from '../../src/store/records-repo';
import { SyncStateRepository } from '../../src/store/sync-state-repo';
import { createSyncWorker, installTemporalRuntime } from '../../src/worker/create-worker';
import { STACK_FILE, TestStackInfo } from './stack-file';

/** Per-test-file access to the shared real stack, with unique names so files never collide. */
export class Harness {
  readonly sync: WorkspaceSyncClient;
  readonly client: Client;
  readonly records: RecordsRepository;
  readonly syncState: SyncStateRepository;
  readonly connections: ConnectionsRepository;
  /** Fresh random keys per test file, also as the environment of a worker process. */
  readonly keyEnv = { FOSTR_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`, FOSTR_INDEX_KEY: randomBytes(32).toString('base64') };
  readonly keyring = Keyring.load({ keys: this.keyEnv.FOSTR_ENCRYPTION_KEYS, indexKey: this.keyEnv.FOSTR_INDEX_KEY });

  private constructor(
    readonly info: TestStackInfo,
    readonly mongo: MongoClient,
    readonly db: Db,
    readonly nativeConnection: NativeConnection,
    readonly clientConnection: Connection,
  ) {
    this.client = new Client({ connection: clientConnection, namespace: info.namespace });
    this.sync = new WorkspaceSyncClient(this.client);
    const cipher = new FieldCipher(this.keyring);
    this.records = new RecordsRepository(db, cipher, new BlindIndex(this.keyring));
    this.syncState = new SyncStateRepository(db, cipher);
    this.connections = new ConnectionsRepository(db, cipher);
  }

  static async open(): Promise<Harness> {
    const info = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as TestStackInfo;
    installTemporalRuntime('ERROR');
    const mongo = await connectMongo(info.mongodbUri);
    const db = mongo.db(`fostr_test_${randomBytes(4).toString('hex')}`);
    await ensureIndexes(db);
    const nativeConnection = await NativeConnection.connect({ address: info.temporalAddress });
    const clientConnection = await Connection.connect({ address: info.temporalAddress });
    const harness = new Harness(info, mongo, db, nativeConnection, clientConnection);
    await verifyKeys(db, harness.keyring);
    return harness;
  }

  async close(): Promise<void> {
    await this.db.dropDatabase().catch(() => undefined);
    await this.mongo.close();
    await this.clientConnection.close();
    await this.nativeConnection.close();
  }

  /** A worker on its own task queue, using the shared workflow bundle. */
  async startWorker(options: { taskQueue: string; emulator: DropboxEmulator; pageLimit: number }): Promise<RunningWorker> {
    const worker = await createSyncWorker({
      connection: this.nativeConnection,
      namespace: this.info.namespace,
      taskQueue: options.taskQueue,
      db: this.db,
      keyring: this.keyring,
      dropbox: { apiBaseUrl: options.emulator.baseUrl, requestTimeoutMs: 10_000 },
      pageLimit: options.pageLimit,
      workflowBundle: { codePath: this.info.bundlePath },
    });
    return new RunningWorker(worker);
  }

  /** Creates an emulator account and connects a fresh workspace to it (of a new tenant unless `tenantId` is given). */
  async connectNewWorkspace(emulator: DropboxEmulator, label: string, tenantId?: string): Promise<{ ref: WorkspaceRef; email: string; accessToken: string; records: WorkspaceRecords }> {
    const suffix = randomBytes(4).toString('hex');
    const email = `${label}-${suffix}@fostr.example`;
    const { accessToken } = emulator.createAccount({ email, displayName: `Test ${label}` });
    const ref = { tenantId: tenantId ?? `t-${suffix}`, workspaceId: `${label}-${suffix}` };
    const createDropboxClient = (token: string) => new DropboxClient({ accessToken: token, apiBaseUrl: emulator.baseUrl, requestTimeoutMs: 10_000 });
    await connectWorkspace({ connections: this.connections, createDropboxClient, clock: () => new Date() }, ref, { credentials: testCredentials(accessToken), rootPath: '', actor: TEST_ADMIN });
    return { ref, email, accessToken, records: this.records.forWorkspace(ref) };
  }
}

export class RunningWorker {
  private readonly running: Promise<void>;

  constructor(readonly worker: Worker) {
    this.running = worker.run();
  }

  async stop(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
  }
}

export function uniqueTaskQueue(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Polls `probe` until it returns a value, or fails naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** The admin that test connections are made by. */
export const TEST_ADMIN = { userId: 'test-admin', role: 'admin' } as const;

/** Credentials around an emulator access token (no refresh token: the emulator's test tokens do not expire). */
export function testCredentials(accessToken: string): { appKey: string; accessToken: string } {
  return { appKey: 'test-app', accessToken };
}
