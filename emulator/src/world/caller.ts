import { ApiError } from '../api-error';
import type { AccessGrant } from '../auth/token-store';
import type { Caller } from '../routes/route';
import { rootInfo } from './root-info';
import type { View } from './view';
import type { World } from './world';

type Headers = Readonly<Record<string, string | undefined>>;

const TEAM_TOKEN_NEEDS_MEMBER =
  'This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team.  ' +
  'Since your API app key has team member file access permissions, you can operate on a team member\'s Dropbox by providing the "Dropbox-API-Select-User" HTTP header or "select_user" URL parameter.';

/**
 * Turns an authenticated grant plus the request's scoping headers into the caller: which user the
 * call acts as (`Dropbox-API-Select-User` for team tokens) and which view of their files it reads
 * (`Dropbox-API-Path-Root`, or the app folder for App-folder apps). dropbox-api-notes.md §3.5, §3.6.
 */
export function resolveCaller(world: World, grant: AccessGrant, headers: Headers, route: string): Caller {
  const account = grant.subject.kind === 'user' ? grant.subject.account : selectMember(world, grant.subject.teamId, headers, route);
  const pathRoot = headers['dropbox-api-path-root'];
  if (grant.app?.appFolder) {
    if (pathRoot !== undefined) throw ApiError.badInput(route, 'Path root is not supported for sandbox app.');
    return { grant, account, view: world.appFolderView(account, grant.app.appKey) };
  }
  return { grant, account, view: pathRoot === undefined ? account.homeView : viewForPathRoot(world, account, pathRoot, route) };
}

/** The member a team token acts as; 400 without Select-User, 401 `invalid_select_user` for a non-member. */
function selectMember(world: World, teamId: string, headers: Headers, route: string) {
  const selected = headers['dropbox-api-select-user'] ?? headers['dropbox-api-select-admin'];
  if (selected === undefined) throw ApiError.badInput(route, TEAM_TOKEN_NEEDS_MEMBER);
  if (!/^dbmid:[A-Za-z0-9_-]+$/.test(selected)) throw ApiError.badInput(route, 'Invalid select user id format');
  const account = world.teams.get(teamId)?.memberById(selected);
  const asAdmin = headers['dropbox-api-select-user'] === undefined;
  if (!account) throw ApiError.auth({ '.tag': asAdmin ? 'invalid_select_admin' : 'invalid_select_user' });
  if (asAdmin && !account.membership?.isAdmin) throw ApiError.auth({ '.tag': 'invalid_select_admin' });
  return account;
}

function viewForPathRoot(world: World, account: Caller['account'], header: string, route: string): View {
  const pathRoot = parsePathRoot(header, route);
  switch (pathRoot['.tag']) {
    case 'home':
      return account.homeView;
    case 'root': {
      // An asserted root: a stale one (the user joined or left a team) is 422 with the current root.
      if (pathRoot.root !== account.rootNamespaceId) throw ApiError.pathRoot({ '.tag': 'invalid_root', invalid_root: rootInfo(account) }, ['invalid_root']);
      return account.membership?.rootView ?? account.homeView;
    }
    case 'namespace_id': {
      const view = world.namespaceView(account, pathRoot.namespace_id);
      if (!view) throw ApiError.pathRoot({ '.tag': 'no_permission' }, ['no_permission']);
      return view;
    }
  }
}

type PathRoot = { '.tag': 'home' } | { '.tag': 'root'; root: string } | { '.tag': 'namespace_id'; namespace_id: string };

/** Parses the `PathRoot` union (JSON; the JS SDK sends it pre-serialised, Python with spaces). */
function parsePathRoot(header: string, route: string): PathRoot {
  const invalid = (reason: string): never => {
    throw ApiError.badInput(route, `Invalid value for HTTP header "Dropbox-API-Path-Root": ${reason}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    return invalid(`could not decode ${JSON.stringify(header.slice(0, 100))} as JSON`);
  }
  if (value === 'home') return { '.tag': 'home' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return invalid('expected a PathRoot object');
  const record = value as Record<string, unknown>;
  const tag = record['.tag'];
  const id = /^[-_0-9a-zA-Z:]+$/;
  if (tag === 'home' && Object.keys(record).length === 1) return { '.tag': 'home' };
  if (tag === 'root' && typeof record['root'] === 'string' && id.test(record['root'])) return { '.tag': 'root', root: record['root'] };
  if (tag === 'namespace_id' && typeof record['namespace_id'] === 'string' && id.test(record['namespace_id'])) {
    return { '.tag': 'namespace_id', namespace_id: record['namespace_id'] };
  }
  return invalid(`unknown or incomplete PathRoot ${JSON.stringify(value).slice(0, 100)}`);
}
