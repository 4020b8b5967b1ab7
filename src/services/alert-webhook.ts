import { createHmac } from 'node:crypto';
import type { Alert } from '../store/alerts-repo';

/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed by the webhook secret. */
export const SIGNATURE_HEADER = 'X-Fostr-Signature';
/** Header carrying the Unix time (seconds) the request was signed; part of the signed text, against replays. */
export const TIMESTAMP_HEADER = 'X-Fostr-Timestamp';

/** What the webhook receives: one event per raised or resolved alert. */
export interface AlertEvent {
  readonly event: 'alert.raised' | 'alert.resolved';
  readonly alert: {
    readonly alertId: string;
    readonly tenantId: string;
    readonly workspaceId: string;
    readonly kind: string;
    readonly state: string;
    readonly detail?: string;
    readonly missingScope?: string;
    readonly raisedAt: string;
    readonly resolvedAt?: string;
  };
}

/** Sends alert events somewhere; never throws and never delays its caller. */
export interface AlertNotifier {
  notify(event: AlertEvent['event'], alert: Alert): void;
}

export interface AlertWebhookOptions {
  readonly url: string;
  readonly secret: string;
  /** Attempts per event (the first included). @default 4 */
  readonly attempts?: number;
  /** Wait before the first retry, doubled for each later one. @default 500 */
  readonly backoffMs?: number;
  /** Per-request timeout. @default 5000 */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly onFailure?: (failure: { alertId: string; event: string; attempts: number; reason: string }) => void;
}

/** The signature a receiver recomputes to check a request: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signAlertPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs alert events as signed JSON to the configured URL. Delivery runs in the background with a
 * few retries (5xx, timeouts, refused connections), so a slow or dead receiver never holds up a
 * sync cycle or probe; each raised or resolved alert is sent by the one write that raised or
 * resolved it, so it is sent once.
 */
export class AlertWebhook implements AlertNotifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: AlertWebhookOptions) {}

  notify(event: AlertEvent['event'], alert: Alert): void {
    const delivery = this.deliver(toEvent(event, alert)).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Waits for deliveries under way (worker shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(payload: AlertEvent): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const body = JSON.stringify(payload);
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, (this.options.backoffMs ?? 500) * 2 ** (attempt - 2)));
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await (this.options.fetch ?? fetch)(this.options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signAlertPayload(this.options.secret, timestamp, body) },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        reason = `HTTP ${response.status}`;
        // A 4xx other than 408/429 will not change on a retry.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
      } catch (error) {
        reason = error instanceof Error ? error.name : 'error';
      }
    }
    this.options.onFailure?.({ alertId: payload.alert.alertId, event: payload.event, attempts, reason });
  }
}

function toEvent(event: AlertEvent['event'], alert: Alert): AlertEvent {
  return {
    event,
    alert: {
      alertId: alert.alertId,
      tenantId: alert.tenantId,
      workspaceId: alert.workspaceId,
      kind: alert.kind,
      state: alert.state,
      ...(alert.detail === undefined ? {} : { detail: alert.detail }),
      ...(alert.missingScope === undefined ? {} : { missingScope: alert.missingScope }),
      raisedAt: alert.raisedAt.toISOString(),
      ...(alert.resolvedAt === undefined ? {} : { resolvedAt: alert.resolvedAt.toISOString() }),
    },
  };
}
