import { DefaultLogger, NativeConnection, Runtime, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { Db } from 'mongodb';
import { createActivities } from '../../activities';
import { BlindIndex, FieldCipher, Keyring } from '../crypto';
import { DropboxClient } from '../dropbox/dropbox-client';
import { ConnectionsRepository } from '../store/connections-repo';
import { RecordsRepository } from '../store/records-repo';
import { SyncSettingsRepository } from '../store/sync-settings-repo';
import { SyncStateRepository } from '../store/sync-state-repo';

export interface SyncWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Db;
  /** Keys for credentials and metadata at rest. */
  readonly keyring: Keyring;
  readonly dropbox: { readonly apiBaseUrl?: string; readonly requestTimeoutMs: number };
  readonly pageLimit: number;
  /** A prebuilt workflow bundle (tests build one per run); otherwise the worker bundles `workflows/`. */
  readonly workflowBundle?: WorkflowBundleOption;
}

/** Builds a worker hosting the sync workflow and its activities, wired to MongoDB and Dropbox. */
export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const cipher = new FieldCipher(options.keyring);
  const activities = createActivities({
    sync: {
      records: new RecordsRepository(options.db, cipher, new BlindIndex(options.keyring)),
      syncState: new SyncStateRepository(options.db, cipher),
      connections: new ConnectionsRepository(options.db, cipher),
      createDropboxClient: (accessToken) => new DropboxClient({ accessToken, ...options.dropbox }),
      pageLimit: options.pageLimit,
      clock: () => new Date(),
    },
    settings: new SyncSettingsRepository(options.db),
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../../workflows') }),
  });
}

let runtimeInstalled = false;

/**
 * Routes the Temporal SDK's own logs through a level filter (its default prints every info line).
 * The runtime can be installed once per process, so later calls are no-ops.
 */
export function installTemporalRuntime(level: 'WARN' | 'INFO' | 'ERROR' = 'WARN'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(level) });
}
