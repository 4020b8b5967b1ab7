import { WorkspaceRef } from '../domain/ids';
import { DropboxClient } from '../dropbox/dropbox-client';
import { ConnectionsRepository } from '../store/connections-repo';

export interface ConnectWorkspaceDeps {
  readonly connections: ConnectionsRepository;
  readonly createDropboxClient: (accessToken: string) => DropboxClient;
  readonly clock: () => Date;
}

/**
 * Connects a workspace with an access token: proves the token works (`get_current_account`)
 * before storing it, so a bad token is refused at once instead of failing the first sync.
 * Returns the account id only; the token is never returned.
 */
export async function connectWorkspace(
  deps: ConnectWorkspaceDeps,
  ref: WorkspaceRef,
  input: { accessToken: string; rootPath: string },
): Promise<{ accountId: string }> {
  if (input.rootPath !== '' && !input.rootPath.startsWith('/')) {
    throw new Error(`rootPath must be "" (the whole account) or start with "/", got ${JSON.stringify(input.rootPath)}`);
  }
  const { accountId } = await deps.createDropboxClient(input.accessToken).currentAccount();
  await deps.connections.connect(ref, { accountId, rootPath: input.rootPath, accessToken: input.accessToken }, deps.clock());
  return { accountId };
}
