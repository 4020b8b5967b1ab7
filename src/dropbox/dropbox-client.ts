import { Dropbox, DropboxAuth } from 'dropbox';
import { DropboxCredentialError, UnexpectedDropboxResponseError } from '../domain/errors';
import { classifyDropboxError } from './classify-error';
import { createHostMappingFetch } from './host-mapping-fetch';
import { parseListFolderPage, ParsedPage } from './list-folder-page';
import type { AccessTokenSource } from './token-session';

/** How calls address the account: which team member, which namespace root (see `ConnectionAccount`). */
export interface DropboxAddressing {
  /** `Dropbox-API-Select-User` for team tokens (`dbmid:...`). */
  readonly selectUser?: string;
  /** Team space root namespace, sent as `Dropbox-API-Path-Root` `{".tag":"root","root":...}`. */
  readonly rootNamespaceId?: string;
}

export interface DropboxClientOptions extends DropboxAddressing {
  /** A fixed token (connect-time probes), or `tokens`. */
  readonly accessToken?: string;
  /** The connection's token session: refreshed before expiry and once after a 401 (shared by all its clients). */
  readonly tokens?: AccessTokenSource;
  /** Send Dropbox's hosts to this base URL (the emulator). Unset in production. */
  readonly apiBaseUrl?: string;
  /** Per-request timeout; a hung request becomes a retryable failure. */
  readonly requestTimeoutMs: number;
}

/**
 * The Dropbox calls the connector makes, on the official SDK, with failures mapped to the error
 * catalogue and every response validated before anyone stores it.
 */
export class DropboxClient {
  private readonly sdk: Dropbox;
  /** The SDK's token holder; the session's current token is set on it before each call. */
  private readonly auth: DropboxAuth;

  constructor(private readonly options: DropboxClientOptions) {
    this.auth = new DropboxAuth({ accessToken: options.accessToken ?? '' });
    this.sdk = new Dropbox({
      auth: this.auth,
      selectUser: options.selectUser,
      pathRoot: options.rootNamespaceId === undefined ? undefined : JSON.stringify({ '.tag': 'root', root: options.rootNamespaceId }),
      fetch: options.apiBaseUrl ? createHostMappingFetch(options.apiBaseUrl) : fetch,
    });
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account */
  async currentAccount(): Promise<{ accountId: string }> {
    const route = 'users/get_current_account';
    try {
      const response = await this.authenticated(route, () => this.sdk.usersGetCurrentAccount({ timeout: this.options.requestTimeoutMs }));
      const accountId: unknown = response.result.account_id;
      if (typeof accountId !== 'string' || accountId.length !== 40) {
        throw new UnexpectedDropboxResponseError(route, 'account_id is not a 40-character string');
      }
      return { accountId };
    } catch (error) {
      throw classifyDropboxError(route, error);
    }
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder */
  async listFolder(args: { path: string; limit: number; recursive?: boolean }): Promise<ParsedPage> {
    const route = 'files/list_folder';
    try {
      const response = await this.authenticated(route, () =>
        this.sdk.filesListFolder(
          { path: args.path, recursive: args.recursive ?? true, limit: args.limit, include_deleted: false, include_mounted_folders: true, include_non_downloadable_files: true },
          { timeout: this.options.requestTimeoutMs },
        ),
      );
      return parseListFolderPage(route, response.result);
    } catch (error) {
      throw classifyDropboxError(route, error);
    }
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-continue */
  async continueListing(cursor: string): Promise<ParsedPage> {
    const route = 'files/list_folder/continue';
    try {
      const response = await this.authenticated(route, () => this.sdk.filesListFolderContinue({ cursor }, { timeout: this.options.requestTimeoutMs }));
      return parseListFolderPage(route, response.result);
    } catch (error) {
      throw classifyDropboxError(route, error);
    }
  }

  /**
   * Sends a call with the session's current token; after a 401 `expired_access_token` or
   * `invalid_access_token` it renews the token once and sends the call once more. Without a
   * session the fixed token is used as it is. Failures come back classified.
   */
  private async authenticated<T>(route: string, call: () => Promise<T>): Promise<T> {
    const tokens = this.options.tokens;
    if (!tokens) return call();
    const token = await tokens.accessToken();
    this.auth.setAccessToken(token);
    try {
      return await call();
    } catch (error) {
      const refusal = classifyDropboxError(route, error);
      if (!(refusal instanceof DropboxCredentialError) || (refusal.kind !== 'expired_access_token' && refusal.kind !== 'invalid_access_token')) throw refusal;
      this.auth.setAccessToken(await tokens.renew(token, refusal));
      return call();
    }
  }

  // --- Connect-time probe (issue 5, connect flow); kept apart from the sync calls above. ---

  /**
   * https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account
   * with `root_info` and the team fields, so the connect flow can tell the account kind. A team
   * token without Select-User, or any path root sent by an app-folder app, is a 400.
   */
  async currentAccountWithRoot(): Promise<AccountRoot> {
    const route = 'users/get_current_account';
    let result: unknown;
    try {
      result = (await this.authenticated(route, () => this.sdk.usersGetCurrentAccount({ timeout: this.options.requestTimeoutMs }))).result;
    } catch (error) {
      throw classifyDropboxError(route, error);
    }
    return parseAccountRoot(route, result);
  }
}

// --- Connect-time probe types (issue 5, connect flow). ---

/** `root_info` of `users/get_current_account` (common.stone RootInfo), as the connect flow reads it. */
export interface AccountRoot {
  readonly accountId: string;
  /** `user`: a personal root; `team`: the member of a team (root may differ from home: a team space). */
  readonly rootTag: 'user' | 'team';
  readonly rootNamespaceId: string;
  readonly homeNamespaceId: string;
  readonly teamId?: string;
  readonly teamMemberId?: string;
}

function parseAccountRoot(route: string, result: unknown): AccountRoot {
  const body = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const rootInfo = (typeof body['root_info'] === 'object' && body['root_info'] !== null ? body['root_info'] : {}) as Record<string, unknown>;
  const accountId = body['account_id'];
  const tag = rootInfo['.tag'];
  const root = rootInfo['root_namespace_id'];
  const home = rootInfo['home_namespace_id'];
  if (typeof accountId !== 'string' || accountId.length !== 40) throw new UnexpectedDropboxResponseError(route, 'account_id is not a 40-character string');
  if ((tag !== 'user' && tag !== 'team') || typeof root !== 'string' || typeof home !== 'string' || !/^\d+$/.test(root) || !/^\d+$/.test(home)) {
    throw new UnexpectedDropboxResponseError(route, 'root_info is missing or malformed');
  }
  const team = (typeof body['team'] === 'object' && body['team'] !== null ? body['team'] : {}) as Record<string, unknown>;
  const teamId = typeof team['id'] === 'string' ? team['id'] : undefined;
  const teamMemberId = typeof body['team_member_id'] === 'string' ? body['team_member_id'] : undefined;
  return { accountId, rootTag: tag, rootNamespaceId: root, homeNamespaceId: home, ...(teamId ? { teamId } : {}), ...(teamMemberId ? { teamMemberId } : {}) };
}
