import { formatAlerts, parseAlertsArgs } from '../../src/cli/alerts-args';

describe('alerts command arguments', () => {
  it('reads tenant, workspace, --all and --json', () => {
    expect(parseAlertsArgs(['--tenant', 't1'])).toEqual({ input: { tenantId: 't1', includeResolved: false }, json: false });
    expect(parseAlertsArgs(['--tenant', 't1', '--workspace', 'w1', '--all', '--json'])).toEqual({ input: { tenantId: 't1', workspaceId: 'w1', includeResolved: true }, json: true });
  });

  it('refuses a missing tenant and unknown options, with the usage', () => {
    expect(() => parseAlertsArgs([])).toThrow(/--tenant is required[\s\S]*Usage: npm run alerts/);
    expect(() => parseAlertsArgs(['--tenant', 't1', '--token'])).toThrow(/Unknown option '--token'[\s\S]*Usage/);
  });

  it('prints one line per alert, or says there are none', () => {
    expect(formatAlerts([])).toBe('no alerts');
    expect(
      formatAlerts([
        { alertId: 'a', tenantId: 't1', workspaceId: 'w1', kind: 'credential_health', status: 'resolved', state: 'revoked', detail: 'oauth2/token: invalid_grant', raisedAt: '2026-05-01T00:00:00.000Z', resolvedAt: '2026-05-01T01:00:00.000Z' },
      ]),
    ).toBe('RESOLVED  t1/w1  revoked  raised 2026-05-01T00:00:00.000Z  resolved 2026-05-01T01:00:00.000Z  - oauth2/token: invalid_grant');
  });
});
