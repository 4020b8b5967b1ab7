import { ConnectionAccount, StoredCredentials } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';
import { DropboxAddressing, DropboxClient } from '../dropbox/dropbox-client';
import { AccessTokenSource, TokenSession } from '../dropbox/token-session';
import { ConnectionInfo, ConnectionsRepository, PersistCredentials } from '../store/connections-repo';

export interface CredentialAccessDeps {
  readonly connections: ConnectionsRepository;
  /** Builds a token session around opened credentials (the worker supplies fetch, clock and margin). */
  readonly openSession: (credentials: StoredCredentials, persist: PersistCredentials) => TokenSession;
  readonly createDropboxClient: (tokens: AccessTokenSource, addressing: DropboxAddressing) => DropboxClient;
}

/**
 * Opens a workspace's Dropbox for one use: credentials opened inside `withCredentials`, one token
 * session per connection and credentials version (shared by every call and every client of that
 * connection in this process, so concurrent cycles and probes refresh once), and the connection's
 * addressing (select-user, path root) applied to each client.
 */
export class CredentialAccess {
  private readonly sessions = new Map<string, { readonly version: number; readonly session: TokenSession }>();

  constructor(private readonly deps: CredentialAccessDeps) {}

  /** Runs `use` with a client of the workspace's connection; null when the workspace has none. */
  async withDropbox<T>(ref: WorkspaceRef, use: (client: DropboxClient, info: ConnectionInfo, session: TokenSession) => Promise<T>): Promise<T | null> {
    return this.deps.connections.withCredentials(ref, (credentials, info, persist) => {
      const key = `${ref.tenantId}:${ref.workspaceId}`;
      let entry = this.sessions.get(key);
      // A reconnect bumps the version: its credentials replace whatever this process held.
      if (!entry || entry.version !== info.credentialsVersion) {
        entry = { version: info.credentialsVersion, session: this.deps.openSession(credentials, persist) };
        this.sessions.set(key, entry);
      }
      return use(this.deps.createDropboxClient(entry.session, addressingOf(info.account)), info, entry.session);
    });
  }
}

/** How calls address the connected account; App-folder apps may send no path root at all. */
export function addressingOf(account: ConnectionAccount): DropboxAddressing {
  if (account.kind === 'app_folder') return {};
  return {
    ...(account.selectUser === undefined ? {} : { selectUser: account.selectUser }),
    ...(account.rootNamespaceId === undefined ? {} : { rootNamespaceId: account.rootNamespaceId }),
  };
}
