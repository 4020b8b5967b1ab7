import { randomBytes } from 'node:crypto';
import { ConnectAction, ConnectFlowError, ConnectionAccount, ConnectRefusedError, NotAuthorisedError, Actor, StoredCredentials } from '../domain/connection';
import { FostrDropboxError } from '../domain/errors';
import { WorkspaceRef } from '../domain/ids';
import { checkConnectable, CreateDropboxClient, optionalScopeWarnings, rootPathProblem } from '../services/connect-workspace';
import { AccessGrantsRepository } from '../store/access-grants-repo';
import { AuditRepository } from '../store/audit-repo';
import { ConnectionsRepository } from '../store/connections-repo';
import { OAuthFlowsRepository } from '../store/oauth-flows-repo';
import { authorise } from './authorise';
import { DropboxOAuth, OAuthApp, TokenGrant } from './dropbox-oauth';
import { SyncControl } from './sync-control';

export interface ConnectServiceDeps {
  readonly connections: ConnectionsRepository;
  readonly flows: OAuthFlowsRepository;
  readonly audit: AuditRepository;
  readonly grants: AccessGrantsRepository;
  /** The Dropbox app; undefined when DROPBOX_APP_KEY is not configured (every connect is then refused). */
  readonly app?: OAuthApp;
  /** Where Dropbox's hosts are (the emulator in tests); unset in production. */
  readonly apiBaseUrl?: string;
  readonly createDropboxClient: CreateDropboxClient;
  readonly sync: SyncControl;
  readonly clock: () => Date;
  readonly flowTtlMs: number;
}

/** Input of `begin`: who asks to connect which workspace, and how. */
export interface BeginConnectInput {
  readonly ref: WorkspaceRef;
  readonly userId: string;
  /** The callback URL (HTTP flow); absent for the paste-the-code flow. */
  readonly redirectUri?: string;
  /** Team tokens: the member to sync as (`dbmid:...`). */
  readonly selectUser?: string;
  /** @default "" (the whole account) */
  readonly rootPath?: string;
}

/** Result of a finished connect: what the connection reads as. Never a credential. */
export interface ConnectResult {
  readonly ref: WorkspaceRef;
  readonly action: 'connect' | 'reconnect';
  readonly accountId: string;
  readonly kind: ConnectionAccount['kind'];
  readonly credentialsVersion: number;
  /** Whether a running sync workflow was told to use the new credentials. */
  readonly workflowSignalled: boolean;
  readonly warnings: readonly string[];
}

/**
 * The connect flow's use cases: start an authorization (authorised users only), finish it with the
 * code (refusing what sync cannot use), and disconnect. Every attempt, allowed or refused, is audited.
 */
export class ConnectService {
  constructor(private readonly deps: ConnectServiceDeps) {}

  /** Authorises the user, stores the pending flow and returns the authorize URL to send them to. */
  async begin(input: BeginConnectInput): Promise<{ authorizeUrl: string; state: string; expiresAt: Date }> {
    const action = await this.actionFor(input.ref);
    const actor = await this.authorised(input.ref, input.userId, action);
    const rootPath = input.rootPath ?? '';
    const badRoot = rootPathProblem(rootPath);
    if (badRoot) throw await this.refused(input.ref, actor, action, badRoot);
    if (input.selectUser !== undefined && !/^dbmid:[A-Za-z0-9_-]+$/.test(input.selectUser)) {
      throw await this.refused(input.ref, actor, action, new ConnectRefusedError(`member must be a team member id (dbmid:...), got ${JSON.stringify(input.selectUser.slice(0, 80))}`));
    }
    const app = this.deps.app;
    if (!app) throw await this.refused(input.ref, actor, action, new ConnectRefusedError('No Dropbox app is configured: set DROPBOX_APP_KEY', ['app key (DROPBOX_APP_KEY)']));
    const state = randomBytes(32).toString('base64url');
    const { url, verifier } = await new DropboxOAuth(app, this.deps.apiBaseUrl).authorizeUrl({ state, ...(input.redirectUri ? { redirectUri: input.redirectUri } : {}) });
    const now = this.deps.clock();
    const expiresAt = new Date(now.getTime() + this.deps.flowTtlMs);
    await this.deps.flows.save(state, { ref: input.ref, actor, verifier, redirectUri: input.redirectUri, selectUser: input.selectUser, rootPath, expiresAt }, now);
    return { authorizeUrl: url, state, expiresAt };
  }

