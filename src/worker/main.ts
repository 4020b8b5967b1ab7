import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config';
import { Keyring, KeyringError } from '../crypto';
import { ensureSearchAttributes } from '../devstack/temporal-search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { createLogger } from '../logger';
import { AlertWebhook } from '../services/alert-webhook';
import { verifyKeys } from '../store/key-check';
import { connectMongo, ensureIndexes } from '../store/mongo';
import { createSyncWorker, installTemporalRuntime } from './create-worker';

/**
 * Composition root of a worker process: reads config, connects to Temporal and MongoDB, runs the
 * worker until SIGINT/SIGTERM. Needs TEMPORAL_ADDRESS and MONGODB_URI (production has both).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'fostr-dropbox-worker');
  if (!config.temporal.address || !config.mongo.uri) {
    throw new ConfigError([
      ...(config.temporal.address ? [] : ['TEMPORAL_ADDRESS: required for a worker process (npm start runs a local stack instead)']),
      ...(config.mongo.uri ? [] : ['MONGODB_URI: required for a worker process (npm start runs a local stack instead)']),
    ]);
  }
  // Keys first: a missing or malformed key stops the worker before it touches anything.
  const keyring = Keyring.load(config.keys);
  installTemporalRuntime();
  const mongo = await connectMongo(config.mongo.uri);
  const db = mongo.db(config.mongo.dbName);
  await ensureIndexes(db);
  // A key that differs from the one that wrote this database stops the worker here, not at the first unreadable record.
  const keys = await verifyKeys(db, keyring);
  logger.info({ activeKeyVersion: keyring.activeVersion, ...keys }, 'encryption keys verified');
  await requireSearchAttributes(config.temporal.address, config.temporal.namespace, (line) => logger.info(line));
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const webhook = config.alerts.webhook
    ? new AlertWebhook({ ...config.alerts.webhook, onFailure: (failure) => logger.warn(failure, 'alert webhook delivery failed') })
    : undefined;
  const worker = await createSyncWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db,
    keyring,
    dropbox: config.dropbox,
    pageLimit: config.sync.pageLimit,
    alertNotifier: webhook,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  try {
    await worker.run();
  } finally {
    await webhook?.drain();
    await connection.close();
    await mongo.close();
    logger.info('worker stopped');
  }
}

/**
 * The workflow upserts its search attributes; on a namespace without them every start fails. They
 * are registered here when missing (the dev server and most self-hosted setups allow it); where the
 * worker may not register them (Temporal Cloud, restricted namespaces) it stops with their list.
 */
async function requireSearchAttributes(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  const admin = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(admin, namespace, ALL_SEARCH_ATTRIBUTES, log);
  } catch (error) {
    const wanted = ALL_SEARCH_ATTRIBUTES.map((attribute) => `${attribute.name}=${attribute.type}`).join(', ');
    throw new ConfigError([`Temporal namespace '${namespace}' needs the search attributes ${wanted}, and registering them failed: ${(error as Error).message}`]);
  } finally {
    await admin.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof KeyringError;
  process.stderr.write(`${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
