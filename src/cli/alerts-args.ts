import { parseArgs } from 'node:util';
import type { AlertView, ListAlertsInput } from '../api/alerts-api';

export const ALERTS_USAGE = `Usage: npm run alerts -- --tenant <tenantId> [--workspace <workspaceId>] [--all] [--json]

  --tenant      the tenant whose alerts to list (required)
  --workspace   only this workspace
  --all         resolved alerts too (default: open ones only)
  --json        one JSON object per line instead of a table`;

/** Parses the `alerts` command's argv; throws naming what is wrong, with the usage. */
export function parseAlertsArgs(argv: readonly string[]): { input: ListAlertsInput; json: boolean } {
  let values: { tenant?: string; workspace?: string; all?: boolean; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { tenant: { type: 'string' }, workspace: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${ALERTS_USAGE}`);
  }
  if (values.tenant === undefined) throw new Error(`--tenant is required\n\n${ALERTS_USAGE}`);
  return {
    input: { tenantId: values.tenant, ...(values.workspace === undefined ? {} : { workspaceId: values.workspace }), includeResolved: values.all ?? false },
    json: values.json ?? false,
  };
}

/** One line per alert: status, workspace, state, when raised (and resolved), and why. */
export function formatAlerts(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return 'no alerts';
  return alerts
    .map((alert) =>
      [
        alert.status.toUpperCase().padEnd(8),
        `${alert.tenantId}/${alert.workspaceId}`,
        alert.state,
        `raised ${alert.raisedAt}`,
        ...(alert.resolvedAt ? [`resolved ${alert.resolvedAt}`] : []),
        ...(alert.detail ? [`- ${alert.detail}`] : []),
      ].join('  '),
    )
    .join('\n');
}
