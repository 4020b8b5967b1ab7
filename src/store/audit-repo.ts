import { Collection, Db } from 'mongodb';
import { ConnectAction, Actor } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';

export const AUDIT_COLLECTION = 'audit';

/** How an admin act ended. `refused`: not authorised or the connection lacks what sync needs. */
export type AuditOutcome = 'succeeded' | 'refused' | 'failed';

/** One audited act: who, what, when, where, and how it ended. Never a token, code or verifier. */
export interface AuditEntry {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly at: Date;
  readonly userId: string;
  /** The role the user acted in, when the authorisation rule found one. */
  readonly role?: Actor['role'];
  readonly action: ConnectAction;
  readonly outcome: AuditOutcome;
  /** Why it was refused or failed (a message built without secrets). */
  readonly reason?: string;
  readonly accountId?: string;
  readonly accountKind?: string;
  readonly credentialsVersion?: number;
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  // A workspace's audit trail, newest first.
  await db.collection(AUDIT_COLLECTION).createIndex({ tenantId: 1, workspaceId: 1, at: -1 }, { name: 'workspace_at' });
}

/** Append-only audit of connect, reconnect and disconnect attempts, allowed or refused. */
export class AuditRepository {
  private readonly collection: Collection<AuditEntry>;

  constructor(db: Db) {
    this.collection = db.collection<AuditEntry>(AUDIT_COLLECTION);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.collection.insertOne({ ...entry });
  }

  /** The workspace's audit trail, oldest first. */
  async list(ref: WorkspaceRef): Promise<AuditEntry[]> {
    return this.collection.find({ tenantId: ref.tenantId, workspaceId: ref.workspaceId }, { projection: { _id: 0 } }).sort({ at: 1 }).toArray();
  }
}