  /**
   * Finishes the flow `state` names with Dropbox's answer (`code`, or `error` when the user or
   * Dropbox refused): redeems the code, refuses a connection that lacks what sync needs, detects
   * the account kind, stores the credentials in one write and tells a running workflow.
   */
  async finish(input: { state: string; code?: string; error?: string; errorDescription?: string }): Promise<ConnectResult> {
    // A state naming no flow is not audited: nothing says which workspace or user it would be.
    const consumed = await this.deps.flows.consume(input.state, this.deps.clock());
    if (consumed === 'unknown') throw new ConnectFlowError('Unknown or already used connect flow: start again');
    const { flow, expired } = consumed;
    const { ref } = flow;
    const action = await this.actionFor(ref);
    // Checked again: a grant withdrawn while the user was at Dropbox no longer counts.
    const actor = await this.authorised(ref, flow.actor.userId, action);
    try {
      if (expired) throw new ConnectFlowError('This connect flow expired: start again');
      if (input.error !== undefined || !input.code) {
        throw new ConnectRefusedError(`Dropbox did not authorize the app: ${input.error ?? 'no code'}${input.errorDescription ? ` (${input.errorDescription.slice(0, 200)})` : ''}`);
      }
      const app = this.deps.app;
      if (!app) throw new ConnectRefusedError('No Dropbox app is configured: set DROPBOX_APP_KEY', ['app key (DROPBOX_APP_KEY)']);
      const grant = await new DropboxOAuth(app, this.deps.apiBaseUrl).exchange({ code: input.code, verifier: flow.verifier, redirectUri: flow.redirectUri });
      const credentials = credentialsOf(app, grant, this.deps.clock());
      const account = await checkConnectable(this.deps.createDropboxClient, { credentials, rootPath: flow.rootPath, ...(flow.selectUser ? { selectUser: flow.selectUser } : {}) });
      await this.requireSameView(ref, account, flow.rootPath);
      const { credentialsVersion } = await this.deps.connections.connect(ref, { account, rootPath: flow.rootPath, credentials, actor }, this.deps.clock());
      const warnings = optionalScopeWarnings(credentials.scopes);
      const workflowSignalled = await this.tellWorkflow(ref, warnings);
      const result: ConnectResult = { ref, action, accountId: account.accountId, kind: account.kind, credentialsVersion, workflowSignalled, warnings };
      await this.record(ref, actor, action, 'succeeded', { accountId: account.accountId, accountKind: account.kind, credentialsVersion });
      return result;
    } catch (error) {
      const refused = error instanceof ConnectRefusedError || error instanceof ConnectFlowError;
      await this.record(ref, actor, action, refused ? 'refused' : 'failed', { reason: reasonOf(error) });
      throw error;
    }
  }

  /**
   * Removes the workspace's credentials and stops its sync workflow. The Recordset and the saved
   * cursor stay (a reconnect to the same account resumes from them); purging them is a separate act.
   */
  async disconnect(input: { ref: WorkspaceRef; userId: string }): Promise<{ disconnected: boolean; workflowStopped: boolean }> {
    const actor = await this.authorised(input.ref, input.userId, 'disconnect');
    try {
      const disconnected = await this.deps.connections.disconnect(input.ref, actor, this.deps.clock());
      const workflowStopped = await this.deps.sync.stop(input.ref, `disconnected by ${actor.userId}`);
      await this.record(input.ref, actor, 'disconnect', 'succeeded', disconnected ? {} : { reason: 'was not connected' });
      return { disconnected, workflowStopped };
    } catch (error) {
      await this.record(input.ref, actor, 'disconnect', 'failed', { reason: reasonOf(error) });
      throw error;
    }
  }

