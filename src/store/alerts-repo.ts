import { Collection, Db, MongoServerError } from 'mongodb';
import type { CredentialHealthState } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';

export const ALERTS_COLLECTION = 'alerts';

/** What an alert is about; one open alert per workspace and kind. */
export type AlertKind = 'credential_health';

/** An alert as stored and as listed: ids, the health state and a reason. Never a token. */
export interface Alert {
  /** Stable across raise and resolve; the webhook's events carry it. */
  readonly alertId: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly kind: AlertKind;
  readonly status: 'open' | 'resolved';
  readonly state: CredentialHealthState;
  readonly detail?: string;
  readonly missingScope?: string;
  readonly raisedAt: Date;
  readonly updatedAt: Date;
  readonly resolvedAt?: Date;
}

/** `_id` is `<tenant>:<workspace>:<kind>:open` while open, then the `alertId` once resolved. */
type AlertDoc = Alert & { readonly _id: string };

/** What raising an alert takes. */
export interface RaiseAlertInput {
  readonly kind: AlertKind;
  readonly state: CredentialHealthState;
  readonly detail?: string;
  readonly missingScope?: string;
}

export async function ensureAlertIndexes(db: Db): Promise<void> {
  // `list`: a tenant's (or workspace's) alerts, open or all, newest first.
  await db.collection(ALERTS_COLLECTION).createIndex({ tenantId: 1, workspaceId: 1, status: 1, raisedAt: -1 }, { name: 'workspace_status' });
}

/**
 * Alerts, de-duplicated by construction: the open alert of a workspace and kind has a fixed `_id`,
 * so raising is an idempotent upsert that creates it at most once; resolving moves it to its own
 * `alertId` with a timestamp. Both work without transactions: a retry after a crash repeats the
 * same writes and ends in the same documents.
 */
export class AlertsRepository {
  private readonly collection: Collection<AlertDoc>;

  constructor(db: Db) {
    this.collection = db.collection<AlertDoc>(ALERTS_COLLECTION);
  }

  /** Opens the workspace's alert of this kind, or updates the open one; `created` is true only for the write that opened it. */
  async raise(ref: WorkspaceRef, input: RaiseAlertInput, now: Date): Promise<{ created: boolean; alert: Alert }> {
    const _id = openId(ref, input.kind);
    const current = { state: input.state, updatedAt: now, ...(input.detail === undefined ? {} : { detail: input.detail }), ...(input.missingScope === undefined ? {} : { missingScope: input.missingScope }) };
    let created = false;
    try {
      const result = await this.collection.updateOne(
        { _id },
        {
          $set: current,
          $setOnInsert: { alertId: `${ref.tenantId}:${ref.workspaceId}:${input.kind}:${now.getTime()}`, tenantId: ref.tenantId, workspaceId: ref.workspaceId, kind: input.kind, status: 'open', raisedAt: now },
        },
        { upsert: true },
      );
      created = result.upsertedCount === 1;
    } catch (error) {
      // Two writers raced to open it: the other one created it; ours is an update.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      await this.collection.updateOne({ _id }, { $set: current });
    }
    const doc = await this.collection.findOne({ _id });
    if (!doc) throw new Error(`alert ${_id} vanished while being raised`);
    return { created, alert: toAlert(doc) };
  }

  /** Resolves the open alert of this kind; returns it when this call resolved it, null when none was open. */
  async resolve(ref: WorkspaceRef, kind: AlertKind, now: Date): Promise<Alert | null> {
    const _id = openId(ref, kind);
    const open = await this.collection.findOne({ _id });
    if (!open) return null;
    const resolved: AlertDoc = { ...open, _id: open.alertId, status: 'resolved', resolvedAt: now, updatedAt: now };
    try {
      await this.collection.insertOne(resolved);
    } catch (error) {
      // A retry after a crash between the two writes: the resolved copy is already there.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    const removed = await this.collection.deleteOne({ _id, alertId: open.alertId });
    return removed.deletedCount === 1 ? toAlert(resolved) : null;
  }

  /** A tenant's alerts (optionally one workspace's, optionally open ones only), newest first. */
  async list(query: { tenantId: string; workspaceId?: string; openOnly?: boolean; limit?: number }): Promise<Alert[]> {
    const filter = {
      tenantId: query.tenantId,
      ...(query.workspaceId === undefined ? {} : { workspaceId: query.workspaceId }),
      ...(query.openOnly ? { status: 'open' as const } : {}),
    };
    const docs = await this.collection.find(filter).sort({ raisedAt: -1 }).limit(query.limit ?? 500).toArray();
    return docs.map(toAlert);
  }
}

function openId(ref: WorkspaceRef, kind: AlertKind): string {
  return `${ref.tenantId}:${ref.workspaceId}:${kind}:open`;
}

function toAlert(doc: AlertDoc): Alert {
  const { _id: _ignored, ...alert } = doc;
  return alert;
}
