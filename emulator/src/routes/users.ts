import type { Account } from '../account';
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
    account_type: { '.tag': 'basic' },
    root_info: { '.tag': 'user', root_namespace_id: account.namespaceId, home_namespace_id: account.namespaceId },
  };
}
