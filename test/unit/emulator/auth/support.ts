import { randomUUID } from 'node:crypto';
import type { DropboxEmulator } from '../../../../emulator/src';

/** An HTTP answer with its body read once. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export async function send(emulator: DropboxEmulator, path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${emulator.baseUrl}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** An RPC call; `body` undefined sends no body and no Content-Type (as the JS SDK for Void args). */
export function api(emulator: DropboxEmulator, route: string, token: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return send(emulator, `/2/${route}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export function control(emulator: DropboxEmulator, action: string, body: unknown): Promise<Reply> {
  return send(emulator, `/_control/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/** `POST /oauth2/token` with a form body (as the Python SDK and curl send it). */
export function tokenForm(emulator: DropboxEmulator, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return send(emulator, '/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** A fresh account per test, so tests never share state. */
export function newAccount(emulator: DropboxEmulator, name = 'Auth Tester'): { email: string; accountId: string; accessToken: string } {
  const email = `auth-${randomUUID()}@example.com`;
  return { email, ...emulator.createAccount({ email, displayName: name }) };
}

/** The 401 AuthError tag of a reply. */
export function authTag(reply: Reply): string | undefined {
  return reply.json<{ error: { '.tag': string } }>().error['.tag'];
}
