import type { Account } from '../account';
import { dropboxTimestamp, FileSharing, FolderNode, FolderSharing, TreeNode } from '../metadata';
import { Namespace, TreeConflictError } from '../namespace';
import { parentOf, splitPath, toLower } from '../paths';
import { Decorate, Mirror } from './mirror';
import type { View } from './view';

/** `AccessLevel` (sharing.stone) of a member of a shared folder. */
export const ACCESS_LEVELS = ['owner', 'editor', 'viewer', 'viewer_no_comment', 'traverse', 'no_access'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Where a member has a shared folder mounted. */
export interface Mount {
  readonly view: View;
  readonly lower: string;
  /** Absent for traverse-only and no-access members, who see the mount point but not its content. */
  readonly mirror?: Mirror;
}

export interface FolderMember {
  readonly account: Account;
  access: AccessLevel;
  readonly timeInvited: string;
  mount?: Mount;
}

/**
 * A shared folder (or team folder): its own namespace, id and member list. Members see it through
 * mounts, which mirror its namespace into their views with per-member sharing fields.
 */
export class SharedFolder {
  readonly members = new Map<string, FolderMember>();
  /** Who last wrote each file (by id), for `sharing_info.modified_by`. */
  private readonly modifiedBy = new Map<string, string>();
  /** The account applying the current change batch. */
  actor?: string;

  constructor(
    readonly id: string,
    public name: string,
    /** The `id:` of the folder itself: the mount point's id in every view. */
    readonly folderId: string,
    readonly namespace: Namespace,
    readonly isTeamFolder: boolean,
    readonly teamName?: string,
  ) {
    // Registered before any mirror, so the author is known when mirrors decorate the change.
    namespace.observe({
      upserted: (node) => {
        if (node.tag === 'file' && this.actor !== undefined) this.modifiedBy.set(node.id, this.actor);
      },
      removed: () => undefined,
      renamedCase: () => undefined,
      reannounced: () => undefined,
    });
  }

  get owner(): FolderMember | undefined {
    for (const member of this.members.values()) if (member.access === 'owner') return member;
    return undefined;
  }

  member(account: Account): FolderMember | undefined {
    return this.members.get(account.accountId);
  }

  addMember(account: Account, access: AccessLevel, at: Date): FolderMember {
    const existing = this.members.get(account.accountId);
    if (existing) {
      existing.access = access;
      return existing;
    }
    const member: FolderMember = { account, access, timeInvited: dropboxTimestamp(at) };
    this.members.set(account.accountId, member);
    return member;
  }

  /** The sharing fields `member` sees on items inside this folder. */
  decorateFor(member: FolderMember): Decorate {
    const readOnly = isReadOnly(member.access);
    return (node: TreeNode): FileSharing | FolderSharing => {
      if (node.tag === 'folder') return { readOnly, parentSharedFolderId: this.id, traverseOnly: false, noAccess: false };
      const author = this.modifiedBy.get(node.id) ?? this.owner?.account.accountId;
      return author === undefined ? { readOnly, parentSharedFolderId: this.id } : { readOnly, parentSharedFolderId: this.id, modifiedBy: author };
    };
  }

  /** The sharing fields of the mount point as `member` sees it. */
  mountSharing(member: FolderMember): FolderSharing {
    return {
      readOnly: isReadOnly(member.access),
      sharedFolderId: this.id,
      traverseOnly: member.access === 'traverse',
      noAccess: member.access === 'no_access',
    };
  }

  /**
   * Mounts the folder for `member` at `path` in `view`: the mount point and its whole subtree
   * appear there as adds, with the folder's ids.
   */
  mount(member: FolderMember, view: View, path: string): Mount {
    if (member.mount) throw new TreeConflictError(`shared folder ${this.id} is already mounted for ${member.account.email} at ${member.mount.lower}`);
    const parts = splitPath(path);
    const lower = toLower(path);
    if (view.namespace.get(lower)) throw new TreeConflictError(`cannot mount shared folder ${this.id} at ${path}: something is already there`);
    if (view.mountAt(parentOf(lower)) !== undefined) throw new TreeConflictError(`cannot mount shared folder ${this.id} inside another shared folder`);
    const parentDisplay = parts.length > 1 ? view.namespace.addFolder(`/${parts.slice(0, -1).join('/')}`).display : '';
    const name = parts[parts.length - 1]!;
    const mountPoint: FolderNode = { tag: 'folder', id: this.folderId, name, lower, display: `${parentDisplay}/${name}`, sharing: this.mountSharing(member) };
    view.namespace.putNode(mountPoint);
    view.mounts.add(lower);
    const seesContent = member.access !== 'traverse' && member.access !== 'no_access';
    const mirror = seesContent ? new Mirror(this.namespace, '', view.namespace, lower, this.decorateFor(member)) : undefined;
    mirror?.attach();
    member.mount = { view, lower, mirror };
    return member.mount;
  }

  /** Unmounts the folder for `member`: one deletion of the mount point in their view. */
  unmount(member: FolderMember): void {
    const mount = member.mount;
    if (!mount) return;
    mount.mirror?.detach();
    mount.view.mounts.delete(mount.lower);
    mount.view.namespace.removeTree(mount.lower);
    member.mount = undefined;
  }

  /** Applies a function with `actor` recorded as the author of the files it writes. */
  actingAs<T>(accountId: string | undefined, apply: () => T): T {
    const previous = this.actor;
    this.actor = accountId;
    try {
      return apply();
    } finally {
      this.actor = previous;
    }
  }
}

function isReadOnly(access: AccessLevel): boolean {
  return access !== 'owner' && access !== 'editor';
}
