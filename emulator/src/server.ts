import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Account } from './account';
import { ApiError } from './api-error';
import { FaultPlan, FaultRule } from './faults';
import { applyBatch, HistoryBatch } from './history';
import { FileMetadataWire, FolderMetadataWire, toWire } from './metadata';
import { AccessGrant, requireScope, TokenStore } from './auth/token-store';
import type { AppInput, RegisteredApp } from './auth/apps';
import type { TokenFamily } from './auth/token-family';
import { IssuedTokensResult, IssueTokensInput, OAuthServer } from './oauth/oauth-server';
import { writeOAuthReply } from './oauth/reply';
import { ApiCall, Caller, RouteDefinition, ROUTE_TABLE } from './routes';
import { ControlError, handleControl } from './control';
import { TreeConflictError } from './namespace';
import { MAX_GENERATED_ENTRIES, SeedReport, seedNamespace } from './seed';
import { MalformedPathError } from './paths';

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Seed for ids, revisions and content hashes. @default "fostr" */
  readonly seed?: string;
  /** Page size when `list_folder` has no `limit`. @default 500 */
  readonly defaultPageLimit?: number;
  /** Report case-only renames in `list_folder/continue` (Dropbox does not). @default false */
  readonly reportCaseOnlyRenames?: boolean;
  /** Lifetime of the short-lived access tokens OAuth issues (`expires_in`). @default 14400 */
  readonly accessTokenLifetimeSeconds?: number;
}

/** One served API call, for tests that assert how a client used the API. */
export interface RequestRecord {
  readonly route: string;
  readonly status: number;
}

/** A live entry as the connected account sees it (the emulator's ground truth). */
export type GroundTruthEntry = FileMetadataWire | FolderMetadataWire;

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack']);
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A local Dropbox API v2 server on loopback, for tests and the demo. The official SDK reaches it
 * through a `fetch` that maps Dropbox's hosts to `baseUrl`.
 */
export class DropboxEmulator {
  readonly faults = new FaultPlan();
  readonly requests: RequestRecord[] = [];
  /** Extra delay before answering each API call, to make syncs slow enough to interrupt. */
  latencyMs = 0;
  readonly tokens: TokenStore;
  /** Registered apps, the signed-in user and the `/oauth2/*` endpoints. */
  readonly oauth: OAuthServer;
  private readonly accounts = new Map<string, Account>();
  private readonly seed: string;
  private readonly defaultPageLimit: number;
  private readonly reportCaseOnlyRenames: boolean;
  private server?: Server;
  private url?: string;

  private constructor(options: EmulatorOptions) {
    this.seed = options.seed ?? 'fostr';
    this.defaultPageLimit = options.defaultPageLimit ?? 500;
    this.reportCaseOnlyRenames = options.reportCaseOnlyRenames ?? false;
    this.tokens = new TokenStore({ accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds });
    this.oauth = new OAuthServer(this.tokens, { account: (email) => this.account(email) });
  }

