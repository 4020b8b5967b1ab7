import type { Account } from '../account';
import type { BatchTarget } from '../history';
import type { TreeNode } from '../metadata';
import { Namespace, TreeConflictError } from '../namespace';
import { splitPath, toLower } from '../paths';
import type { SharedFolder } from './shared-folder';
import type { World } from './world';

interface Destination {
  readonly namespace: Namespace;
  readonly path: string;
  readonly folder?: SharedFolder;
}

/**
 * Applies change batches to an account's home as the account would make them: a path inside a
 * mounted shared folder writes to that folder's namespace (so every member sees the change, with
 * `modified_by` naming this account); everything else writes to the home namespace.
 */
export function batchTargetFor(world: World, account: Account): BatchTarget {
  const view = account.homeView;
  // A personal account without mounts writes straight to its home: the corpus replay stays fast.
  if (view.mounts.size === 0) return account.namespace;
  const route = (path: string): Destination => {
    const lower = toLower(path);
    const mount = view.mountAt(lower);
    if (mount === undefined) return { namespace: account.namespace, path };
    if (mount === lower) throw new TreeConflictError(`${path} is a shared folder's mount point; use the sharing controls to change it`);
    const node = view.namespace.get(mount);
    const folderId = node?.tag === 'folder' ? node.sharing?.sharedFolderId : undefined;
    const folder = folderId === undefined ? undefined : world.sharedFolders.get(folderId);
    if (!folder) throw new TreeConflictError(`${path} lies in a shared folder this emulator no longer knows`);
    const depth = mount.split('/').length - 1;
    return { namespace: folder.namespace, path: `/${splitPath(path).slice(depth).join('/')}`, folder };
  };
  const write = <T>(destination: Destination, apply: () => T): T =>
    destination.folder ? destination.folder.actingAs(account.accountId, apply) : apply();
  return {
    addFile: (path, size, at) => {
      const to = route(path);
      return write(to, () => to.namespace.addFile(to.path, size, at));
    },
    modifyFile: (path, size, at) => {
      const to = route(path);
      return write(to, () => to.namespace.modifyFile(to.path, size, at));
    },
    deletePath: (path) => {
      const to = route(path);
      write(to, () => to.namespace.deletePath(to.path));
    },
    move: (fromPath, toPath) => {
      const from = route(fromPath);
      const to = route(toPath);
      if (from.namespace !== to.namespace) throw new TreeConflictError(`cannot move ${fromPath} to ${toPath}: moves across a shared folder boundary are not supported`);
      write(to, () => to.namespace.move(from.path, to.path));
    },
    get: (lower: string): TreeNode | undefined => view.namespace.get(lower),
  };
}
