import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConnectFlowError, ConnectRefusedError, NotAuthorisedError } from '../domain/connection';
import { FostrDropboxError } from '../domain/errors';
import { WorkspaceRef } from '../domain/ids';
import { ConnectService } from './connect-service';

export interface ConnectServerOptions {
  readonly service: ConnectService;
  /** User id -> bearer token of who may call `/connect/start` and `/connect/disconnect`. */
  readonly apiTokens: ReadonlyMap<string, string>;
  /** The callback URL registered with the Dropbox app; defaults to this server's `/connect/callback`. */
  readonly redirectUri?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  readonly logger?: Logger;
}

/**
 * The HTTP front end of the connect flow, on loopback: `GET /connect/start` (bearer-authenticated)
 * redirects to Dropbox's authorize page, `GET /connect/callback` finishes the flow, and
 * `POST /connect/disconnect` removes a connection. Answers never contain a credential, a code or a state.
 */
export class ConnectServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly redirectUri: string,
  ) {}

  static async start(options: ConnectServerOptions): Promise<ConnectServer> {
    let redirectUri = options.redirectUri ?? '';
    const server = createServer((req, res) => {
      handle(options, redirectUri, req, res).catch((error: unknown) => {
        options.logger?.error({ errorType: error instanceof Error ? error.name : typeof error }, 'connect request failed');
        if (!res.headersSent) reply(res, 500, 'Internal error');
      });
    });
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
    });
    const port = (server.address() as AddressInfo).port;
    redirectUri ||= `http://127.0.0.1:${port}/connect/callback`;
    return new ConnectServer(server, port, redirectUri);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolveClose) => this.server.close(() => resolveClose()));
  }
}

async function handle(options: ConnectServerOptions, redirectUri: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query = url.searchParams;
  const path = url.pathname;
  if (path === '/connect/callback' && req.method === 'GET') {
    const state = query.get('state');
    if (!state) return reply(res, 400, 'Missing state: start the connection again');
    try {
      const result = await options.service.finish({
        state,
        code: query.get('code') ?? undefined,
        error: query.get('error') ?? undefined,
        errorDescription: query.get('error_description') ?? undefined,
      });
      const warnings = result.warnings.length > 0 ? ` Warnings: ${result.warnings.join('; ')}.` : '';
      return reply(res, 200, `Workspace ${result.ref.workspaceId} ${result.action === 'reconnect' ? 'reconnected' : 'connected'} to Dropbox (${result.kind} account ${result.accountId}).${warnings}`);
    } catch (error) {
      return replyError(res, error);
    }
  }
  if ((path === '/connect/start' && req.method === 'GET') || (path === '/connect/disconnect' && req.method === 'POST')) {
    const userId = authenticate(req, options.apiTokens);
    if (!userId) return reply(res, 401, 'Authentication required: Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer' });
    const tenantId = query.get('tenant');
    const workspaceId = query.get('workspace');
    if (!tenantId || !workspaceId) return reply(res, 400, 'tenant and workspace are required');
    const parsedRef = WorkspaceRef.safeParse({ tenantId, workspaceId });
    if (!parsedRef.success) return reply(res, 400, `invalid workspace: ${parsedRef.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const ref = parsedRef.data;
    try {
      if (path === '/connect/disconnect') {
        const result = await options.service.disconnect({ ref, userId });
        return reply(res, 200, JSON.stringify(result), { 'Content-Type': 'application/json' });
      }
      const member = query.get('member') ?? undefined;
      const root = query.get('root') ?? undefined;
      const { authorizeUrl } = await options.service.begin({ ref, userId, redirectUri, ...(member ? { selectUser: member } : {}), ...(root ? { rootPath: root } : {}) });
      res.writeHead(302, { Location: authorizeUrl, 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
      return;
    } catch (error) {
      return replyError(res, error);
    }
  }
  reply(res, 404, 'Not found');
}

/** The user whose bearer token the request carries (compared in constant time), or undefined. */
function authenticate(req: IncomingMessage, tokens: ReadonlyMap<string, string>): string | undefined {
  const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const presented = Buffer.from(match[1]!);
  for (const [userId, token] of tokens) {
    const expected = Buffer.from(token);
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) return userId;
  }
  return undefined;
}

function replyError(res: ServerResponse, error: unknown): void {
  if (error instanceof NotAuthorisedError) return reply(res, 403, error.message);
  if (error instanceof ConnectRefusedError || error instanceof ConnectFlowError) return reply(res, 400, error.message);
  // Dropbox failed while the account was probed: our catalogue's messages carry no secret.
  if (error instanceof FostrDropboxError) return reply(res, 502, `Dropbox failed while checking the account: ${error.message}`);
  throw error;
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