  /** Starts a server on 127.0.0.1. */
  static async start(options: EmulatorOptions = {}): Promise<DropboxEmulator> {
    const emulator = new DropboxEmulator(options);
    const server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    emulator.server = server;
    emulator.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** `http://127.0.0.1:<port>`: where the Dropbox hosts map to. */
  get baseUrl(): string {
    if (!this.url) throw new Error('emulator is not started');
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Creates a personal account and returns an access token for it. */
  createAccount(input: { email: string; displayName: string; accessToken?: string }): { accountId: string; accessToken: string } {
    if (this.accounts.has(input.email)) throw new ControlError(`account ${input.email} already exists`);
    const account = new Account(input.displayName, input.email, this.seed, this.reportCaseOnlyRenames);
    const grant = this.tokens.issue(account, { accessToken: input.accessToken });
    this.accounts.set(input.email, account);
    this.oauth.signInIfNobodyIs(input.email);
    return { accountId: account.accountId, accessToken: grant.token };
  }

  /** Registers (or replaces) an OAuth app; a default test app is always there (`DEFAULT_APP`). */
  registerApp(input: AppInput): RegisteredApp {
    return this.oauth.apps.register(input);
  }

  /** Makes `email` the user who approves `/oauth2/authorize` (the first account created is, by default). */
  signIn(email: string): void {
    this.oauth.signIn(email);
  }

  /** An offline (or online) authorization for `email` without the browser step: access + refresh token. */
  issueTokens(input: IssueTokensInput): IssuedTokensResult {
    return this.oauth.issueTokens(input);
  }

  /** Fault: the access token answers 401 `expired_access_token` from now on. */
  expireAccessToken(accessToken: string): void {
    if (!this.tokens.expireNow(accessToken)) throw new ControlError('no such access token');
  }

  /** Fault: revokes the authorization `token` (access or refresh) belongs to, as unlinking the app does. */
  revokeTokens(token: string): void {
    this.tokenFamily(token).revoke();
  }

  /** Fault: takes `scope` away from every token of the authorization `token` belongs to. */
  removeScope(token: string, scope: string): void {
    if (!this.tokenFamily(token).removeScope(scope)) throw new ControlError(`the token does not hold scope ${scope}`);
  }

  private tokenFamily(token: string): TokenFamily {
    const family = this.tokens.familyOf(token);
    if (!family) throw new ControlError('no such access or refresh token');
    return family;
  }

  /** Applies a change-history batch to an account's tree. */
  applyBatch(email: string, batch: HistoryBatch): void {
    applyBatch(this.account(email).namespace, batch);
  }

  /**
   * Fills an account's empty tree with a generated one of `entries` files and folders (see
   * `seed/generator.ts`), loaded without change events. The seed defaults to the emulator's seed
   * and the email, so each account gets its own tree and a restart the same one.
   */
  generate(email: string, options: { entries: number; seed?: string }): SeedReport {
    const namespace = this.account(email).namespace;
    if (namespace.size > 0 || namespace.headSeq > 0) throw new ControlError(`cannot generate into ${email}: its tree is not empty`);
    if (!Number.isInteger(options.entries) || options.entries < 0 || options.entries > MAX_GENERATED_ENTRIES) {
      throw new ControlError(`entries must be a whole number from 0 to ${MAX_GENERATED_ENTRIES}, got ${options.entries}`);
    }
    return seedNamespace(namespace, { entries: options.entries, seed: options.seed ?? `${this.seed}:${email}` });
  }

  /** Every entry the account sees, in `path_lower` order. */
  groundTruth(email: string): GroundTruthEntry[] {
    return [...this.account(email).namespace.all()].map(toWire);
  }

  /** Invalidates every cursor issued so far: the next continue answers 409 `reset`. */
  invalidateCursors(email: string): void {
    this.account(email).cursorEpoch += 1;
  }

  injectFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** How many calls of `route` were served (any status). */
  countRequests(route: string): number {
    return this.requests.filter((record) => record.route === route).length;
  }

  account(email: string): Account {
    const account = this.accounts.get(email);
    if (!account) throw new ControlError(`no emulator account ${email}`);
    return account;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const body = await readBody(req);
      if (path.startsWith('/_control/')) {
        const result = handleControl(this, req.method ?? 'GET', path.slice('/_control/'.length), body);
        sendJson(res, 200, result);
        return;
      }
      if (path.startsWith('/oauth2/')) {
        // OAuth lives outside `/2/`: the token endpoint on the api host, the authorize page (on
        // Dropbox's web host) here too so tests need one base URL. Recorded as `oauth2/<endpoint>`.
        const reply = this.oauth.handle(req.method ?? 'GET', req.url ?? '/', req.headers, body);
        this.requests.push({ route: path.slice(1), status: reply.status });
        writeOAuthReply(res, reply);
        return;
      }
      if (req.method !== 'POST') throw ApiError.badRequestText(`Only POST is supported, got ${req.method ?? '?'}.`);
      if (!path.startsWith('/2/')) throw ApiError.badRequestText(`Unknown API function: "${path}"`);
      const route = path.slice(3);
      const definition = ROUTE_TABLE.get(route);
      if (!definition) throw ApiError.badRequestText(`Unknown API function: "${route}"`);
      await this.serveApi(req, res, definition, body);
    } catch (error) {
      if (path.startsWith('/2/')) this.requests.push({ route: path.slice(3), status: error instanceof ApiError ? error.status : 500 });
      sendError(res, error);
    }
  }

  /**
   * Serves one API call in the order Dropbox checks things: authentication, then injected faults
   * (which stand for the service refusing an authenticated call), then scopes, then the body.
   */
  private async serveApi(req: IncomingMessage, res: ServerResponse, definition: RouteDefinition, raw: Buffer): Promise<void> {
    const route = definition.name;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const grant = this.tokens.authenticate(req.headers['authorization'], route);
    const fault = this.faults.take(route);
    if (fault) throw fault;
    requireScope(grant, definition.scope);
    const body = parseBody(req, definition, raw);
    const call: ApiCall = {
      route,
      caller: resolveCaller(grant),
      defaultPageLimit: this.defaultPageLimit,
      headers: lowerCaseHeaders(req),
    };
    const result = definition.handle(call, body);
    this.requests.push({ route, status: 200 });
    sendJson(res, 200, result);
  }
}

/** The user a call acts as. Team tokens and path roots are resolved here once teams exist. */
function resolveCaller(grant: AccessGrant): Caller {
  if (grant.subject.kind !== 'user') throw ApiError.badRequestText('team tokens are not supported yet');
  return { grant, account: grant.subject.account };
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

function parseBody(req: IncomingMessage, definition: RouteDefinition, raw: Buffer): unknown {
  const route = definition.name;
  const contentType = req.headers['content-type'];
  if (definition.voidArg && raw.length === 0 && contentType === undefined) return null;
  if (contentType === undefined || !JSON_TYPES.has(contentType.toLowerCase())) {
    throw ApiError.badInput(
      route,
      `Bad HTTP "Content-Type" header: ${JSON.stringify(contentType ?? '')}.  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".`,
    );
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw ApiError.badInput(route, 'request body: could not decode input as JSON');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw ApiError.badRequestText('Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value ?? null);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'X-Dropbox-Request-Id': randomBytes(16).toString('hex'),
  });
  res.end(body);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof ControlError || error instanceof MalformedPathError || error instanceof TreeConflictError) {
    res.writeHead(error instanceof TreeConflictError ? 409 : 400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(error.message);
    return;
  }
  if (!(error instanceof ApiError)) {
    const text = `Internal emulator error: ${(error as Error).message ?? String(error)}`;
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
    return;
  }
  const headers: Record<string, string> = { ...error.headers, 'X-Dropbox-Request-Id': randomBytes(16).toString('hex') };
  if (error.body === null) {
    res.writeHead(error.status, headers);
    res.end();
  } else if (typeof error.body === 'string') {
    res.writeHead(error.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(error.body);
  } else {
    res.writeHead(error.status, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(error.body));
  }
}
