import { Db } from 'mongodb';
import { z } from 'zod';
import { TenantId, WorkspaceId } from '../domain/ids';
import { Alert, AlertsRepository } from '../store/alerts-repo';
import { parseInput } from './inputs';

/** Input of `listAlerts`: a tenant's alerts, optionally one workspace's; open ones unless `includeResolved`. */
export const ListAlertsInput = z
  .object({
    tenantId: TenantId,
    workspaceId: WorkspaceId.optional(),
    /** Also list resolved alerts (with their resolution time). @default false */
    includeResolved: z.boolean().default(false),
    /** @default 100 */
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListAlertsInput = z.input<typeof ListAlertsInput>;

/** An alert as the API and CLI show it: ids, state and reason, times as ISO strings. Never a credential. */
export interface AlertView {
  readonly alertId: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly kind: Alert['kind'];
  readonly status: Alert['status'];
  readonly state: Alert['state'];
  readonly detail?: string;
  readonly missingScope?: string;
  readonly raisedAt: string;
  readonly resolvedAt?: string;
}

/** Alerts for Fostr's api and the `alerts` CLI command. */
export interface AlertsApi {
  /** Newest first. */
  listAlerts(input: ListAlertsInput): Promise<AlertView[]>;
}

export function createAlertsApi(deps: { readonly db: Db }): AlertsApi {
  const alerts = new AlertsRepository(deps.db);
  return {
    async listAlerts(raw) {
      const input = parseInput('listAlerts', ListAlertsInput, raw);
      const found = await alerts.list({ tenantId: input.tenantId, workspaceId: input.workspaceId, openOnly: !input.includeResolved, limit: input.limit });
      return found.map(toView);
    },
  };
}

function toView(alert: Alert): AlertView {
  return {
    alertId: alert.alertId,
    tenantId: alert.tenantId,
    workspaceId: alert.workspaceId,
    kind: alert.kind,
    status: alert.status,
    state: alert.state,
    ...(alert.detail === undefined ? {} : { detail: alert.detail }),
    ...(alert.missingScope === undefined ? {} : { missingScope: alert.missingScope }),
    raisedAt: alert.raisedAt.toISOString(),
    ...(alert.resolvedAt === undefined ? {} : { resolvedAt: alert.resolvedAt.toISOString() }),
  };
}
