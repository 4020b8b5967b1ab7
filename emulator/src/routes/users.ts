import type { Account } from '../account';
import { rootInfo } from '../world/root-info';
import type { RouteDefinition } from './route';

/** `users/*` routes. */
export const USERS_ROUTES: readonly RouteDefinition[] = [
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account
    name: 'users/get_current_account',
    host: 'api',
    auth: 'user',
    scope: 'account_info.read',
    voidArg: true,
    handle: (call) => currentAccount(call.caller.account),
  },
];

function currentAccount(account: Account): unknown {
  const [given, ...rest] = account.displayName.split(' ');
  const surname = rest.join(' ');
  return {
    account_id: account.accountId,
    name: {
      given_name: given ?? '',
      surname,
      familiar_name: given ?? '',
      display_name: account.displayName,
      abbreviated_name: account.displayName.split(' ').map((word) => word[0] ?? '').join(''),
    },
    email: account.email,
    email_verified: true,
    disabled: false,
    locale: 'en',
    referral_link: `https://db.tt/${account.accountId.slice(5, 15)}`,
    is_paired: false,
    account_type: { '.tag': account.membership ? 'business' : 'basic' },
    root_info: rootInfo(account),
    ...teamFields(account),
  };
}

/** FullAccount `team` and `team_member_id`: present together, only for team members. */
function teamFields(account: Account): Record<string, unknown> {
  const membership = account.membership;
  if (!membership) return {};
  return {
    team: {
      id: membership.team.id,
      name: membership.team.name,
      // Fixed, permissive defaults (dropbox-api-notes.md §4.6).
      sharing_policies: {
        shared_folder_member_policy: { '.tag': 'anyone' },
        shared_folder_join_policy: { '.tag': 'from_anyone' },
        shared_link_create_policy: { '.tag': 'default_public' },
        group_creation_policy: { '.tag': 'admins_and_members' },
        shared_folder_link_restriction_policy: { '.tag': 'anyone' },
        enforce_link_password_policy: { '.tag': 'optional' },
        default_link_expiration_days_policy: { '.tag': 'none' },
        shared_link_default_permissions_policy: { '.tag': 'default' },
      },
      office_addin_policy: { '.tag': 'disabled' },
      top_level_content_policy: { '.tag': 'admin_only' },
    },
    team_member_id: membership.teamMemberId,
  };
}
