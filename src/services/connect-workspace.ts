import { Actor, ConnectionAccount, ConnectRefusedError, OPTIONAL_SCOPES, REQUIRED_SCOPES, StoredCredentials } from '../domain/connection';
import { DropboxBadRequestError, DropboxCredentialError, ListingRootUnavailableError } from '../domain/errors';
import { WorkspaceRef } from '../domain/ids';
import { DropboxAddressing, DropboxClient } from '../dropbox/dropbox-client';
import { ConnectionsRepository } from '../store/connections-repo';
import { addressingOf } from './credential-access';

/** Builds a Dropbox client for a token, addressed as the connection will be. */
export type CreateDropboxClient = (accessToken: string, addressing?: DropboxAddressing) => DropboxClient;

export interface ConnectWorkspaceDeps {
  readonly connections: ConnectionsRepository;
  readonly createDropboxClient: CreateDropboxClient;
  readonly clock: () => Date;
}

/** What a stored connection reads as (no secrets). */
export interface ConnectWorkspaceResult {
  readonly accountId: string;
  readonly kind: ConnectionAccount['kind'];
  readonly credentialsVersion: number;
  /** Optional scopes not granted, and what sync then leaves out. */
  readonly warnings: readonly string[];
}

/** A 400 that tells the token is for a whole team and needs `Dropbox-API-Select-User` (dropbox-api-notes.md §3.6). */
const NEEDS_SELECT_USER = 'Dropbox-API-Select-User';
/** The 400 an app-folder ("sandbox") app gets for any `Dropbox-API-Path-Root` (dropbox-api-notes.md §3.5). */
const PATH_ROOT_REFUSED = 'Path root is not supported';

/**
 * Tells how the token's account must be addressed, with `users/get_current_account` calls:
 * 1. without Select-User: a 400 naming it means a team token, which needs `selectUser`; with it,
 *    a 401 `invalid_select_user` means that member is not in the team;
 * 2. with a path root at the account's own root: app-folder apps are refused (400), everyone else
 *    is not (it is their root);
 * 3. `root_info`: a team root other than the home is a team space, whose root namespace every later
 *    call sends as `Dropbox-API-Path-Root`.
 */
export async function detectAccount(create: CreateDropboxClient, accessToken: string, selectUser?: string): Promise<ConnectionAccount> {
  const teamToken = await needsMember(create(accessToken));
  if (teamToken && !selectUser) {
    throw new ConnectRefusedError(
      'This token is for a whole Dropbox team: choose the team member whose files to sync (--member dbmid:..., or selectUser)',
      ['member (selectUser)'],
    );
  }
  if (!teamToken && selectUser) {
    throw new ConnectRefusedError(`A member (${selectUser}) was given, but the token is not a team token: connect without a member`);
  }
  const addressing = teamToken ? { selectUser } : {};
  let root;
  try {
    root = await create(accessToken, addressing).currentAccountWithRoot();
  } catch (error) {
    if (error instanceof DropboxCredentialError && error.reason === 'invalid_select_user') {
      throw new ConnectRefusedError(`${selectUser ?? ''} is not a member of the token's Dropbox team: choose a current member (dbmid:...)`, ['member (selectUser)']);
    }
    throw error;
  }
  const inTeamSpace = root.rootTag === 'team' && root.rootNamespaceId !== root.homeNamespaceId;
  if (await pathRootRefused(create(accessToken, { ...addressing, rootNamespaceId: root.rootNamespaceId }))) {
    return { accountId: root.accountId, kind: 'app_folder', ...(root.teamId ? { teamId: root.teamId } : {}) };
  }
  const base = { accountId: root.accountId, ...(root.teamId ? { teamId: root.teamId } : {}) };
  if (teamToken) return { ...base, kind: 'team_token', selectUser, ...(inTeamSpace ? { rootNamespaceId: root.rootNamespaceId } : {}) };
  if (inTeamSpace) return { ...base, kind: 'team_space', rootNamespaceId: root.rootNamespaceId };
  return { ...base, kind: 'personal' };
}

async function needsMember(client: DropboxClient): Promise<boolean> {
  try {
    await client.currentAccountWithRoot();
    return false;
  } catch (error) {
    if (error instanceof DropboxBadRequestError && error.reason.includes(NEEDS_SELECT_USER)) return true;
    throw error;
  }
}

async function pathRootRefused(client: DropboxClient): Promise<boolean> {
  try {
    await client.currentAccountWithRoot();
    return false;
  } catch (error) {
    // Classified as a credential refusal of kind `path_root_refused` (the sync path reports it as health).
    if (error instanceof DropboxCredentialError && error.kind === 'path_root_refused') return true;
    if (error instanceof DropboxBadRequestError && error.reason.includes(PATH_ROOT_REFUSED)) return true;
    throw error;
  }
}

