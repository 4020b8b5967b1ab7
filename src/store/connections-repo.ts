import { Collection, Db } from 'mongodb';
import { FieldCipher } from '../crypto/field-cipher';
import { Actor, ConnectionAccount, CredentialHealthRecord, StoredCredentials } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';

export const CONNECTIONS_COLLECTION = 'connections';

/** Seals and opens JSON values bound to a context (implemented by `FieldCipher`). */
export interface JsonSealer {
  sealJson(value: unknown, context: string): string;
  openJson(sealed: string, context: string): unknown;
}

/** A workspace's Dropbox connection as stored. `credentials` is an encrypted envelope, never plaintext. */
interface ConnectionDoc {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly account: ConnectionAccount;
  /** Folder to sync (`""` is the account root). */
  readonly rootPath: string;
  /**
   * `FieldCipher.sealJson(StoredCredentials)` with context `connections:<tenant>:<workspace>:credentials`.
   * Absent after a disconnect: the document stays as a tombstone so a later connect can tell whether
   * it is the same Dropbox view as the one the saved cursor and the Recordset came from.
   */
  readonly credentials?: string;
  /** Bumped by every connect/reconnect, so a token refresh never overwrites newer credentials. */
  readonly credentialsVersion: number;
  readonly health: CredentialHealthRecord;
  readonly createdAt: Date;
  readonly createdBy: Actor;
  readonly updatedAt: Date;
  readonly updatedBy: Actor;
  readonly disconnectedAt?: Date;
  readonly disconnectedBy?: Actor;
}

/** Filter of the documents that hold credentials (not disconnected). */
const CONNECTED = { credentials: { $exists: true } } as const;

/** What callers may know of a connection: no secrets. */
export interface ConnectionInfo {
  readonly account: ConnectionAccount;
  readonly rootPath: string;
  readonly credentialsVersion: number;
  readonly health: CredentialHealthRecord;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly updatedBy: Actor;
}

/** Input of `connect`: the account detected at connect time and the credentials to seal. */
export interface ConnectInput {
  readonly account: ConnectionAccount;
  readonly rootPath: string;
  readonly credentials: StoredCredentials;
  readonly actor: Actor;
}

/** Lets a credential user save refreshed tokens; returns false when a reconnect replaced them meanwhile. */
export type PersistCredentials = (next: StoredCredentials) => Promise<boolean>;

/** Who acts when a caller names no one (callers that predate the audit). */
const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'admin' };

const INFO_PROJECTION = { _id: 0, account: 1, rootPath: 1, credentialsVersion: 1, health: 1, createdAt: 1, updatedAt: 1, updatedBy: 1 } as const;

export async function ensureConnectionIndexes(db: Db): Promise<void> {
  // One connection per workspace, looked up by workspace; its tenantId prefix serves the tenant's workspace list.
  await db.collection(CONNECTIONS_COLLECTION).createIndex({ tenantId: 1, workspaceId: 1 }, { unique: true, name: 'workspace' });
}

/**
 * Stores connections. Credentials are write-only from the outside: `connect` takes them, and only
 * `withCredentials` (the worker building a Dropbox client, the connect flow's probe) opens them,
 * inside a callback, so no method returns them.
 */
export class ConnectionsRepository {
  private readonly collection: Collection<ConnectionDoc>;

  /** Without a sealer the repository serves only what holds no secret (status, listings, health). */
  constructor(
    db: Db,
    private readonly sealer?: JsonSealer,
  ) {
    this.collection = db.collection<ConnectionDoc>(CONNECTIONS_COLLECTION);
  }

