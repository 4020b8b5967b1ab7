import { Actor, StoredCredentials } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';
import { DropboxClient } from '../dropbox/dropbox-client';
import { ConnectionsRepository } from '../store/connections-repo';

export interface ConnectWorkspaceDeps {
  readonly connections: ConnectionsRepository;
  readonly createDropboxClient: (accessToken: string) => DropboxClient;
  readonly clock: () => Date;
}

/**
 * Connects a workspace with credentials already obtained: proves the access token works
 * (`get_current_account`) before storing anything, so a bad token is refused at once instead of
 * failing the first sync. Returns the account id only; credentials are never returned.
 */
export async function connectWorkspace(
  deps: ConnectWorkspaceDeps,
  ref: WorkspaceRef,
  input: { credentials: StoredCredentials; rootPath: string; actor: Actor },
): Promise<{ accountId: string }> {
  if (input.rootPath !== '' && !input.rootPath.startsWith('/')) {
    throw new Error(`rootPath must be "" (the whole account) or start with "/", got ${JSON.stringify(input.rootPath)}`);
  }
  if (!input.credentials.accessToken) throw new Error('credentials need an access token to prove the connection works');
  const { accountId } = await deps.createDropboxClient(input.credentials.accessToken).currentAccount();
  await deps.connections.connect(ref, { account: { accountId, kind: 'personal' }, rootPath: input.rootPath, credentials: input.credentials, actor: input.actor }, deps.clock());
  return { accountId };
}
