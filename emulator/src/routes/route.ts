import type { Account } from '../account';
import type { AccessGrant } from '../auth/token-store';
import type { View } from '../world/view';
import type { World } from '../world/world';
import type { PageShape } from '../faults';
import type { SurfaceSwitches } from '../surface-switches';

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
  /** The tree the call reads: home, team space, a namespace by id, or an App folder (world/caller.ts). */
  readonly view: View;
}

/** One API call being served. `caller` is absent only on `noauth` routes. */
export interface ApiCall {
  readonly route: string;
  readonly caller: Caller;
  readonly defaultPageLimit: number;
  /** Lower-cased request headers, for routes that read more than the body. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Accounts, teams and shared folders (routes/sharing.ts looks folders up here). */
  readonly world: World;
  /** Behaviour switches for uncertain API behaviour. */
  readonly switches: SurfaceSwitches;
  /** An injected listing-shape fault for this call (list_folder and continue only). */
  readonly pageShape?: PageShape;
}

/**
 * A call to a `noauth` route (longpoll): no caller; the route finds the account from its argument.
 * `closed` settles when the client goes away or the emulator stops, so a held request can end.
 */
export interface NoAuthCall {
  readonly route: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly switches: SurfaceSwitches;
  readonly closed: Promise<void>;
  /** Accounts and their views; a cursor names the view that issued it. */
  readonly world: World;
}

/** A route served without authentication (stone `auth: noauth`). */
export interface NoAuthRouteDefinition {
  readonly name: string;
  readonly host: RouteHost;
  readonly auth: 'noauth';
  readonly scope?: string;
  readonly voidArg?: boolean;
  handle(call: NoAuthCall, body: unknown): Promise<unknown>;
}

export type RouteDefinition = AuthRouteDefinition | NoAuthRouteDefinition;

export interface AuthRouteDefinition {
  /** `<namespace>/<route>` as in the URL after `/2/`, e.g. `files/list_folder`. */
  readonly name: string;
  readonly host: RouteHost;
  readonly auth: Exclude<RouteAuth, 'noauth'>;
  /** Scope a token must hold (the route's `scope` attribute in the spec); unchecked when absent. */
  readonly scope?: string;
  /** The argument is `Void`: no body (JS SDK) or a literal `null` (Python SDK). */
  readonly voidArg?: boolean;
  handle(call: ApiCall, body: unknown): unknown;
}
