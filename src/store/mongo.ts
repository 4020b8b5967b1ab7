import { Db, MongoClient } from 'mongodb';
import { ensureAlertIndexes } from './alerts-repo';
import { ensureConnectionIndexes } from './connections-repo';
import { ensureRecordIndexes } from './records-repo';
import { ensureSyncSettingsIndexes } from './sync-settings-repo';
import { ensureSyncStateIndexes } from './sync-state-repo';

/** Opens a client with a bounded server-selection wait, so a wrong URI fails fast and clearly. */
export async function connectMongo(uri: string, serverSelectionTimeoutMs = 10_000): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: serverSelectionTimeoutMs, appName: 'fostr-dropbox' });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`cannot reach MongoDB at ${redactUri(uri)}: ${(error as Error).message}`, { cause: error });
  }
  return client;
}

/** Creates every index the repositories rely on; safe to run on every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  await ensureRecordIndexes(db);
  await ensureSyncStateIndexes(db);
  await ensureConnectionIndexes(db);
  await ensureSyncSettingsIndexes(db);
  await ensureAlertIndexes(db);
}

/** A MongoDB URI without its password, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
