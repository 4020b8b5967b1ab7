import { randomUUID } from 'node:crypto';
import type { DropboxEmulator, HistoryBatch } from '../../../../emulator/src';

/** The fields of Dropbox JSON bodies these tests read; anything else is `unknown`. */
export interface WireJson {
  readonly [field: string]: unknown;
  readonly entries: Array<Record<string, unknown>>;
  readonly cursor: string;
  readonly has_more: boolean;
  readonly changes: boolean;
  readonly error_summary: string;
  readonly error: Record<string, unknown>;
}

/** A raw HTTP reply, read whole. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): WireJson;
}

/** Sends a request and reads the whole reply. */
export async function send(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as WireJson };
}

/**
 * Plain-fetch access to one emulator, the way a client without an SDK talks to Dropbox: JSON
 * bodies on `/2/<route>`, the notify host for longpoll, and the control interface.
 */
export class WireClient {
  constructor(private readonly emulator: DropboxEmulator) {}

  /** An RPC call on the api host; `body` undefined sends neither a body nor a Content-Type. */
  api(route: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.post(this.emulator.baseUrl, route, token, body, headers);
  }

  /** A call on the notify host (longpoll), without Authorization unless `token` is given. */
  notify(route: string, body: unknown, token?: string): Promise<Reply> {
    return this.post(this.emulator.notifyBaseUrl, route, token, body, {});
  }

  control(action: string, body?: unknown, method = 'POST'): Promise<Reply> {
    const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    return send(`${this.emulator.baseUrl}/_control/${action}`, init);
  }

  /** A fresh account per test, so tests never share state. */
  newAccount(displayName = 'Grace Hopper'): { email: string; token: string; accountId: string } {
    const email = `surface-${randomUUID()}@example.com`;
    const { accessToken, accountId } = this.emulator.createAccount({ email, displayName });
    return { email, token: accessToken, accountId };
  }

  /** Applies ops as one history batch. */
  apply(email: string, ops: HistoryBatch['ops'], seq = 1): void {
    this.emulator.applyBatch(email, { seq, at: '2026-03-01T09:15:00Z', ops });
  }

  private post(base: string, route: string, token: string | undefined, body: unknown, headers: Record<string, string>): Promise<Reply> {
    const all: Record<string, string> = { ...headers };
    if (token !== undefined) all['Authorization'] = `Bearer ${token}`;
    if (body !== undefined && all['Content-Type'] === undefined) all['Content-Type'] = 'application/json';
    return send(`${base}/2/${route}`, { method: 'POST', headers: all, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  }
}

/** Files `/<folder>/<prefix>1<ext>` … `/<folder>/<prefix><count><ext>` as add ops. */
export function files(folder: string, count: number, prefix = 'f', ext = '.txt'): HistoryBatch['ops'] {
  return Array.from({ length: count }, (_, index) => ({ op: 'add' as const, path: `${folder}/${prefix}${String(index + 1).padStart(3, '0')}${ext}`, size: index + 1 }));
}
