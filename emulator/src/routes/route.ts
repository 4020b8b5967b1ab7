import type { Account } from '../account';
import type { AccessGrant } from '../auth/token-store';

/** Which Dropbox host serves a route (stone_cfg.stone `host`). */
export type RouteHost = 'api' | 'notify';

/**
 * How a route authenticates (stone_cfg.stone `auth`): `user` needs a bearer token, `app_user`
 * takes a bearer token (app auth only matters for shared links, which we do not serve), `noauth`
 * must arrive without any Authorization header.
 */
export type RouteAuth = 'user' | 'app_user' | 'noauth';

/** Who is calling, once authentication has passed. */
export interface Caller {
  readonly grant: AccessGrant;
  /** The Dropbox user the call acts as (for team tokens: the selected member). */
  readonly account: Account;
}

/** One API call being served. `caller` is absent only on `noauth` routes. */
export interface ApiCall {
  readonly route: string;
  readonly caller: Caller;
  readonly defaultPageLimit: number;
  /** Lower-cased request headers, for routes that read more than the body. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RouteDefinition {
  /** `<namespace>/<route>` as in the URL after `/2/`, e.g. `files/list_folder`. */
  readonly name: string;
  readonly host: RouteHost;
  readonly auth: RouteAuth;
  /** Scope a token must hold (the route's `scope` attribute in the spec); unchecked when absent. */
  readonly scope?: string;
  /** The argument is `Void`: no body (JS SDK) or a literal `null` (Python SDK). */
  readonly voidArg?: boolean;
  handle(call: ApiCall, body: unknown): unknown;
}
