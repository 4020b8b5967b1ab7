import type { Account } from '../account';
import { ApiError } from '../api-error';
import { ArgSpec, validateArgs } from '../args';
import { CursorState, decodeCursor } from '../cursor';
import { toWire, TreeNode } from '../metadata';
import { toLower } from '../paths';
import type { ApiCall, RouteDefinition } from './route';

const LIST_FOLDER_ARGS: ArgSpec = {
  path: { type: 'string', required: true },
  recursive: { type: 'boolean' },
  include_media_info: { type: 'boolean' },
  include_deleted: { type: 'boolean' },
  include_has_explicit_shared_members: { type: 'boolean' },
  include_mounted_folders: { type: 'boolean' },
  limit: { type: 'uint', min: 1, max: 2000 },
  shared_link: { type: 'any' },
  include_property_groups: { type: 'any' },
  include_non_downloadable_files: { type: 'boolean' },
  include_restorable_info: { type: 'boolean' },
};

const GET_METADATA_ARGS: ArgSpec = {
  path: { type: 'string', required: true },
  include_media_info: { type: 'boolean' },
  include_deleted: { type: 'boolean' },
  include_has_explicit_shared_members: { type: 'boolean' },
  include_property_groups: { type: 'any' },
};

const METADATA_READ = 'files.metadata.read';

/** `files/*` routes that read metadata. */
export const FILES_ROUTES: readonly RouteDefinition[] = [
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder
    name: 'files/list_folder',
    host: 'api',
    auth: 'app_user',
    scope: METADATA_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, LIST_FOLDER_ARGS);
      if (args['shared_link'] !== undefined) throw ApiError.badInput(call.route, 'request body: shared_link: not supported by this emulator');
      return call.caller.account.listing.start(cursorBase(call, args));
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-continue
    name: 'files/list_folder/continue',
    host: 'api',
    auth: 'app_user',
    scope: METADATA_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, { cursor: { type: 'string', required: true, min: 1 } });
      return call.caller.account.listing.page(readCursor(call, args['cursor'] as string));
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-get_latest_cursor
    name: 'files/list_folder/get_latest_cursor',
    host: 'api',
    auth: 'user',
    scope: METADATA_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, LIST_FOLDER_ARGS);
      return { cursor: call.caller.account.listing.latest(cursorBase(call, args)) };
    },
  },
  {
    // https://www.dropbox.com/developers/documentation/http/documentation#files-get_metadata
    name: 'files/get_metadata',
    host: 'api',
    auth: 'user',
    scope: METADATA_READ,
    handle: (call, body) => {
      const args = validateArgs(call.route, body, GET_METADATA_ARGS);
      const path = args['path'] as string;
      if (path === '' || path === '/') throw ApiError.badInput(call.route, 'request body: path: The root folder is unsupported.');
      if (!/^(\/(.|[\r\n])*|id:.*|rev:[0-9a-f]{9,}(\/(.|[\r\n])*)?|ns:[0-9]+(\/.*)?)$/.test(path)) {
        throw ApiError.badInput(call.route, `request body: path: '${path}' did not match pattern '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)'`);
      }
      const node = resolve(call.caller.account, path);
      if (!node) throw ApiError.route(['path', 'not_found'], { '.tag': 'path', path: { '.tag': 'not_found' } });
      return toWire(node);
    },
  },
];

function cursorBase(call: ApiCall, args: Record<string, unknown>): Omit<CursorState, 's' | 'k' | 'i'> {
  const path = args['path'] as string;
  if (path === '/') throw ApiError.badInput(call.route, 'request body: path: Specify the root folder as an empty string rather than as "/".');
  if (!/^((\/(.|[\r\n])*)?|id:.*|ns:[0-9]+(\/.*)?)$/.test(path)) {
    throw ApiError.badInput(call.route, `request body: path: '${path}' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)'`);
  }
  let scope = '';
  if (path !== '') {
    const node = resolve(call.caller.account, path);
    if (!node) throw ApiError.route(['path', 'not_found'], { '.tag': 'path', path: { '.tag': 'not_found' } });
    if (node.tag !== 'folder') throw ApiError.route(['path', 'not_folder'], { '.tag': 'path', path: { '.tag': 'not_folder' } });
    scope = node.lower;
  }
  return {
    v: 1,
    a: call.caller.account.accountId,
    e: call.caller.account.cursorEpoch,
    p: scope,
    r: (args['recursive'] as boolean | undefined) ?? false,
    l: (args['limit'] as number | undefined) ?? call.defaultPageLimit,
  };
}

function readCursor(call: ApiCall, raw: string): CursorState {
  const cursor = decodeCursor(raw);
  if (!cursor || cursor.a !== call.caller.account.accountId) {
    throw ApiError.badInput(call.route, 'request body: cursor: Invalid "cursor" parameter');
  }
  if (cursor.e !== call.caller.account.cursorEpoch) throw ApiError.route(['reset'], { '.tag': 'reset' });
  return cursor;
}

function resolve(account: Account, path: string): TreeNode | undefined {
  if (path.startsWith('id:')) return account.namespace.findById(path);
  if (path.startsWith('ns:')) return undefined;
  return account.namespace.get(toLower(path));
}
