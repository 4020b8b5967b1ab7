import { AUTH_ROUTES } from './auth';
import { CHECK_ROUTES } from './check';
import { FILES_ROUTES } from './files';
import type { RouteDefinition } from './route';
import { USERS_ROUTES } from './users';

export type { ApiCall, Caller, RouteAuth, RouteDefinition, RouteHost } from './route';

/** Every API v2 route the emulator serves, by `<namespace>/<route>`. */
export const ROUTE_TABLE: ReadonlyMap<string, RouteDefinition> = new Map(
  [...FILES_ROUTES, ...USERS_ROUTES, ...AUTH_ROUTES, ...CHECK_ROUTES].map((definition) => [definition.name, definition]),
);
