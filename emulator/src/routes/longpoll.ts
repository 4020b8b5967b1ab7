import { ApiError } from '../api-error';
import { validateArgs } from '../args';
import { CursorState, decodeCursor } from '../cursor';
import { cursorExpired } from '../cursor-expiry';
import type { View } from '../world/view';
import type { World } from '../world/world';
import type { NoAuthCall, NoAuthRouteDefinition } from './route';

const ROUTE = 'files/list_folder/longpoll';
/** How often a held longpoll looks at the change log. Changes are in-process, so this is cheap. */
const POLL_INTERVAL_MS = 20;

/**
 * `files/list_folder/longpoll` on the notify host: a doorbell, not a change feed (§4.4, §6.13).
 * Held until the cursor's scope changes (or, with false positives on, anything in the account
 * does) or the timeout passes. A cursor invalidated meanwhile answers 409 `reset`.
 */
export const LONGPOLL_ROUTE: NoAuthRouteDefinition = {
  // https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-longpoll
  name: ROUTE,
  host: 'notify',
  auth: 'noauth',
  scope: 'files.metadata.read',
  handle: async (call, body) => {
    const args = validateArgs(ROUTE, body, {
      cursor: { type: 'string', required: true, min: 1 },
      timeout: { type: 'uint', min: 30, max: 480 },
    });
    const timeoutSeconds = (args['timeout'] as number | undefined) ?? 30;
    const { cursor, view } = readCursor(call.world, args['cursor'] as string);
    const deadline = Date.now() + timeoutSeconds * call.switches.longpoll.msPerTimeoutSecond;
    let closed = false;
    void call.closed.then(() => (closed = true));
    for (;;) {
      if (cursor.e !== view.cursorEpoch || cursorExpired(cursor, call.switches)) throw ApiError.reset();
      if (hasChanges(call, view, cursor)) return { changes: true };
      if (closed || Date.now() >= deadline) break;
      await Promise.race([sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))), call.closed]);
    }
    const backoff = call.switches.longpoll.backoffSeconds;
    return backoff === undefined ? { changes: false } : { changes: false, backoff };
  },
};

/** The account a longpoll's cursor belongs to, so account-scoped fault rules can match the call. */
export function longpollAccount(world: World, body: unknown): { email: string; accountId: string } | undefined {
  const raw = typeof body === 'object' && body !== null ? (body as { cursor?: unknown }).cursor : undefined;
  const cursor = typeof raw === 'string' ? decodeCursor(raw) : undefined;
  return cursor ? findView(world, cursor.a)?.account : undefined;
}

function hasChanges(call: NoAuthCall, view: View, cursor: CursorState): boolean {
  // A false positive: Dropbox wakes a cursor on changes anywhere in the account (dropbox-sdk-java#324).
  if (call.switches.longpoll.falsePositives && view.namespace.headSeq > cursor.s) return true;
  return view.listing.changedInScope(cursor);
}

function readCursor(world: World, raw: string): { cursor: CursorState; view: View } {
  const cursor = decodeCursor(raw);
  const view = cursor ? findView(world, cursor.a) : undefined;
  if (!cursor || !view) throw ApiError.badInput(ROUTE, 'request body: cursor: Invalid "cursor" parameter');
  if (cursor.o?.mi) {
    // files.stone ListFolderLongpollArg: cursors made with include_media_info are not supported.
    throw ApiError.badInput(ROUTE, 'request body: cursor: cursors retrieved with include_media_info set to true are not supported');
  }
  return { cursor, view };
}

/** The view a cursor's view id names (world/view.ts ids: `<account>`, `<account>|root:..`, `|ns:..`, `|app:..`). */
function findView(world: World, id: string): View | undefined {
  const bar = id.indexOf('|');
  const account = world.accountById(bar < 0 ? id : id.slice(0, bar));
  if (!account) return undefined;
  if (bar < 0) return account.homeView;
  const suffix = id.slice(bar + 1);
  if (account.membership?.rootView.id === id) return account.membership.rootView;
  if (suffix.startsWith('ns:')) return world.namespaceView(account, suffix.slice(3));
  if (suffix.startsWith('app:')) return world.appFolderView(account, suffix.slice(4));
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
