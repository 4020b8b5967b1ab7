/** A Recordset entry: the metadata of one Dropbox file or folder as a workspace sees it. */
export interface DropboxRecord {
  readonly tenantId: string;
  readonly workspaceId: string;
  /** Dropbox's `id:...`; stable across moves and renames, so it is the record's identity. */
  readonly dropboxId: string;
  readonly kind: 'file' | 'folder';
  readonly name: string;
  /** Server-given `path_lower`; the only path used for identity and lookups. */
  readonly pathLower: string;
  readonly pathDisplay: string;
  /** `path_lower` of every ancestor folder, root first; subtree deletes match on it. */
  readonly ancestors: readonly string[];
  readonly size: number | null;
  readonly rev: string | null;
  readonly contentHash: string | null;
  readonly serverModified: Date | null;
  readonly clientModified: Date | null;
  readonly isDownloadable: boolean | null;
  readonly state: 'active' | 'deleted';
  readonly deletedAt: Date | null;
  /** Listing generation that last saw the record; a completed re-listing sweeps older ones. */
  readonly generation: number;
  readonly origin: 'sync' | 'backfill';
  readonly syncedAt: Date;
}

/** `/a/b/c.txt` -> [`/a`, `/a/b`]: ancestor folders of a `path_lower`, outermost first. */
export function ancestorsOf(pathLower: string): string[] {
  const result: string[] = [];
  let index = pathLower.indexOf('/', 1);
  while (index !== -1) {
    result.push(pathLower.slice(0, index));
    index = pathLower.indexOf('/', index + 1);
  }
  return result;
}
