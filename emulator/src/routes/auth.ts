import type { RouteDefinition } from './route';

/** `auth/*` routes. */
export const AUTH_ROUTES: readonly RouteDefinition[] = [
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke
    // No scope attribute in the spec: any token may revoke itself. It takes its whole family with it:
    // every access token of the authorization and its refresh token (dropbox-api-notes.md §3.2).
    name: 'auth/token/revoke',
    host: 'api',
    auth: 'user',
    voidArg: true,
    handle: (call) => {
      call.caller.grant.family.revoke();
      return null;
    },
  },
];
