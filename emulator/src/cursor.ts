/**
 * Cursor contents. Real cursors are opaque; ours are base64url JSON so the emulator stays
 * stateless across pages. Clients must not parse them, and the connector never does.
 */
export interface CursorState {
  readonly v: 1;
  /** Account the cursor belongs to. */
  readonly a: string;
  /** Cursor epoch of the account; bumping it invalidates every older cursor (`reset`). */
  readonly e: number;
  /** Listed folder's `path_lower` (`""` for the root). */
  readonly p: string;
  readonly r: boolean;
  /** Page size hint given to `list_folder`; continue keeps using it. */
  readonly l: number;
  /** Change-log position: the listing snapshot's start, or the last change delivered. */
  readonly s: number;
  /** While the initial listing is still paging: the last `path_lower` delivered. */
  readonly k?: string;
  /** Listing phase flag: true until the initial listing has delivered its last page. */
  readonly i: boolean;
  /** list_folder's include flags, so continue and longpoll apply the options the listing started with. */
  readonly o?: CursorOptions;
  /** Empty pages served from this position so far: each gets a cursor of its own, as Dropbox's do. */
  readonly n?: number;
  /** When the cursor was issued (ms since the epoch), stamped only while cursors can expire. */
  readonly t?: number;
}

/**
 * The `list_folder` flags a cursor carries, stored only when they differ from the spec default
 * (short cursors for the common case). Absent means the default.
 */
export interface CursorOptions {
  /** include_deleted (default false) */
  readonly d?: boolean;
  /** include_mounted_folders (default true) */
  readonly m?: boolean;
  /** include_non_downloadable_files (default true) */
  readonly n?: boolean;
  /** include_has_explicit_shared_members (default false) */
  readonly h?: boolean;
  /** include_restorable_info (default false) */
  readonly x?: boolean;
  /** include_media_info (default false; such cursors are refused by longpoll) */
  readonly mi?: boolean;
}

export function encodeCursor(state: CursorState): string {
  return `AAE${Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')}`;
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): CursorState | undefined {
  if (!cursor.startsWith('AAE')) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor.slice(3), 'base64url').toString('utf8')) as Partial<CursorState>;
    const valid =
      value.v === 1 &&
      typeof value.a === 'string' &&
      typeof value.e === 'number' &&
      typeof value.p === 'string' &&
      typeof value.r === 'boolean' &&
      typeof value.l === 'number' &&
      typeof value.s === 'number' &&
      typeof value.i === 'boolean' &&
      (value.k === undefined || typeof value.k === 'string') &&
      (value.n === undefined || typeof value.n === 'number') &&
      (value.t === undefined || typeof value.t === 'number') &&
      (value.o === undefined || (typeof value.o === 'object' && value.o !== null && Object.values(value.o).every((flag) => typeof flag === 'boolean')));
    return valid ? (value as CursorState) : undefined;
  } catch {
    return undefined;
  }
}
