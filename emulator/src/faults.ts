import { ApiError } from './api-error';

/** A fault to inject into the next matching API calls. */
export type FaultRule =
  | {
      readonly kind: 'rate_limit';
      /** Route to match (`files/list_folder/continue`); every API route when omitted. */
      readonly route?: string;
      readonly times: number;
      readonly retryAfterSeconds: number;
      readonly style?: 'json' | 'json_without_retry_after' | 'text';
    }
  | { readonly kind: 'server_error'; readonly route?: string; readonly times: number; readonly status?: number };

/** Fault rules waiting to fire, consumed in order of registration. */
export class FaultPlan {
  private readonly rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    if (!Number.isInteger(rule.times) || rule.times < 1) throw new Error(`fault rule needs times >= 1, got ${rule.times}`);
    this.rules.push({ rule, remaining: rule.times });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The error to answer `route` with instead of serving it, if a rule matches. */
  take(route: string): ApiError | undefined {
    const slot = this.rules.find((candidate) => candidate.remaining > 0 && (!candidate.rule.route || candidate.rule.route === route));
    if (!slot) return undefined;
    slot.remaining -= 1;
    const { rule } = slot;
    if (rule.kind === 'rate_limit') return ApiError.rateLimited(rule.retryAfterSeconds, rule.style ?? 'json');
    return ApiError.server(rule.status ?? 503);
  }
}
