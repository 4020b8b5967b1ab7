import { Collection, Db } from 'mongodb';
import { WorkspaceRef } from '../domain/ids';

export const CONNECTIONS_COLLECTION = 'connections';

/** A workspace's Dropbox connection. Credentials stay inside the worker; nothing returns them to callers. */
interface ConnectionDoc {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly accountId: string;
  /** Folder to sync (`""` is the account root). */
  readonly rootPath: string;
  readonly credentials: { readonly accessToken: string };
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What the sync may know about a connection: no secrets. */
export interface ConnectionInfo {
  readonly accountId: string;
  readonly rootPath: string;
}

export async function ensureConnectionIndexes(db: Db): Promise<void> {
  // One connection per workspace, looked up by workspace; its tenantId prefix serves the tenant's workspace list.
  await db.collection(CONNECTIONS_COLLECTION).createIndex({ tenantId: 1, workspaceId: 1 }, { unique: true, name: 'workspace' });
}

/**
 * Stores connections. Credentials are write-only from the outside: `connect` takes them, and only
 * `withAccessToken` (used by the worker to build a Dropbox client) ever reads them.
 */
export class ConnectionsRepository {
  private readonly collection: Collection<ConnectionDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ConnectionDoc>(CONNECTIONS_COLLECTION);
  }

  /** Creates or replaces the workspace's connection (a reconnect keeps the saved cursor elsewhere). */
  async connect(ref: WorkspaceRef, input: { accountId: string; rootPath: string; accessToken: string }, now: Date): Promise<void> {
    await this.collection.updateOne(
      { tenantId: ref.tenantId, workspaceId: ref.workspaceId },
      {
        $set: { accountId: input.accountId, rootPath: input.rootPath, credentials: { accessToken: input.accessToken }, updatedAt: now },
        $setOnInsert: { createdAt: now },
      },
      { upsert: true },
    );
  }

  /** Whether the workspace has a connection (credentials are not read). */
  async isConnected(ref: WorkspaceRef): Promise<boolean> {
    const doc = await this.collection.findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId }, { projection: { _id: 1 } });
    return doc !== null;
  }

  /** Ids of the tenant's connected workspaces (tenant-wide settings changes reach these). */
  async workspaceIds(tenantId: string): Promise<string[]> {
    const docs = await this.collection.find({ tenantId }, { projection: { _id: 0, workspaceId: 1 } }).sort({ workspaceId: 1 }).toArray();
    return docs.map((doc) => doc.workspaceId);
  }

  /** Runs `use` with the connection's access token; the token never leaves this call. */
  async withAccessToken<T>(ref: WorkspaceRef, use: (accessToken: string, info: ConnectionInfo) => Promise<T>): Promise<T | null> {
    const doc = await this.collection.findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId });
    if (!doc) return null;
    return use(doc.credentials.accessToken, { accountId: doc.accountId, rootPath: doc.rootPath });
  }
}
