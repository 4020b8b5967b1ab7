import { AUTH_ROUTES } from './auth';
import { CHECK_ROUTES } from './check';
import { FILES_ROUTES } from './files';
import { LONGPOLL_ROUTE } from './longpoll';
import type { RouteDefinition } from './route';
import { SHARING_ROUTES } from './sharing';
import { USERS_ROUTES } from './users';

export type { ApiCall, Caller, NoAuthCall, RouteAuth, RouteDefinition, RouteHost } from './route';

/** Every API v2 route the emulator serves, by `<namespace>/<route>`. */
export const ROUTE_TABLE: ReadonlyMap<string, RouteDefinition> = new Map(
  [...FILES_ROUTES, LONGPOLL_ROUTE, ...USERS_ROUTES, ...AUTH_ROUTES, ...CHECK_ROUTES, ...SHARING_ROUTES].map((definition) => [definition.name, definition]),
);
