import { Collection, Db } from 'mongodb';
import { WorkspaceRef } from '../domain/ids';
import type { EffectiveSyncSettings } from '../domain/sync-workflow';

export const SYNC_SETTINGS_COLLECTION = 'sync_settings';

/**
 * Admin settings of a tenant (defaults) or of one workspace (overrides). Keyed by `_id`
 * (`tenant:<t>` / `workspace:<t>:<w>`) because the hot path, the workflow loading its settings,
 * must be a primary-key read on every MongoDB-compatible server.
 */
interface SettingsDoc {
  _id: string;
  readonly kind: 'tenant' | 'workspace';
  readonly tenantId: string;
  readonly workspaceId?: string;
  /** Absent: inherit (workspace from tenant, tenant from the deployment default). */
  readonly frequencySeconds?: number;
  readonly paused?: boolean;
  readonly updatedAt: Date;
}

export async function ensureSyncSettingsIndexes(db: Db): Promise<void> {
  // Which workspaces of a tenant override the tenant default (a tenant-wide change skips them).
  await db.collection(SYNC_SETTINGS_COLLECTION).createIndex({ tenantId: 1, kind: 1 }, { name: 'tenant_kind' });
}

const tenantKey = (tenantId: string) => `tenant:${tenantId}`;
const workspaceKey = (ref: WorkspaceRef) => `workspace:${ref.tenantId}:${ref.workspaceId}`;

/** Tenant defaults and workspace overrides of sync frequency and pause. */
export class SyncSettingsRepository {
  private readonly collection: Collection<SettingsDoc>;

  constructor(db: Db) {
    this.collection = db.collection<SettingsDoc>(SYNC_SETTINGS_COLLECTION);
  }

  /** The workspace's settings: its override over its tenant's default; paused if either is paused. */
  async effective(ref: WorkspaceRef): Promise<EffectiveSyncSettings> {
    const [tenant, workspace] = await Promise.all([
      this.collection.findOne({ _id: tenantKey(ref.tenantId) }),
      this.collection.findOne({ _id: workspaceKey(ref) }),
    ]);
    const frequencySeconds = workspace?.frequencySeconds ?? tenant?.frequencySeconds;
    return {
      frequencyMs: frequencySeconds === undefined ? null : frequencySeconds * 1000,
      frequencySource: workspace?.frequencySeconds !== undefined ? 'workspace' : tenant?.frequencySeconds !== undefined ? 'tenant' : 'default',
      pausedBy: workspace?.paused ? 'workspace' : tenant?.paused ? 'tenant' : null,
    };
  }

  async setTenantFrequency(tenantId: string, frequencySeconds: number, now: Date): Promise<void> {
    await this.upsertTenant(tenantId, { frequencySeconds, updatedAt: now });
  }

  async setWorkspaceFrequency(ref: WorkspaceRef, frequencySeconds: number, now: Date): Promise<void> {
    await this.upsertWorkspace(ref, { frequencySeconds, updatedAt: now });
  }

  /** Removes the workspace's frequency override; returns whether there was one. */
  async clearWorkspaceFrequency(ref: WorkspaceRef, now: Date): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: workspaceKey(ref), frequencySeconds: { $exists: true } },
      { $unset: { frequencySeconds: '' }, $set: { updatedAt: now } },
    );
    return result.modifiedCount > 0;
  }

  async setTenantPaused(tenantId: string, paused: boolean, now: Date): Promise<void> {
    await this.upsertTenant(tenantId, { paused, updatedAt: now });
  }

  async setWorkspacePaused(ref: WorkspaceRef, paused: boolean, now: Date): Promise<void> {
    await this.upsertWorkspace(ref, { paused, updatedAt: now });
  }

  /** Ids of the tenant's workspaces that set their own frequency. */
  async workspacesWithFrequencyOverride(tenantId: string): Promise<Set<string>> {
    const docs = await this.collection
      .find({ tenantId, kind: 'workspace', frequencySeconds: { $exists: true } }, { projection: { workspaceId: 1 } })
      .toArray();
    return new Set(docs.map((doc) => doc.workspaceId!));
  }

  private async upsertTenant(tenantId: string, fields: Partial<SettingsDoc>): Promise<void> {
    await this.collection.updateOne({ _id: tenantKey(tenantId) }, { $set: { kind: 'tenant', tenantId, ...fields } }, { upsert: true });
  }

  private async upsertWorkspace(ref: WorkspaceRef, fields: Partial<SettingsDoc>): Promise<void> {
    await this.collection.updateOne(
      { _id: workspaceKey(ref) },
      { $set: { kind: 'workspace', tenantId: ref.tenantId, workspaceId: ref.workspaceId, ...fields } },
      { upsert: true },
    );
  }
}
