import { Collection, Db } from 'mongodb';
import { AccessGrant } from '../domain/connection';

export const ACCESS_GRANTS_COLLECTION = 'access_grants';

export async function ensureAccessGrantIndexes(db: Db): Promise<void> {
  // A user's grants in a tenant (the authorisation check); unique so granting twice is idempotent.
  await db.collection(ACCESS_GRANTS_COLLECTION).createIndex({ tenantId: 1, userId: 1, role: 1, workspaceId: 1 }, { unique: true, name: 'tenant_user' });
}

/**
 * Who may connect, reconnect or disconnect: tenant admins, and stakeholders granted one workspace.
 * Kept explicit in its own collection, written by an admin command (`npm run connect -- grant`).
 */
export class AccessGrantsRepository {
  private readonly collection: Collection<AccessGrant & { grantedAt?: Date }>;

  constructor(db: Db) {
    this.collection = db.collection(ACCESS_GRANTS_COLLECTION);
  }

  /** Grants a role; granting again changes nothing. */
  async grant(grant: AccessGrant): Promise<void> {
    const key = grant.role === 'admin' ? { tenantId: grant.tenantId, userId: grant.userId, role: grant.role, workspaceId: null } : { ...grant };
    await this.collection.updateOne(key, { $setOnInsert: { grantedAt: new Date() } }, { upsert: true });
  }

  async revoke(grant: AccessGrant): Promise<void> {
    const key = grant.role === 'admin' ? { tenantId: grant.tenantId, userId: grant.userId, role: grant.role, workspaceId: null } : { ...grant };
    await this.collection.deleteOne(key);
  }

  /** The user's grants in the tenant. */
  async forUser(tenantId: string, userId: string): Promise<AccessGrant[]> {
    const docs = await this.collection.find({ tenantId, userId }, { projection: { _id: 0, grantedAt: 0 } }).toArray();
    return docs.map((doc) =>
      doc.role === 'admin' ? { tenantId: doc.tenantId, userId: doc.userId, role: 'admin' } : { tenantId: doc.tenantId, workspaceId: doc.workspaceId, userId: doc.userId, role: 'stakeholder' },
    );
  }
}
