import type { Account } from '../account';

/** `RootInfo` (common.stone) as served in `root_info` and in 422 `invalid_root`. */
export type RootInfoWire =
  | { '.tag': 'user'; root_namespace_id: string; home_namespace_id: string }
  | { '.tag': 'team'; root_namespace_id: string; home_namespace_id: string; home_path: string };

/** The account's current root: its home for a personal account, the team space for a member. */
export function rootInfo(account: Account): RootInfoWire {
  const membership = account.membership;
  if (!membership) return { '.tag': 'user', root_namespace_id: account.namespaceId, home_namespace_id: account.namespaceId };
  return { '.tag': 'team', root_namespace_id: membership.team.rootNamespaceId, home_namespace_id: account.namespaceId, home_path: membership.homePath };
}
