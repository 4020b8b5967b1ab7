import { Account } from './account';
import { ApiError } from './api-error';
import { ArgSpec, validateArgs } from './args';
import { CursorState, decodeCursor } from './cursor';
import { toWire, TreeNode } from './metadata';
import { toLower } from './paths';

export interface RouteContext {
  readonly route: string;
  readonly account: Account;
  readonly defaultPageLimit: number;
}

export type RouteHandler = (ctx: RouteContext, body: unknown) => unknown;

/** Routes whose argument is `Void`: no body, or a literal `null`. */
export const VOID_ROUTES = new Set(['users/get_current_account']);

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

/** The API v2 routes the emulator serves, keyed by `<namespace>/<route>`. */
export const ROUTES: Readonly<Record<string, RouteHandler>> = {
  // https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account
  'users/get_current_account': (ctx) => currentAccount(ctx.account),

  // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder
  'files/list_folder': (ctx, body) => {
    const args = validateArgs(ctx.route, body, LIST_FOLDER_ARGS);
    if (args['shared_link'] !== undefined) throw ApiError.badInput(ctx.route, 'request body: shared_link: not supported by this emulator');
    return ctx.account.listing.start(cursorBase(ctx, args));
  },

  // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-continue
  'files/list_folder/continue': (ctx, body) => {
    const args = validateArgs(ctx.route, body, { cursor: { type: 'string', required: true, min: 1 } });
    return ctx.account.listing.page(readCursor(ctx, args['cursor'] as string));
  },

  // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-get_latest_cursor
  'files/list_folder/get_latest_cursor': (ctx, body) => {
    const args = validateArgs(ctx.route, body, LIST_FOLDER_ARGS);
    return { cursor: ctx.account.listing.latest(cursorBase(ctx, args)) };
  },

  // https://www.dropbox.com/developers/documentation/http/documentation#files-get_metadata
  'files/get_metadata': (ctx, body) => {
    const args = validateArgs(ctx.route, body, GET_METADATA_ARGS);
    const path = args['path'] as string;
    if (path === '' || path === '/') throw ApiError.badInput(ctx.route, 'request body: path: The root folder is unsupported.');
    if (!/^(\/(.|[\r\n])*|id:.*|rev:[0-9a-f]{9,}(\/(.|[\r\n])*)?|ns:[0-9]+(\/.*)?)$/.test(path)) {
      throw ApiError.badInput(ctx.route, `request body: path: '${path}' did not match pattern '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)'`);
    }
    const node = resolve(ctx.account, path);
    if (!node) throw ApiError.route(['path', 'not_found'], { '.tag': 'path', path: { '.tag': 'not_found' } });
    return toWire(node);
  },
};

function cursorBase(ctx: RouteContext, args: Record<string, unknown>): Omit<CursorState, 's' | 'k' | 'i'> {
  const path = args['path'] as string;
  if (path === '/') throw ApiError.badInput(ctx.route, 'request body: path: Specify the root folder as an empty string rather than as "/".');
  if (!/^((\/(.|[\r\n])*)?|id:.*|ns:[0-9]+(\/.*)?)$/.test(path)) {
    throw ApiError.badInput(ctx.route, `request body: path: '${path}' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)'`);
  }
  let scope = '';
  if (path !== '') {
    const node = resolve(ctx.account, path);
    if (!node) throw ApiError.route(['path', 'not_found'], { '.tag': 'path', path: { '.tag': 'not_found' } });
    if (node.tag !== 'folder') throw ApiError.route(['path', 'not_folder'], { '.tag': 'path', path: { '.tag': 'not_folder' } });
    scope = node.lower;
  }
  return {
    v: 1,
    a: ctx.account.accountId,
    e: ctx.account.cursorEpoch,
    p: scope,
    r: (args['recursive'] as boolean | undefined) ?? false,
    l: (args['limit'] as number | undefined) ?? ctx.defaultPageLimit,
  };
}

function readCursor(ctx: RouteContext, raw: string): CursorState {
  const cursor = decodeCursor(raw);
  if (!cursor || cursor.a !== ctx.account.accountId) {
    throw ApiError.badInput(ctx.route, 'request body: cursor: Invalid "cursor" parameter');
  }
  if (cursor.e !== ctx.account.cursorEpoch) throw ApiError.route(['reset'], { '.tag': 'reset' });
  return cursor;
}

function resolve(account: Account, path: string): TreeNode | undefined {
  if (path.startsWith('id:')) return account.namespace.findById(path);
  if (path.startsWith('ns:')) return undefined;
  return account.namespace.get(toLower(path));
}

function currentAccount(account: Account): unknown {
  const [given, ...rest] = account.displayName.split(' ');
  const surname = rest.join(' ');
  return {
    account_id: account.accountId,
    name: {
      given_name: given ?? '',
      surname,
      familiar_name: given ?? '',
      display_name: account.displayName,
      abbreviated_name: account.displayName.split(' ').map((word) => word[0] ?? '').join(''),
    },
    email: account.email,
    email_verified: true,
    disabled: false,
    locale: 'en',
    referral_link: `https://db.tt/${account.accountId.slice(5, 15)}`,
    is_paired: false,
    account_type: { '.tag': 'basic' },
    root_info: { '.tag': 'user', root_namespace_id: account.namespaceId, home_namespace_id: account.namespaceId },
  };
}
