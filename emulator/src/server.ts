import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Account } from './account';
import { ApiError } from './api-error';
import { FAULT_PROFILES, FaultContext, FaultOutcome, FaultPlan, FaultProfileName, FaultRule, isFaultProfileName } from './faults';
import { replyJson, writeTransportFault } from './fault-reply';
import { defaultSurfaceSwitches, LongpollSwitches, SurfaceSwitches } from './surface-switches';
import { applyBatch, HistoryBatch } from './history';
import { FileMetadataWire, FolderMetadataWire, toWire } from './metadata';
import { requireScope, TokenStore } from './auth/token-store';
import type { AppInput, RegisteredApp } from './auth/apps';
import type { TokenFamily } from './auth/token-family';
import { IssuedTokensResult, IssueTokensInput, OAuthServer } from './oauth/oauth-server';
import { writeOAuthReply } from './oauth/reply';
import { ApiCall, NoAuthCall, RouteDefinition, RouteHost, ROUTE_TABLE } from './routes';
import { longpollAccount } from './routes/longpoll';
import type { AuthRouteDefinition } from './routes/route';
import { ControlError, handleControl } from './control';
import { batchTargetFor } from './world/batch-router';
import { resolveCaller } from './world/caller';
import type { AccessLevel } from './world/shared-folder';
import { World } from './world/world';
import { TreeConflictError } from './namespace';
import { MAX_GENERATED_ENTRIES, SeedReport, seedNamespace } from './seed';
import { MalformedPathError } from './paths';
import { Exchange, recordExchange } from './transport/exchange-recorder';
import { Listener, listenOnLoopback } from './transport/listener';
import { resolveTls, TlsIdentity, TlsOption, writeCertificate } from './transport/tls';

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Seed for ids, revisions and content hashes. @default "fostr" */
  readonly seed?: string;
  /** Page size when `list_folder` has no `limit`. @default 500 */
  readonly defaultPageLimit?: number;
  /** Report case-only renames in `list_folder/continue` (Dropbox does not). @default false */
  readonly reportCaseOnlyRenames?: boolean;
  /**
   * When a folder is unshared, re-report every item below it after the folder's delete and re-add
   * (maestral#1044), not only the folder. @default false
   */
  readonly reemitSubtreeOnUnshare?: boolean;
  /**
   * Serve HTTPS: `true` generates a self-signed certificate for the loopback names at start (see
   * `caCertificatePem`); a `{certPem, keyPem}` pair serves that certificate. @default false
   */
  readonly tls?: TlsOption;
  /** Keep every response served in `exchanges` (the conformance suite checks them). @default false */
  readonly recordExchanges?: boolean;
  /** Lifetime of the short-lived access tokens OAuth issues (`expires_in`). @default 14400 */
  readonly accessTokenLifetimeSeconds?: number;
  /** Port of the notify-host listener (longpoll only); 0 picks a free one. @default 0 */
  readonly notifyPort?: number;
  /** Named fault profile active from the start (`none`, `flaky`, `slow`, `hostile`). @default "none" */
  readonly faultProfile?: FaultProfileName;
  /** How a path sent in NFD is looked up (surface-switches.ts). @default "not_found" */
  readonly nfdPaths?: SurfaceSwitches['nfdPaths'];
  /** Longpoll switches: false positives, backoff, time scale (surface-switches.ts). */
  readonly longpoll?: Partial<LongpollSwitches>;
  /** Cursors unused this long answer 409 `reset` (surface-switches.ts). @default undefined (never) */
  readonly cursorTtlSeconds?: number;
  /** A folder delete also reports every descendant as deleted (Dropbox reports the folder once). @default false */
  readonly childTombstones?: boolean;
  /** After a folder move, descendants keep ancestors' first casing in `path_display` (dropbox-sdk-python#63). @default false */
  readonly staleAncestorCasing?: boolean;
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
  /** Injected faults, drawn from a PRNG seeded by `seed` (faults/plan.ts). */
  readonly faults: FaultPlan;
  /** Switches for uncertain API behaviour; tests may change them while running. */
  readonly switches: SurfaceSwitches;
  readonly requests: RequestRecord[] = [];
  /** Extra delay before answering each API call, to make syncs slow enough to interrupt. */
  latencyMs = 0;
  readonly tokens: TokenStore;
  /** Registered apps, the signed-in user and the `/oauth2/*` endpoints. */
  readonly oauth: OAuthServer;
  /** Accounts, teams, shared folders and the views they see (world/). */
  readonly world: World;
  private readonly seed: string;
  private readonly defaultPageLimit: number;
  private readonly reportCaseOnlyRenames: boolean;
  /** Every response served, when started with `recordExchanges`. */
  readonly exchanges: Exchange[] = [];
  private readonly recordExchanges: boolean;
  private tlsIdentity?: TlsIdentity;
  private listener?: Listener;
  private notifyListener?: Listener;
  /** Settles when the emulator stops, so held longpolls end. */
  private stopping = deferred();

  private constructor(private readonly options: EmulatorOptions) {
    this.seed = options.seed ?? 'fostr';
    this.faults = new FaultPlan(this.seed);
    if (options.faultProfile !== undefined) this.useFaultProfile(options.faultProfile);
    const switches = defaultSurfaceSwitches();
    this.switches = { nfdPaths: options.nfdPaths ?? switches.nfdPaths, longpoll: { ...switches.longpoll, ...options.longpoll } };
    if (options.cursorTtlSeconds !== undefined) this.switches.cursorTtlSeconds = options.cursorTtlSeconds;
    this.defaultPageLimit = options.defaultPageLimit ?? 500;
    this.reportCaseOnlyRenames = options.reportCaseOnlyRenames ?? false;
    this.world = new World({
      seed: this.seed,
      reportCaseOnlyRenames: this.reportCaseOnlyRenames,
      reemitSubtreeOnUnshare: options.reemitSubtreeOnUnshare ?? false,
      childTombstones: options.childTombstones,
      staleAncestorCasing: options.staleAncestorCasing,
    });
    this.recordExchanges = options.recordExchanges ?? false;
    this.tokens = new TokenStore({ accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds });
    this.oauth = new OAuthServer(this.tokens, {
      account: (email) => this.account(email),
      // A team-linked app's token acts for the team of the admin who approves it.
      teamAdministeredBy: (user) => (user.membership?.isAdmin ? user.membership.team.id : undefined),
    });
  }

  /** Starts a server on 127.0.0.1. */
  static async start(options: EmulatorOptions = {}): Promise<DropboxEmulator> {
    const emulator = new DropboxEmulator(options);
    emulator.tlsIdentity = await resolveTls(options.tls);
    emulator.listener = await emulator.listen('api', options.port ?? 0, (req, res) => void emulator.handle(req, res, 'api'));
    emulator.notifyListener = await emulator.listen('notify', options.notifyPort ?? 0, (req, res) => void emulator.handle(req, res, 'notify'));
    return emulator;
  }

  /** `http(s)://127.0.0.1:<port>`: where the Dropbox hosts map to. */
  get baseUrl(): string {
    if (!this.listener) throw new Error('emulator is not started');
    return this.listener.url;
  }

  /** Where `notify.dropboxapi.com` maps to: a second listener that serves longpoll only. */
  get notifyBaseUrl(): string {
    if (!this.notifyListener) throw new Error('emulator is not started');
    return this.notifyListener.url;
  }

  /** The PEM certificate the HTTPS listeners serve (clients trust it as a CA); `undefined` over HTTP. */
  get caCertificatePem(): string | undefined {
    return this.tlsIdentity?.certPem;
  }

  /** Writes `caCertificatePem` to `file`, for NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE or curl's --cacert. */
  writeCaCertificate(file: string): void {
    if (!this.tlsIdentity) throw new Error('the emulator serves plain HTTP: start it with tls to get a certificate');
    writeCertificate(file, this.tlsIdentity.certPem);
  }

  async stop(): Promise<void> {
    const listeners = [this.listener, this.notifyListener];
    this.listener = undefined;
    this.notifyListener = undefined;
    this.stopping.resolve();
    this.stopping = deferred();
    await Promise.all(listeners.map((listener) => listener?.close()));
  }

  /**
   * Opens one loopback listener with the emulator's transport settings (HTTPS when started with
   * `tls`, exchange recording); every listener (api, notify) goes through here.
   */
  private listen(name: Exchange['listener'], port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listener> {
    return listenOnLoopback(
      (req, res) => {
        if (this.recordExchanges) recordExchange(req, res, name, (exchange) => this.exchanges.push(exchange));
        handler(req, res);
      },
      port,
      this.tlsIdentity,
    );
  }

  /** Creates a personal account and returns an access token for it. */
  createAccount(input: { email: string; displayName: string; accessToken?: string }): { accountId: string; accessToken: string } {
    const account = this.world.createAccount(input.email, input.displayName);
    const grant = this.tokens.issue(account, { accessToken: input.accessToken });
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

  /** Applies a change-history batch to an account's tree (paths in mounted shared folders write to the folder). */
  applyBatch(email: string, batch: HistoryBatch): void {
    applyBatch(batchTargetFor(this.world, this.account(email)), batch);
  }

  /** Creates a team (team-space model) with its root namespace; members join with `addTeamMember`. */
  createTeam(input: { name: string }): { teamId: string; rootNamespaceId: string } {
    const team = this.world.createTeam(input.name);
    return { teamId: team.id, rootNamespaceId: team.rootNamespaceId };
  }

  /** Puts an existing account on a team: its root becomes the team space. */
  addTeamMember(input: { teamId: string; email: string; admin?: boolean }): { teamMemberId: string } {
    const account = this.world.addTeamMember(input.teamId, input.email, input.admin ?? false);
    return { teamMemberId: account.membership!.teamMemberId };
  }

  /** Takes an account off its team (it becomes personal; team tokens selecting it get 401). */
  removeTeamMember(input: { teamId: string; email: string }): void {
    this.world.removeTeamMember(input.teamId, input.email);
  }

  /** Fault: the team's root namespace is replaced (422 `invalid_root` for the old one, `reset` for its cursors). */
  changeRootNamespace(input: { teamId: string }): { rootNamespaceId: string } {
    return { rootNamespaceId: this.world.changeRootNamespace(input.teamId).rootNamespaceId };
  }

  /** A long-lived token of a team-linked app: user routes need `Dropbox-API-Select-User`. */
  issueTeamToken(input: { teamId: string; accessToken?: string; scopes?: readonly string[] }): { accessToken: string } {
    this.world.team(input.teamId);
    return { accessToken: this.tokens.issueLongLived({ kind: 'team', teamId: input.teamId }, input).token };
  }

  /** A long-lived token of an App-folder app for `email`: it sees `/Apps/<appKey>` as its root. */
  issueAppFolderToken(input: { email: string; appKey: string; accessToken?: string; scopes?: readonly string[] }): { accessToken: string } {
    const subject = { kind: 'user' as const, account: this.account(input.email) };
    return { accessToken: this.tokens.issueLongLived(subject, { ...input, app: { appKey: input.appKey, appFolder: true } }).token };
  }

  /** A team folder, mounted at `/<name>` in every member's team space. */
  createTeamFolder(input: { teamId: string; name: string }): { sharedFolderId: string } {
    return { sharedFolderId: this.world.createTeamFolder(input.teamId, input.name).id };
  }

  /** Shares a folder of the owner's home (created if missing). */
  createSharedFolder(input: { ownerEmail: string; path: string }): { sharedFolderId: string } {
    return { sharedFolderId: this.world.createSharedFolder(input.ownerEmail, input.path).id };
  }

  /** Adds a member (or changes their access); `mountPath: null` leaves the folder unmounted. */
  addFolderMember(input: { sharedFolderId: string; email: string; accessLevel: AccessLevel; mountPath?: string | null }): void {
    this.world.addFolderMember(input.sharedFolderId, input.email, input.accessLevel, input.mountPath);
  }

  removeFolderMember(input: { sharedFolderId: string; email: string }): void {
    this.world.removeFolderMember(input.sharedFolderId, input.email);
  }

  mountFolder(input: { sharedFolderId: string; email: string; path?: string }): void {
    this.world.mountFolder(input.sharedFolderId, input.email, input.path);
  }

  unmountFolder(input: { sharedFolderId: string; email: string }): void {
    this.world.unmountFolder(input.sharedFolderId, input.email);
  }

  /** Stops sharing a folder: the owner keeps it as a plain folder, other members lose it. */
  unshareFolder(input: { sharedFolderId: string }): void {
    this.world.unshareFolder(input.sharedFolderId);
  }

  /** Applies a change batch inside a shared or team folder (paths relative to it); `actorEmail` is the author. */
  applySharedFolderBatch(input: { sharedFolderId: string; batch: HistoryBatch; actorEmail?: string }): void {
    const folder = this.world.sharedFolder(input.sharedFolderId);
    const actor = input.actorEmail === undefined ? undefined : this.account(input.actorEmail).accountId;
    folder.actingAs(actor, () => applyBatch(folder.namespace, input.batch));
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

  /** Replaces every fault rule with a named profile's, reseeded so a run replays exactly. */
  useFaultProfile(name: string, seed = this.seed): void {
    if (!isFaultProfileName(name)) throw new ControlError(`unknown fault profile ${JSON.stringify(name)}; known: ${Object.keys(FAULT_PROFILES).join(', ')}`);
    this.faults.clear(seed);
    for (const rule of FAULT_PROFILES[name]) this.faults.add(rule);
  }

  /** How many calls of `route` were served (any status). */
  countRequests(route: string): number {
    return this.requests.filter((record) => record.route === route).length;
  }

  account(email: string): Account {
    return this.world.account(email);
  }


  private async handle(req: IncomingMessage, res: ServerResponse, host: RouteHost): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const body = await readBody(req);
      if (host === 'notify') {
        await this.serveNotify(req, res, path, body);
        return;
      }
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
      if (definition.auth === 'noauth') throw ApiError.badInput(route, WRONG_HOST_FOR_NOTIFY_ROUTE);
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
  private async serveApi(req: IncomingMessage, res: ServerResponse, definition: AuthRouteDefinition, raw: Buffer): Promise<void> {
    const route = definition.name;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const grant = this.tokens.authenticate(req.headers['authorization'], route);
    requireScope(grant, definition.scope);
    const headers = lowerCaseHeaders(req);
    const caller = resolveCaller(this.world, grant, headers, route);
    const fault = await this.applyFaults({ route, account: caller.account });
    const body = parseBody(req, definition, raw);
    const call: ApiCall = {
      route,
      caller,
      world: this.world,
      defaultPageLimit: this.defaultPageLimit,
      headers,
      switches: this.switches,
      pageShape: fault?.type === 'page' ? fault.shape : undefined,
    };
    const result = definition.handle(call, body);
    await this.reply(res, route, result, fault);
  }

  /**
   * The notify host serves longpoll only, without authentication: an Authorization header is a 400
   * (dropbox-sdk-java#35), as is any route of the api host.
   */
  private async serveNotify(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<void> {
    if (req.method !== 'POST') throw ApiError.badRequestText(`Only POST is supported, got ${req.method ?? '?'}.`);
    const route = path.startsWith('/2/') ? path.slice(3) : path;
    const definition = ROUTE_TABLE.get(route);
    if (!definition) throw ApiError.badRequestText(`Unknown API function: "${route}"`);
    if (definition.auth !== 'noauth') throw ApiError.badInput(route, WRONG_HOST_FOR_API_ROUTE);
    if (req.headers['authorization'] !== undefined) {
      throw ApiError.badInput(route, 'Your request includes an Authorization header, but this function does not use it.');
    }
    const body = parseBody(req, definition, raw);
    const fault = await this.applyFaults({ route, account: longpollAccount(this.world, body) });
    const closed = deferred();
    res.once('close', () => closed.resolve());
    const call: NoAuthCall = {
      route,
      headers: lowerCaseHeaders(req),
      switches: this.switches,
      closed: Promise.race([closed.promise, this.stopping.promise]),
      world: this.world,
    };
    const result = await definition.handle(call, body);
    if (res.destroyed) return;
    await this.reply(res, route, result, fault);
  }

  /** Draws the faults for one call: waits out added latency, throws error outcomes, returns the rest. */
  private async applyFaults(context: FaultContext): Promise<FaultOutcome | undefined> {
    const decision = this.faults.take(context);
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (decision.outcome?.type === 'error') throw decision.outcome.error;
    return decision.outcome;
  }

  /** Sends a successful result, unless a transport fault (timeout, truncation, bad body) replaces it. */
  private async reply(res: ServerResponse, route: string, result: unknown, fault: FaultOutcome | undefined): Promise<void> {
    if (fault?.type === 'timeout' || fault?.type === 'truncated' || fault?.type === 'malformed') {
      // A dropped connection has no status; 0 records that no reply was completed.
      this.requests.push({ route, status: fault.type === 'malformed' ? 200 : 0 });
      await writeTransportFault(res, fault, replyJson(result));
      return;
    }
    this.requests.push({ route, status: 200 });
    sendJson(res, 200, result);
  }
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

const WRONG_HOST_FOR_NOTIFY_ROUTE = 'This function is served on notify.dropboxapi.com, not on this host.';
const WRONG_HOST_FOR_API_ROUTE = 'This function is not served on notify.dropboxapi.com; use api.dropboxapi.com.';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = replyJson(value);
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
