import { CursorState, decodeCursor, encodeCursor } from './cursor';
import type { ListFolderPage } from './listing';
import type { SurfaceSwitches } from './surface-switches';

/** Stamps a freshly issued cursor with its issue time while cursors can expire; unchanged otherwise. */
export function stampCursor(raw: string, switches: SurfaceSwitches): string {
  if (switches.cursorTtlSeconds === undefined) return raw;
  const state = decodeCursor(raw);
  return state ? encodeCursor({ ...state, t: Date.now() }) : raw;
}

export function stampPage(page: ListFolderPage, switches: SurfaceSwitches): ListFolderPage {
  return switches.cursorTtlSeconds === undefined ? page : { ...page, cursor: stampCursor(page.cursor, switches) };
}

/** True when a stamped cursor has gone unused longer than the TTL (§6.3: the answer is `reset`). */
export function cursorExpired(cursor: CursorState, switches: SurfaceSwitches): boolean {
  const ttl = switches.cursorTtlSeconds;
  return ttl !== undefined && cursor.t !== undefined && Date.now() - cursor.t > ttl * 1000;
}
