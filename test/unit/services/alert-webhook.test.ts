import { createHmac } from 'node:crypto';
import { AlertWebhook, SIGNATURE_HEADER, signAlertPayload, TIMESTAMP_HEADER } from '../../../src/services/alert-webhook';
import type { Alert } from '../../../src/store/alerts-repo';

const ALERT: Alert = {
  alertId: 't1:w1:credential_health:1',
  tenantId: 't1',
  workspaceId: 'w1',
  kind: 'credential_health',
  status: 'open',
  state: 'insufficient_scope',
  detail: 'files/list_folder: missing_scope (needs scope files.metadata.read)',
  missingScope: 'files.metadata.read',
  raisedAt: new Date('2026-05-01T00:00:00Z'),
  updatedAt: new Date('2026-05-01T00:00:00Z'),
};

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records requests and answers with the given statuses in turn (then 200). */
function recordingFetch(statuses: number[], sent: Sent[]): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: init.body as string });
    return new Response(null, { status: statuses.shift() ?? 200 });
  }) as unknown as typeof fetch;
}

describe('AlertWebhook', () => {
  it('signs sha256=HMAC(secret, "<timestamp>.<body>") and sends the alert without secrets', async () => {
    const sent: Sent[] = [];
    const webhook = new AlertWebhook({ url: 'https://hooks.example.com/x', secret: 'webhook-secret-0123', fetch: recordingFetch([], sent) });
    webhook.notify('alert.raised', ALERT);
    await webhook.drain();
    expect(sent).toHaveLength(1);
    const { headers, body } = sent[0]!;
    const timestamp = headers[TIMESTAMP_HEADER]!;
    expect(headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', 'webhook-secret-0123').update(`${timestamp}.${body}`).digest('hex')}`);
    expect(JSON.parse(body)).toEqual({
      event: 'alert.raised',
      alert: { alertId: ALERT.alertId, tenantId: 't1', workspaceId: 'w1', kind: 'credential_health', state: 'insufficient_scope', detail: ALERT.detail, missingScope: 'files.metadata.read', raisedAt: '2026-05-01T00:00:00.000Z' },
    });
    expect(body).not.toContain('webhook-secret-0123');
  });

  it('a changed body or timestamp does not verify', () => {
    const signature = signAlertPayload('s'.repeat(16), '1700000000', '{"a":1}');
    expect(signAlertPayload('s'.repeat(16), '1700000001', '{"a":1}')).not.toBe(signature);
    expect(signAlertPayload('s'.repeat(16), '1700000000', '{"a":2}')).not.toBe(signature);
  });

  it('retries 5xx and gives up after the attempts, reporting without throwing', async () => {
    const sent: Sent[] = [];
    const failures: unknown[] = [];
    const webhook = new AlertWebhook({ url: 'https://hooks.example.com/x', secret: 'x'.repeat(16), attempts: 3, backoffMs: 1, fetch: recordingFetch([503, 502, 500], sent), onFailure: (failure) => failures.push(failure) });
    webhook.notify('alert.resolved', { ...ALERT, status: 'resolved', resolvedAt: new Date('2026-05-01T01:00:00Z') });
    await webhook.drain();
    expect(sent).toHaveLength(3);
    expect(failures).toEqual([{ alertId: ALERT.alertId, event: 'alert.resolved', attempts: 3, reason: 'HTTP 500' }]);
  });

  it('stops retrying on a 4xx that a retry cannot fix, and succeeds after a 5xx', async () => {
    const refused: Sent[] = [];
    const webhook = new AlertWebhook({ url: 'https://hooks.example.com/x', secret: 'x'.repeat(16), backoffMs: 1, fetch: recordingFetch([401], refused) });
    webhook.notify('alert.raised', ALERT);
    await webhook.drain();
    expect(refused).toHaveLength(1);

    const flaky: Sent[] = [];
    const retried = new AlertWebhook({ url: 'https://hooks.example.com/x', secret: 'x'.repeat(16), backoffMs: 1, fetch: recordingFetch([503], flaky) });
    retried.notify('alert.raised', ALERT);
    await retried.drain();
    expect(flaky).toHaveLength(2);
  });
});