  /**
   * Creates or replaces the workspace's connection in one document write, so a reconnect swaps
   * credentials atomically; the saved cursor and the Recordset live elsewhere and are untouched.
   */
  async connect(ref: WorkspaceRef, input: ConnectInput, now: Date): Promise<{ credentialsVersion: number }> {
    const account = ConnectionAccount.parse(input.account);
    const credentials = StoredCredentials.parse(input.credentials);
    const health: CredentialHealthRecord = { state: 'healthy', since: now, checkedAt: now };
    const doc = await this.collection.findOneAndUpdate(
      { tenantId: ref.tenantId, workspaceId: ref.workspaceId },
      {
        $set: { account, rootPath: this.sealRootPath(ref, input.rootPath), credentials: this.seal(ref, credentials), health, updatedAt: now, updatedBy: input.actor },
        $unset: { disconnectedAt: '', disconnectedBy: '' },
        $inc: { credentialsVersion: 1 },
        $setOnInsert: { createdAt: now, createdBy: input.actor },
      },
      // No projection: FerretDB 1.24's findAndModify does not implement `fields`.
      { upsert: true, returnDocument: 'after' },
    );
    return { credentialsVersion: doc?.credentialsVersion ?? 1 };
  }

  /**
   * Removes the connection's credentials in one write; the account it read (no secret) stays as a
   * tombstone. Returns whether the workspace was connected. `actor` defaults to an unnamed system actor
   * for callers that predate the audit.
   */
  async disconnect(ref: WorkspaceRef, actor: Actor = SYSTEM_ACTOR, now: Date = new Date()): Promise<boolean> {
    const result = await this.collection.updateOne(
      { tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...CONNECTED },
      // The version bump makes a token refresh that read the old credentials fail to write them back.
      { $unset: { credentials: '' }, $set: { disconnectedAt: now, disconnectedBy: actor, updatedAt: now, updatedBy: actor }, $inc: { credentialsVersion: 1 } },
    );
    return result.modifiedCount > 0;
  }

