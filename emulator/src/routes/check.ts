import { ApiError } from '../api-error';
import { validateArgs } from '../args';
import type { RouteDefinition } from './route';

const MAX_QUERY = 500;

/** `check/*` routes. */
export const CHECK_ROUTES: readonly RouteDefinition[] = [
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#check-user
    // A preview route that echoes `query`: it proves the token works for user auth, nothing more.
    name: 'check/user',
    host: 'api',
    auth: 'user',
    scope: 'account_info.read',
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { query: { type: 'string' } });
      const query = (args['query'] as string | undefined) ?? '';
      if (query.length > MAX_QUERY) throw ApiError.badInput(call.route, `request body: query: string is longer than ${MAX_QUERY}`);
      return { result: query };
    },
  },
];