/**
 * What sync needs and the credentials lack, each named: the app key, a refresh token (access tokens
 * expire within hours; only offline access gives one) and the required scopes. Scopes are checked
 * when the token response listed them (scoped apps always do).
 */
export function missingForSync(credentials: Partial<StoredCredentials>, options: { requireRefreshToken: boolean }): string[] {
  const missing: string[] = [];
  if (!credentials.appKey) missing.push('app key (DROPBOX_APP_KEY)');
  if (!credentials.accessToken) missing.push('access token');
  if (options.requireRefreshToken && !credentials.refreshToken) missing.push('refresh token (authorize with token_access_type=offline)');
  const granted = credentials.scopes;
  if (granted) for (const scope of REQUIRED_SCOPES) if (!granted.includes(scope)) missing.push(`scope ${scope}`);
  return missing;
}

/** Warnings for optional scopes the grant lacks. */
export function optionalScopeWarnings(scopes: readonly string[] | undefined): string[] {
  if (!scopes) return [];
  return OPTIONAL_SCOPES.filter((scope) => !scopes.includes(scope)).map((scope) => `scope ${scope} not granted: records will have no sharing info`);
}

/** What is being connected: credentials already obtained, the folder to sync, and (team tokens) the member. */
export interface ConnectionCandidate {
  readonly credentials: StoredCredentials;
  readonly rootPath: string;
  readonly selectUser?: string;
  /** @default true */
  readonly requireRefreshToken?: boolean;
}

/** The refusal of a root that is neither "" (the whole account) nor a path; the value is not repeated (refusals are audited). */
export function rootPathProblem(rootPath: string): ConnectRefusedError | undefined {
  return rootPath === '' || rootPath.startsWith('/') ? undefined : new ConnectRefusedError('rootPath must be "" (the whole account) or a folder path starting with "/"');
}

/**
 * Everything that must hold before a connection is stored: a well-formed root, credentials with
 * what sync needs, a token that works (which detects the account kind) and a root folder that
 * account can list. Returns the detected account; stores nothing. Refusals never repeat a path:
 * they are audited, and paths are stored sealed.
 */
export async function checkConnectable(createDropboxClient: CreateDropboxClient, candidate: ConnectionCandidate): Promise<ConnectionAccount> {
  const badRoot = rootPathProblem(candidate.rootPath);
  if (badRoot) throw badRoot;
  const missing = missingForSync(candidate.credentials, { requireRefreshToken: candidate.requireRefreshToken ?? true });
  if (missing.length > 0) throw new ConnectRefusedError(`The connection lacks what sync needs: ${missing.join(', ')}`, missing);
  const accessToken = candidate.credentials.accessToken ?? '';
  const account = await detectAccount(createDropboxClient, accessToken, candidate.selectUser);
  if (candidate.rootPath !== '') await requireListableRoot(createDropboxClient(accessToken, addressingOf(account)), candidate.rootPath);
  return account;
}

/**
 * Connects a workspace with credentials already obtained: `checkConnectable`, then the connection
 * stored in one write. Returns no credentials.
 *
 * This is the lower-level step under the connect flow (`src/connect/`), which adds authorisation,
 * audit, the same-view rule and the workflow signal. Called directly it does none of those: tests
 * and the demo use it with emulator tokens that never expire, hence `requireRefreshToken` (default
 * true) may be turned off.
 */
export async function connectWorkspace(
  deps: ConnectWorkspaceDeps,
  ref: WorkspaceRef,
  input: ConnectionCandidate & { actor: Actor },
): Promise<ConnectWorkspaceResult> {
  const account = await checkConnectable(deps.createDropboxClient, input);
  const { credentialsVersion } = await deps.connections.connect(ref, { account, rootPath: input.rootPath, credentials: input.credentials, actor: input.actor }, deps.clock());
  return { accountId: account.accountId, kind: account.kind, credentialsVersion, warnings: optionalScopeWarnings(input.credentials.scopes) };
}

/**
 * A root folder that does not exist (or is a file) would fail every cycle; refuse it at connect
 * time. The message does not repeat the path: refusals are audited, and paths are stored sealed.
 */
async function requireListableRoot(client: DropboxClient, rootPath: string): Promise<void> {
  try {
    await client.listFolder({ path: rootPath, limit: 1, recursive: false });
  } catch (error) {
    if (!(error instanceof ListingRootUnavailableError)) throw error;
    const why = error.lookupError === 'path/not_folder' ? 'it is a file, not a folder' : `Dropbox answers ${error.lookupError}`;
    throw new ConnectRefusedError(`The folder given as the sync root cannot be listed by this account: ${why}`, ['rootPath']);
  }
}
