import { ApiError } from '../api-error';
import { validateArgs } from '../args';
import { toLower } from '../paths';
import type { SharedFolder } from '../world/shared-folder';
import { FOLDER_ACTIONS, MEMBER_ACTIONS, sharedFolderMetadata, userMembership } from '../world/sharing-wire';
import type { ApiCall, RouteDefinition } from './route';

const SHARING_READ = 'sharing.read';
const SHARED_FOLDER_ID = /^[-_0-9a-zA-Z:]+$/;

/** Where a `list_folders` or `list_folder_members` listing stands; opaque to clients. */
interface SharingCursor {
  /** Which listing: shared folders, or members of folder `f`. */
  readonly k: 'folders' | 'members';
  readonly a: string;
  readonly o: number;
  readonly l: number;
  readonly f?: string;
  readonly x?: string[];
}

/** `sharing/*` routes that read shared folders and their members. */
export const SHARING_ROUTES: readonly RouteDefinition[] = [
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#sharing-list_folders
    name: 'sharing/list_folders',
    host: 'api',
    auth: 'user',
    scope: SHARING_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { limit: { type: 'uint', min: 1, max: 1000 }, actions: { type: 'any' } });
      const actions = readActions(call.route, args['actions'], FOLDER_ACTIONS);
      return foldersPage(call, { k: 'folders', a: call.caller.account.accountId, o: 0, l: (args['limit'] as number | undefined) ?? 1000, x: actions });
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#sharing-list_folders-continue
    name: 'sharing/list_folders/continue',
    host: 'api',
    auth: 'user',
    scope: SHARING_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { cursor: { type: 'string', required: true } });
      const cursor = decode(args['cursor'] as string);
      if (!cursor || cursor.k !== 'folders' || cursor.a !== call.caller.account.accountId) throw ApiError.route(['invalid_cursor'], { '.tag': 'invalid_cursor' });
      return foldersPage(call, cursor);
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#sharing-get_folder_metadata
    name: 'sharing/get_folder_metadata',
    host: 'api',
    auth: 'user',
    scope: SHARING_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { shared_folder_id: { type: 'string', required: true }, actions: { type: 'any' } });
      const folder = accessibleFolder(call, readFolderId(call.route, args['shared_folder_id']), (error) => ApiError.route([error], { '.tag': error }));
      return sharedFolderMetadata(folder, folder.member(call.caller.account)!, readActions(call.route, args['actions'], FOLDER_ACTIONS));
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#sharing-list_folder_members
    name: 'sharing/list_folder_members',
    host: 'api',
    auth: 'user',
    scope: SHARING_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, {
        shared_folder_id: { type: 'string', required: true },
        path: { type: 'string' },
        actions: { type: 'any' },
        limit: { type: 'uint', min: 1, max: 1000 },
      });
      const id = folderIdFromPath(call, args['path'] as string | undefined) ?? readFolderId(call.route, args['shared_folder_id']);
      accessibleFolder(call, id, (error) => ApiError.route([error], { '.tag': error }));
      const actions = readActions(call.route, args['actions'], MEMBER_ACTIONS);
      return membersPage(call, { k: 'members', a: call.caller.account.accountId, o: 0, l: (args['limit'] as number | undefined) ?? 1000, f: id, x: actions });
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#sharing-list_folder_members-continue
    name: 'sharing/list_folder_members/continue',
    host: 'api',
    auth: 'user',
    scope: SHARING_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { cursor: { type: 'string', required: true } });
      const cursor = decode(args['cursor'] as string);
      if (!cursor || cursor.k !== 'members' || cursor.a !== call.caller.account.accountId || cursor.f === undefined) {
        throw ApiError.route(['invalid_cursor'], { '.tag': 'invalid_cursor' });
      }
      // ListFolderMembersContinueError nests the access error under `access_error`.
      accessibleFolder(call, cursor.f, (error) => ApiError.route(['access_error', error], { '.tag': 'access_error', access_error: { '.tag': error } }));
      return membersPage(call, cursor);
    },
  },
];

function foldersPage(call: ApiCall, cursor: SharingCursor): unknown {
  const account = call.caller.account;
  const folders = [...call.world.sharedFolders.values()].filter((folder) => folder.member(account) !== undefined);
  const slice = folders.slice(cursor.o, cursor.o + cursor.l);
  const result: Record<string, unknown> = { entries: slice.map((folder) => sharedFolderMetadata(folder, folder.member(account)!, cursor.x)) };
  if (cursor.o + cursor.l < folders.length) result['cursor'] = encode({ ...cursor, o: cursor.o + cursor.l });
  return result;
}

function membersPage(call: ApiCall, cursor: SharingCursor): unknown {
  const folder = call.world.sharedFolders.get(cursor.f!)!;
  const viewer = folder.member(call.caller.account);
  // The owner first, then members in the order they joined.
  const members = [...folder.members.values()].sort((a, b) => Number(b.access === 'owner') - Number(a.access === 'owner'));
  const slice = members.slice(cursor.o, cursor.o + cursor.l);
  const result: Record<string, unknown> = { users: slice.map((member) => userMembership(member, viewer, cursor.x)), groups: [], invitees: [] };
  // No `has_more` here: a present cursor means more members remain.
  if (cursor.o + cursor.l < members.length) result['cursor'] = encode({ ...cursor, o: cursor.o + cursor.l });
  return result;
}

/** The folder if the caller is a member; otherwise the route's `invalid_id` / `not_a_member` error. */
function accessibleFolder(call: ApiCall, id: string, fail: (error: 'invalid_id' | 'not_a_member') => ApiError): SharedFolder {
  const folder = call.world.sharedFolders.get(id);
  if (!folder) throw fail('invalid_id');
  if (!folder.member(call.caller.account)) throw fail('not_a_member');
  return folder;
}

function readFolderId(route: string, value: unknown): string {
  const id = value as string;
  if (!SHARED_FOLDER_ID.test(id)) throw ApiError.badInput(route, `request body: shared_folder_id: '${id}' did not match pattern '[-_0-9a-zA-Z:]+'`);
  return id;
}

/** `path` (added to the spec in 2026): `ns:<id>/…` names the folder; a path names the mount it is in. */
function folderIdFromPath(call: ApiCall, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const ns = /^ns:([0-9]+)(\/.*)?$/.exec(path);
  if (ns) return ns[1];
  const view = call.caller.view;
  const mount = view.mountAt(toLower(path));
  if (mount === undefined) return undefined;
  const node = view.namespace.get(mount);
  return node?.tag === 'folder' ? node.sharing?.sharedFolderId : undefined;
}

/** A list of union tags, each a bare string or `{".tag": …}`; unknown tags are a 400. */
function readActions(route: string, value: unknown, known: readonly string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw ApiError.badInput(route, 'request body: actions: expected list');
  return value.map((item: unknown, index) => {
    const tag = typeof item === 'string' ? item : (item as { '.tag'?: unknown } | null)?.['.tag'];
    if (typeof tag !== 'string' || !known.includes(tag)) throw ApiError.badInput(route, `request body: actions: [${index}]: unknown tag ${JSON.stringify(tag ?? item)}`);
    return tag;
  });
}

function encode(cursor: SharingCursor): string {
  return `SHC${Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url')}`;
}

function decode(raw: string): SharingCursor | undefined {
  if (!raw.startsWith('SHC')) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw.slice(3), 'base64url').toString('utf8')) as SharingCursor;
    return typeof value.a === 'string' && Number.isInteger(value.o) && Number.isInteger(value.l) && value.l >= 1 ? value : undefined;
  } catch {
    return undefined;
  }
}
