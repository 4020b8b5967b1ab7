import type { ServerResponse } from 'node:http';
import type { AuthorizeOutcome } from './authorize';

/** An answer of an OAuth endpoint, written by the server. */
export interface OAuthReply {
  readonly status: number;
  readonly contentType?: string;
  readonly location?: string;
  readonly body: string;
}

/** The authorize page: a 302 to the app, or a small HTML page (the code to paste, or the error). */
export function renderAuthorizeOutcome(outcome: AuthorizeOutcome): OAuthReply {
  if (outcome.kind === 'redirect') return { status: 302, location: outcome.location, body: '' };
  const code = outcome.code === undefined ? '' : `\n<p>Authorization code:</p>\n<pre id="auth-code">${escapeHtml(outcome.code)}</pre>`;
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(outcome.title)} - Dropbox emulator</title></head>\n<body>\n<h1>${escapeHtml(outcome.title)}</h1>\n<p>${escapeHtml(outcome.message)}</p>${code}\n</body></html>\n`;
  return { status: outcome.status, contentType: 'text/html; charset=utf-8', body: html };
}

export function writeOAuthReply(res: ServerResponse, reply: OAuthReply): void {
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(reply.body), 'Cache-Control': 'no-store' };
  if (reply.contentType !== undefined) headers['Content-Type'] = reply.contentType;
  if (reply.location !== undefined) headers['Location'] = reply.location;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
