import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Db, MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DropboxEmulator } from '../../emulator/src';
import { DEFAULT_APP } from '../../emulator/src/auth/apps';
import type { ConnectionAccount } from '../../src/domain/connection';
import { WorkspaceSyncClient } from '../../src/client/workspace-sync-client';
import { WorkspaceRef } from '../../src/domain/ids';
import { BlindIndex, FieldCipher, Keyring } from '../../src/crypto';
import { DropboxAddressing, DropboxClient } from '../../src/dropbox/dropbox-client';
import { connectWorkspace } from '../../src/services/connect-workspace';
import { ConnectionsRepository } from '../../src/store/connections-repo';
import { verifyKeys } from '../../src/store/key-check';
import { connectMongo, ensureIndexes } from '../../src/store/mongo';
import { RecordsRepository, WorkspaceRecords } from '../../src/store/records-repo';
import { SyncStateRepository } from '../../src/store/sync-state-repo';
import { createDataConverter } from '../../src/temporal/data-converter';
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
    this.client = new Client({ connection: clientConnection, namespace: info.namespace, dataConverter: createDataConverter(this.keyring) });
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

  /** The environment of a project command run as a child process (worker, CLIs) against this stack and `emulator`. */
  processEnv(emulator: DropboxEmulator, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.keyEnv,
      TEMPORAL_ADDRESS: this.info.temporalAddress,
      TEMPORAL_NAMESPACE: this.info.namespace,
      MONGODB_URI: this.info.mongodbUri,
      MONGODB_DB: this.db.databaseName,
      DROPBOX_API_BASE_URL: emulator.baseUrl,
      ...extra,
    };
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
    await connectWorkspace({ connections: this.connections, createDropboxClient: emulatorClientFactory(emulator), clock: () => new Date() }, ref, {
      credentials: testCredentials(accessToken),
      rootPath: '',
      actor: TEST_ADMIN,
      // The emulator's test tokens never expire; connections made through the connect flow need a refresh token.
      requireRefreshToken: false,
    });
    return { ref, email, accessToken, records: this.records.forWorkspace(ref) };
  }

  /**
   * Connects a fresh workspace with real OAuth tokens from the emulator (`issueTokens`: access token
   * with its expiry, refresh token unless `online`, the default app's key and secret), so the
   * worker's token session can refresh them. `account` overrides the stored addressing (team space,
   * team token); `email` reuses an existing emulator account.
   */
  async connectWithOAuthTokens(
    emulator: DropboxEmulator,
    label: string,
    options: { email?: string; accessType?: 'offline' | 'online'; scopes?: readonly string[]; account?: Partial<ConnectionAccount>; tenantId?: string } = {},
  ): Promise<{ ref: WorkspaceRef; email: string; tokens: { accessToken: string; refreshToken?: string }; records: WorkspaceRecords }> {
    const suffix = randomBytes(4).toString('hex');
    const email = options.email ?? `${label}-${suffix}@fostr.example`;
    if (options.email === undefined) emulator.createAccount({ email, displayName: `Test ${label}` });
    const ref = { tenantId: options.tenantId ?? `t-${suffix}`, workspaceId: `${label}-${suffix}` };
    const tokens = await this.reconnectWithOAuthTokens(emulator, ref, email, options);
    return { ref, email, tokens, records: this.records.forWorkspace(ref) };
  }

  /** Replaces a workspace's credentials with newly issued OAuth tokens (a reconnect); returns them. */
  async reconnectWithOAuthTokens(
    emulator: DropboxEmulator,
    ref: WorkspaceRef,
    email: string,
    options: { accessType?: 'offline' | 'online'; scopes?: readonly string[]; account?: Partial<ConnectionAccount> } = {},
  ): Promise<{ accessToken: string; refreshToken?: string }> {
    const issued = emulator.issueTokens({ email, accessType: options.accessType ?? 'offline', ...(options.scopes ? { scopes: options.scopes } : {}) });
    const credentials = {
      appKey: DEFAULT_APP.appKey,
      appSecret: DEFAULT_APP.appSecret,
      accessToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000).toISOString(),
      ...(issued.refreshToken === undefined ? {} : { refreshToken: issued.refreshToken }),
    };
    const account: ConnectionAccount = { accountId: emulator.account(email).accountId, kind: 'personal', ...options.account };
    await this.connections.connect(ref, { account, rootPath: '', credentials, actor: TEST_ADMIN }, new Date());
    return { accessToken: issued.accessToken, ...(issued.refreshToken === undefined ? {} : { refreshToken: issued.refreshToken }) };
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

/** Dropbox clients on the emulator, addressed as asked (team member, team space root). */
export function emulatorClientFactory(emulator: DropboxEmulator): (token: string, addressing?: DropboxAddressing) => DropboxClient {
  return (token, addressing) => new DropboxClient({ accessToken: token, ...addressing, apiBaseUrl: emulator.baseUrl, requestTimeoutMs: 10_000 });
}

/** The admin that test connections are made by. */
export const TEST_ADMIN = { userId: 'test-admin', role: 'admin' } as const;

/** Credentials around an emulator access token (no refresh token: the emulator's test tokens do not expire). */
export function testCredentials(accessToken: string): { appKey: string; accessToken: string } {
  return { appKey: 'test-app', accessToken };
}
