import { Dropbox } from 'dropbox';
import { UnexpectedDropboxResponseError } from '../domain/errors';
import { classifyDropboxError } from './classify-error';
import { createHostMappingFetch } from './host-mapping-fetch';
import { parseListFolderPage, ParsedPage } from './list-folder-page';

/** How calls address the account: which team member, which namespace root (see `ConnectionAccount`). */
export interface DropboxAddressing {
  /** `Dropbox-API-Select-User` for team tokens (`dbmid:...`). */
  readonly selectUser?: string;
  /** Team space root namespace, sent as `Dropbox-API-Path-Root` `{".tag":"root","root":...}`. */
  readonly rootNamespaceId?: string;
}

export interface DropboxClientOptions extends DropboxAddressing {
  readonly accessToken: string;
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

  constructor(private readonly options: DropboxClientOptions) {
    this.sdk = new Dropbox({
      accessToken: options.accessToken,
      selectUser: options.selectUser,
      pathRoot: options.rootNamespaceId === undefined ? undefined : JSON.stringify({ '.tag': 'root', root: options.rootNamespaceId }),
      fetch: options.apiBaseUrl ? createHostMappingFetch(options.apiBaseUrl) : fetch,
    });
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account */
  async currentAccount(): Promise<{ accountId: string }> {
    const route = 'users/get_current_account';
    try {
      const response = await this.sdk.usersGetCurrentAccount({ timeout: this.options.requestTimeoutMs });
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
  async listFolder(args: { path: string; limit: number }): Promise<ParsedPage> {
    const route = 'files/list_folder';
    try {
      const response = await this.sdk.filesListFolder(
        { path: args.path, recursive: true, limit: args.limit, include_deleted: false, include_mounted_folders: true, include_non_downloadable_files: true },
        { timeout: this.options.requestTimeoutMs },
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
      const response = await this.sdk.filesListFolderContinue({ cursor }, { timeout: this.options.requestTimeoutMs });
      return parseListFolderPage(route, response.result);
    } catch (error) {
      throw classifyDropboxError(route, error);
    }
  }
}
