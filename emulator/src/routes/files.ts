import type { Account } from '../account';
import type { View } from '../world/view';
import { ApiError } from '../api-error';
import { ArgSpec, validateArgs } from '../args';
import { cursorExpired, stampCursor, stampPage } from '../cursor-expiry';
import { CursorOptions, CursorState, decodeCursor } from '../cursor';
import { MetadataWire, toWire, TreeNode } from '../metadata';
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

/** files.stone `PathROrId` and `ReadPath`, as Dropbox quotes them in its 400 texts. */
const PATH_R_OR_ID = /^((\/(.|[\r\n])*)?|id:.*|ns:[0-9]+(\/.*)?)$/;
const PATH_R_OR_ID_TEXT = "(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)";
const READ_PATH = /^(\/(.|[\r\n])*|id:.*|rev:[0-9a-f]{9,}(\/(.|[\r\n])*)?|ns:[0-9]+(\/.*)?)$/;
const READ_PATH_TEXT = "(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)";

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
      return stampPage(call.caller.view.listing.start(cursorBase(call, args), call.pageShape), call.switches);
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
      return stampPage(call.caller.view.listing.page(readCursor(call, args['cursor'] as string), call.pageShape), call.switches);
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
      return { cursor: stampCursor(call.caller.view.listing.latest(cursorBase(call, args)), call.switches) };
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
      if (!READ_PATH.test(path)) throw ApiError.badInput(call.route, `request body: path: '${path}' did not match pattern '${READ_PATH_TEXT}'`);
      checkPropertyGroups(call.route, args['include_property_groups']);
      const account = call.caller.view;
      const node = resolve(call, account, path);
      if (node) return withSharedMembersFlag(toWire(node), args['include_has_explicit_shared_members'] === true);
      // GetMetadataArg.include_deleted: a deleted path answers its DeletedMetadata instead of not_found.
      const deleted = args['include_deleted'] === true && path.startsWith('/') ? lastDeletion(account, lookupKey(call, path)) : undefined;
      if (deleted) return deleted;
      throw ApiError.lookup('not_found');
    },
  },
];

function cursorBase(call: ApiCall, args: Record<string, unknown>): Omit<CursorState, 's' | 'k' | 'i'> {
  const path = args['path'] as string;
  if (path === '/') throw ApiError.badInput(call.route, 'request body: path: Specify the root folder as an empty string rather than as "/".');
  if (!PATH_R_OR_ID.test(path)) throw ApiError.badInput(call.route, `request body: path: '${path}' did not match pattern '${PATH_R_OR_ID_TEXT}'`);
  if (args['shared_link'] !== undefined) {
    throw ApiError.badInput(call.route, 'request body: shared_link: listing through a shared link is not supported by this emulator');
  }
  checkPropertyGroups(call.route, args['include_property_groups']);
  let scope = '';
  if (path !== '' && !isHomeNamespaceRoot(call.caller.account, path)) {
    const node = resolve(call, call.caller.view, path);
    if (!node) throw ApiError.lookup('not_found');
    if (node.tag !== 'folder') throw ApiError.lookup('not_folder');
    scope = node.lower;
  }
  const options = cursorOptions(args);
  return {
    v: 1,
    a: call.caller.view.id,
    e: call.caller.view.cursorEpoch,
    p: scope,
    r: (args['recursive'] as boolean | undefined) ?? false,
    l: (args['limit'] as number | undefined) ?? call.defaultPageLimit,
    ...(options ? { o: options } : {}),
  };
}

/** The include flags that differ from the spec defaults, for the cursor to carry. */
function cursorOptions(args: Record<string, unknown>): CursorOptions | undefined {
  const options: { -readonly [K in keyof CursorOptions]: CursorOptions[K] } = {};
  if (args['include_deleted'] === true) options.d = true;
  if (args['include_mounted_folders'] === false) options.m = false;
  if (args['include_non_downloadable_files'] === false) options.n = false;
  if (args['include_has_explicit_shared_members'] === true) options.h = true;
  if (args['include_restorable_info'] === true) options.x = true;
  if (args['include_media_info'] === true) options.mi = true;
  return Object.keys(options).length > 0 ? options : undefined;
}

/** `include_property_groups` is a TemplateFilterBase: `{".tag": "filter_some", "filter_some": [template ids]}`. */
function checkPropertyGroups(route: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const filter = value as { '.tag'?: unknown; filter_some?: unknown };
  const ids = filter.filter_some;
  const valid =
    typeof value === 'object' &&
    filter['.tag'] === 'filter_some' &&
    Array.isArray(ids) &&
    ids.length > 0 &&
    ids.every((id) => typeof id === 'string' && /^(\/|ptid:).*$/.test(id));
  if (!valid) {
    throw ApiError.badInput(route, 'request body: include_property_groups: expected {".tag": "filter_some", "filter_some": [template ids like "ptid:..."]}');
  }
}

function readCursor(call: ApiCall, raw: string): CursorState {
  const cursor = decodeCursor(raw);
  if (!cursor || cursor.a !== call.caller.view.id) {
    throw ApiError.badInput(call.route, 'request body: cursor: Invalid "cursor" parameter');
  }
  if (cursor.e !== call.caller.view.cursorEpoch || cursorExpired(cursor, call.switches)) throw ApiError.reset();
  return cursor;
}

/** `ns:<home namespace id>` alone is the root of the home namespace, like `""`. */
function isHomeNamespaceRoot(account: Account, path: string): boolean {
  return path === `ns:${account.namespaceId}` || path === `ns:${account.namespaceId}/`;
}

/**
 * The `path_lower` a `/...` or `ns:<home>/...` path names, or undefined when the path cannot name
 * anything: an NFD path under the default switch (dropbox-api-notes.md §1.6), or another namespace.
 */
function lookupKey(call: ApiCall, path: string): string | undefined {
  let relative = path;
  if (path.startsWith('ns:')) {
    const slash = path.indexOf('/');
    if (slash < 0 || path.slice(3, slash) !== call.caller.account.namespaceId) return undefined;
    relative = path.slice(slash);
  }
  if (call.switches.nfdPaths === 'not_found' && relative !== relative.normalize('NFC')) return undefined;
  if (relative.split('/').slice(1).some((part) => part === '')) throw ApiError.lookup('malformed_path');
  return toLower(relative);
}

function resolve(call: ApiCall, account: View, path: string): TreeNode | undefined {
  if (path.startsWith('id:')) return account.namespace.findById(path);
  if (path.startsWith('rev:')) return findByRev(account, path.slice(4));
  const key = lookupKey(call, path);
  return key === undefined ? undefined : account.namespace.get(key);
}

/** `rev:<rev>`: the file whose current revision it is (the emulator keeps no older revisions). */
function findByRev(account: View, rev: string): TreeNode | undefined {
  for (const node of account.namespace.all()) if (node.tag === 'file' && node.rev === rev) return node;
  return undefined;
}

/** The DeletedMetadata of `lower`'s last change, when that change was a deletion. */
function lastDeletion(account: View, lower: string | undefined): MetadataWire | undefined {
  if (lower === undefined) return undefined;
  let last: MetadataWire | undefined;
  for (const change of account.namespace.changesAfter(0)) if (change.lower === lower) last = change.metadata;
  return last?.['.tag'] === 'deleted' ? last : undefined;
}

function withSharedMembersFlag(entry: MetadataWire, requested: boolean): MetadataWire {
  if (!requested || entry['.tag'] !== 'file' || entry.has_explicit_shared_members !== undefined) return entry;
  return { ...entry, has_explicit_shared_members: false };
}
