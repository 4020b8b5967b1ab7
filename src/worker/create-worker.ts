import { DefaultLogger, NativeConnection, Runtime, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { Db } from 'mongodb';
import { createActivities } from '../../activities';
import { BlindIndex, FieldCipher, Keyring } from '../crypto';
import { DropboxClient } from '../dropbox/dropbox-client';
import { createHostMappingFetch } from '../dropbox/host-mapping-fetch';
import { fetchWithTimeout, TokenSession } from '../dropbox/token-session';
import { AlertNotifier } from '../services/alert-webhook';
import { CredentialAccess } from '../services/credential-access';
import { CredentialMonitor } from '../services/credential-monitor';
import { AlertsRepository } from '../store/alerts-repo';
import { ConnectionsRepository } from '../store/connections-repo';
import { RecordsRepository } from '../store/records-repo';
import { SyncSettingsRepository } from '../store/sync-settings-repo';
import { SyncStateRepository } from '../store/sync-state-repo';
import { createDataConverter } from '../temporal/data-converter';

export interface SyncWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Db;
  /** Keys for credentials and metadata at rest. */
  readonly keyring: Keyring;
  readonly dropbox: { readonly apiBaseUrl?: string; readonly requestTimeoutMs: number };
  readonly pageLimit: number;
  /** Where raised and resolved credential alerts are sent (the signed webhook), if anywhere. */
  readonly alertNotifier?: AlertNotifier;
  /** Refresh access tokens this long before they expire. @default 300000 (5 min, as the official SDKs do) */
  readonly tokenRefreshMarginMs?: number;
  /**
   * A prebuilt workflow bundle (tests build one per run, with `failureConverterPath: FAILURE_CONVERTER_PATH`);
   * otherwise the worker bundles `workflows/`.
   */
  readonly workflowBundle?: WorkflowBundleOption;
}

/** Builds a worker hosting the sync workflow and its activities, wired to MongoDB and Dropbox. */
export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const clock = () => new Date();
  const cipher = new FieldCipher(options.keyring);
  const connections = new ConnectionsRepository(options.db, cipher);
  const sdkFetch = options.dropbox.apiBaseUrl ? createHostMappingFetch(options.dropbox.apiBaseUrl) : fetch;
  const access = new CredentialAccess({
    connections,
    openSession: (credentials, persist) =>
      new TokenSession({ credentials, persist, fetch: fetchWithTimeout(sdkFetch, options.dropbox.requestTimeoutMs), clock, refreshMarginMs: options.tokenRefreshMarginMs ?? 300_000 }),
    createDropboxClient: (tokens, addressing) => new DropboxClient({ tokens, ...addressing, ...options.dropbox }),
  });
  const monitor = new CredentialMonitor({ connections, alerts: new AlertsRepository(options.db), notifier: options.alertNotifier, clock });
  const activities = createActivities({
    sync: {
      records: new RecordsRepository(options.db, cipher, new BlindIndex(options.keyring)),
      syncState: new SyncStateRepository(options.db, cipher),
      access,
      monitor,
      pageLimit: options.pageLimit,
      clock,
    },
    settings: new SyncSettingsRepository(options.db),
    probe: { access, monitor },
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    // Encrypts payloads and failure messages; a prebuilt bundle must be built with FAILURE_CONVERTER_PATH.
    dataConverter: createDataConverter(options.keyring),
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