  /** Whether the workspace has a connection with credentials (they are not read). */
  async isConnected(ref: WorkspaceRef): Promise<boolean> {
    const doc = await this.collection.findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...CONNECTED }, { projection: { _id: 1 } });
    return doc !== null;
  }

  /** The connection without its credentials, or null when the workspace is not connected. */
  async info(ref: WorkspaceRef): Promise<ConnectionInfo | null> {
    const doc = await this.collection.findOne<ConnectionInfo>({ tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...CONNECTED }, { projection: INFO_PROJECTION });
    return doc && { ...doc, rootPath: this.openRootPath(ref, doc.rootPath) };
  }

  /**
   * The account the workspace was last connected to, connected or not (no secret): a connect to a
   * different Dropbox view must not continue from a cursor and Recordset of another one.
   */
  async lastAccount(ref: WorkspaceRef): Promise<{ account: ConnectionAccount; rootPath: string; connected: boolean } | null> {
    const doc = await this.collection.findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId }, { projection: { _id: 0, account: 1, rootPath: 1, credentials: 1 } });
    if (!doc) return null;
    return { account: doc.account, rootPath: this.openRootPath(ref, doc.rootPath), connected: doc.credentials !== undefined };
  }

  /** Ids of the tenant's connected workspaces (tenant-wide settings changes reach these). */
  async workspaceIds(tenantId: string): Promise<string[]> {
    const docs = await this.collection.find({ tenantId, ...CONNECTED }, { projection: { _id: 0, workspaceId: 1 } }).sort({ workspaceId: 1 }).toArray();
    return docs.map((doc) => doc.workspaceId);
  }

  /**
   * Records the latest credential health (the state machine lives in the caller). With
   * `credentialsVersion`, only if the connection still holds the credentials that were observed:
   * a cycle that ran on credentials a reconnect has since replaced must not mark the new ones bad.
   * Returns whether it was recorded.
   */
  async setHealth(ref: WorkspaceRef, health: CredentialHealthRecord, credentialsVersion?: number): Promise<boolean> {
    const result = await this.collection.updateOne(
      { tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...(credentialsVersion === undefined ? {} : { credentialsVersion }) },
      { $set: { health } },
    );
    return result.matchedCount === 1;
  }

  /**
   * Runs `use` with the opened credentials; they never leave this call. `persist` saves refreshed
   * tokens only if no reconnect has replaced the credentials since they were read.
   */
  async withCredentials<T>(
    ref: WorkspaceRef,
    use: (credentials: StoredCredentials, info: ConnectionInfo, persist: PersistCredentials) => Promise<T>,
  ): Promise<T | null> {
    const doc = await this.collection.findOne({ tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...CONNECTED });
    if (!doc?.credentials) return null;
    const credentials = StoredCredentials.parse(this.requireSealer().openJson(doc.credentials, credentialsContext(ref)));
    const persist: PersistCredentials = async (next) => {
      const result = await this.collection.updateOne(
        { tenantId: ref.tenantId, workspaceId: ref.workspaceId, credentialsVersion: doc.credentialsVersion, ...CONNECTED },
        { $set: { credentials: this.seal(ref, StoredCredentials.parse(next)) } },
      );
      return result.matchedCount === 1;
    };
    const { credentials: _sealed, tenantId: _t, workspaceId: _w, createdBy: _c, disconnectedAt: _da, disconnectedBy: _db, ...info } = doc;
    return use(credentials, { ...info, rootPath: this.openRootPath(ref, info.rootPath) }, persist);
  }

  /** The synced folder is a path, so it is sealed like every other path (bound to its document and field). */
  private sealRootPath(ref: WorkspaceRef, rootPath: string): string {
    return this.requireSealer().sealJson(rootPath, rootPathContext(ref));
  }

  /** Opens a sealed root path; a plaintext one (stored before paths were sealed here) is read as it is. */
  private openRootPath(ref: WorkspaceRef, stored: string): string {
    if (!FieldCipher.isSealed(stored)) return stored;
    const rootPath = this.requireSealer().openJson(stored, rootPathContext(ref));
    if (typeof rootPath !== 'string') throw new Error(`the stored root path of ${ref.tenantId}/${ref.workspaceId} is not a string`);
    return rootPath;
  }

  private seal(ref: WorkspaceRef, credentials: StoredCredentials): string {
    return this.requireSealer().sealJson(credentials, credentialsContext(ref));
  }

  private requireSealer(): JsonSealer {
    if (!this.sealer) throw new Error('this ConnectionsRepository has no sealer: credentials can be neither stored nor opened through it');
    return this.sealer;
  }

  /**
   * `npm run reencrypt`: re-seals with the sealer's active key every credential envelope for which
   * `isCurrent` is false. Each write is conditional on the old envelope, so a reconnect or a token
   * refresh that happened meanwhile (already on the active key) is never replaced. The envelope is
   * opened and sealed again inside this method; nothing leaves it.
   */
  async reencryptCredentials(isCurrent: (sealed: string) => boolean): Promise<{ scanned: number; resealed: number; current: number; raced: number }> {
    const counts = { scanned: 0, resealed: 0, current: 0, raced: 0 };
    // Disconnected workspaces keep a tombstone without credentials: nothing to re-seal there.
    const docs = this.collection.find(CONNECTED, { projection: { _id: 1, tenantId: 1, workspaceId: 1, credentials: 1, rootPath: 1 }, batchSize: 200 });
    for await (const doc of docs) {
      if (doc.credentials === undefined) continue;
      counts.scanned += 1;
      const ref = { tenantId: doc.tenantId, workspaceId: doc.workspaceId };
      const update: { credentials?: string; rootPath?: string } = {};
      if (!isCurrent(doc.credentials)) update.credentials = this.seal(ref, StoredCredentials.parse(this.requireSealer().openJson(doc.credentials, credentialsContext(ref))));
      if (!FieldCipher.isSealed(doc.rootPath) || !isCurrent(doc.rootPath)) update.rootPath = this.sealRootPath(ref, this.openRootPath(ref, doc.rootPath));
      if (update.credentials === undefined && update.rootPath === undefined) {
        counts.current += 1;
        continue;
      }
      const result = await this.collection.updateOne({ _id: doc._id, credentials: doc.credentials, rootPath: doc.rootPath }, { $set: update });
      counts[result.matchedCount === 1 ? 'resealed' : 'raced'] += 1;
    }
    return counts;
  }
}

/** Associated data of a connection's sealed root path. */
export function rootPathContext(ref: WorkspaceRef): string {
  return `connections:${ref.tenantId}:${ref.workspaceId}:rootPath`;
}

/** Associated data of a connection's credential envelope: it opens only in its own document. */
export function credentialsContext(ref: WorkspaceRef): string {
  return `connections:${ref.tenantId}:${ref.workspaceId}:credentials`;
}