  /**
   * Signals the running workflow. The credentials are stored by then, so a Temporal outage must not
   * fail the connect: the workflow reads credentials afresh each cycle and picks them up on its next one.
   */
  private async tellWorkflow(ref: WorkspaceRef, warnings: string[]): Promise<boolean> {
    try {
      return await this.deps.sync.credentialsUpdated(ref);
    } catch (error) {
      warnings.push(`the sync workflow could not be told about the new credentials (${error instanceof Error ? error.name : 'error'}); it uses them from its next scheduled cycle`);
      return false;
    }
  }

  private async actionFor(ref: WorkspaceRef): Promise<'connect' | 'reconnect'> {
    return (await this.deps.connections.lastAccount(ref)) ? 'reconnect' : 'connect';
  }

  /** The actor the user acts as, or a `NotAuthorisedError` (audited as refused). */
  private async authorised(ref: WorkspaceRef, userId: string, action: ConnectAction): Promise<Actor> {
    const actor = authorise(await this.deps.grants.forUser(ref.tenantId, userId), userId, ref);
    if (actor) return actor;
    const error = new NotAuthorisedError(userId, action, ref.tenantId, ref.workspaceId);
    await this.deps.audit.record({ ...ref, at: this.deps.clock(), userId, action, outcome: 'refused', reason: error.message });
    throw error;
  }

  /**
   * A workspace's cursor and Recordset belong to one Dropbox view (account, member, kind, folder).
   * Connecting it to another would continue one view's cursor against another: refused. A changed
   * team root namespace is the same view moved, and allowed (sync answers the root change).
   */
  private async requireSameView(ref: WorkspaceRef, account: ConnectionAccount, rootPath: string): Promise<void> {
    const last = await this.deps.connections.lastAccount(ref);
    if (!last) return;
    const before = last.account;
    const same = before.accountId === account.accountId && before.kind === account.kind && before.selectUser === account.selectUser && last.rootPath === rootPath;
    if (!same) {
      throw new ConnectRefusedError(
        // Folders are named only as same or different: refusals are audited, and paths are stored sealed.
        `Workspace ${ref.workspaceId} was connected to another Dropbox view (${before.kind} account ${before.accountId}${before.selectUser ? ` as ${before.selectUser}` : ''}); ` +
          `this authorization is for ${account.kind} account ${account.accountId}${account.selectUser ? ` as ${account.selectUser}` : ''}${last.rootPath === rootPath ? '' : ', and for a different folder'}. Use a new workspace, or purge this one first`,
      );
    }
  }

  private async refused(ref: WorkspaceRef, actor: Actor, action: ConnectAction, error: ConnectRefusedError): Promise<ConnectRefusedError> {
    await this.record(ref, actor, action, 'refused', { reason: error.message });
    return error;
  }

  private async record(
    ref: WorkspaceRef,
    actor: Actor,
    action: ConnectAction,
    outcome: 'succeeded' | 'refused' | 'failed',
    extra: { reason?: string; accountId?: string; accountKind?: string; credentialsVersion?: number },
  ): Promise<void> {
    await this.deps.audit.record({ ...ref, at: this.deps.clock(), userId: actor.userId, role: actor.role, action, outcome, ...extra });
  }
}

/** The credentials to seal from a token grant; the app secret rides along for confidential apps. */
function credentialsOf(app: OAuthApp, grant: TokenGrant, now: Date): StoredCredentials {
  return {
    appKey: app.appKey,
    ...(app.appSecret ? { appSecret: app.appSecret } : {}),
    accessToken: grant.accessToken,
    ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
    ...(grant.expiresInSeconds === undefined ? {} : { accessTokenExpiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000).toISOString() }),
    ...(grant.scopes ? { scopes: [...grant.scopes] } : {}),
  };
}

/** An error's message for the audit. Our errors are built without secrets; others are named by type only. */
function reasonOf(error: unknown): string {
  if (error instanceof ConnectRefusedError || error instanceof ConnectFlowError || error instanceof NotAuthorisedError || error instanceof FostrDropboxError) return error.message.slice(0, 500);
  return error instanceof Error ? `${error.name} (details withheld)` : 'unknown error';
}
