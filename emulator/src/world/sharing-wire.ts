import type { Account } from '../account';
import type { FolderMember, SharedFolder } from './shared-folder';

/** `FolderAction` tags (sharing.stone). */
export const FOLDER_ACTIONS = [
  'change_options', 'disable_viewer_info', 'edit_contents', 'enable_viewer_info', 'invite_editor', 'invite_viewer',
  'invite_viewer_no_comment', 'relinquish_membership', 'unmount', 'unshare', 'leave_a_copy', 'share_link', 'create_link',
  'create_view_link', 'create_edit_link', 'set_access_inheritance',
] as const;

/** `MemberAction` tags (sharing.stone). */
export const MEMBER_ACTIONS = ['leave_a_copy', 'make_editor', 'make_owner', 'make_viewer', 'make_viewer_no_comment', 'remove'] as const;

const EDITOR_ACTIONS = new Set(['edit_contents', 'invite_editor', 'invite_viewer', 'invite_viewer_no_comment', 'relinquish_membership', 'unmount', 'leave_a_copy', 'create_view_link', 'create_edit_link']);
const VIEWER_ACTIONS = new Set(['relinquish_membership', 'unmount', 'create_view_link']);

/** `SharedFolderMetadata` as `member` sees the folder; `actions` asks for `permissions`. */
export function sharedFolderMetadata(folder: SharedFolder, member: FolderMember, actions: readonly string[] | undefined): Record<string, unknown> {
  const owner = folder.owner;
  const wire: Record<string, unknown> = {
    access_type: { '.tag': member.access },
    is_inside_team_folder: false,
    is_team_folder: folder.isTeamFolder,
  };
  if (owner) wire['owner_display_names'] = [owner.account.displayName];
  const team = folder.isTeamFolder ? member.account.membership?.team : owner?.account.membership?.team;
  if (team) wire['owner_team'] = { id: team.id, name: team.name };
  // SharedFolderMetadataBase: the path is absent while the folder is unmounted for this member.
  const mountPoint = member.mount ? member.mount.view.namespace.get(member.mount.lower) : undefined;
  if (mountPoint) {
    wire['path_lower'] = mountPoint.lower;
    wire['path_display'] = mountPoint.display;
  }
  wire['name'] = folder.name;
  if (actions) wire['permissions'] = actions.map((action) => permission(action, folderActionAllowed(action, member, folder)));
  wire['policy'] = {
    ...(team ? { member_policy: { '.tag': 'anyone' }, resolved_member_policy: { '.tag': 'anyone' } } : {}),
    acl_update_policy: { '.tag': 'owner' },
    shared_link_policy: { '.tag': 'anyone' },
  };
  wire['preview_url'] = `https://www.dropbox.com/scl/fo/${folder.id}`;
  wire['shared_folder_id'] = folder.id;
  wire['time_invited'] = member.timeInvited;
  wire['access_inheritance'] = { '.tag': 'inherit' };
  wire['folder_id'] = folder.folderId;
  return wire;
}

/** `UserMembershipInfo` of `member`, as seen by `viewer`; `actions` asks for `permissions`. */
export function userMembership(member: FolderMember, viewer: FolderMember | undefined, actions: readonly string[] | undefined): Record<string, unknown> {
  const wire: Record<string, unknown> = { access_type: { '.tag': member.access } };
  if (actions) wire['permissions'] = actions.map((action) => permission(action, memberActionAllowed(action, member, viewer)));
  wire['is_inherited'] = false;
  wire['user'] = userInfo(member.account, viewer?.account);
  return wire;
}

function userInfo(account: Account, viewer: Account | undefined): Record<string, unknown> {
  const sameTeam = account.membership !== undefined && account.membership.team === viewer?.membership?.team;
  const info: Record<string, unknown> = { account_id: account.accountId, email: account.email, display_name: account.displayName, same_team: sameTeam };
  if (sameTeam) info['team_member_id'] = account.membership!.teamMemberId;
  return info;
}

function permission(action: string, allowed: boolean): Record<string, unknown> {
  // FolderPermission / MemberPermission: `reason` only when the action is denied.
  return allowed ? { action: { '.tag': action }, allow: true } : { action: { '.tag': action }, allow: false, reason: { '.tag': 'permission_denied' } };
}

function folderActionAllowed(action: string, member: FolderMember, folder: SharedFolder): boolean {
  if (member.access === 'owner') return action !== 'relinquish_membership' && action !== 'leave_a_copy';
  if (folder.isTeamFolder && (action === 'unshare' || action === 'relinquish_membership')) return false;
  if (member.access === 'editor') return EDITOR_ACTIONS.has(action);
  if (member.access === 'viewer' || member.access === 'viewer_no_comment') return VIEWER_ACTIONS.has(action);
  return false;
}

function memberActionAllowed(action: string, target: FolderMember, viewer: FolderMember | undefined): boolean {
  // Only the owner changes the ACL (acl_update_policy owner), and nobody acts on the owner.
  if (viewer?.access !== 'owner' || target.access === 'owner') return false;
  if (action === 'make_owner') return target.access === 'editor';
  return action !== `make_${target.access}`;
}
