import { z } from 'zod';
import { UnexpectedDropboxResponseError } from '../domain/errors';
import { RecordChange } from '../domain/record-change';

// Dropbox sends `%Y-%m-%dT%H:%M:%SZ`; accept any RFC 3339 instant, but never a zone-less or
// free-form date that Date.parse would read in the worker's local time.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const Timestamp = z
  .string()
  .refine((value) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)), 'not a timestamp (expected RFC 3339, like 2026-03-01T09:15:00Z)');
// A name is one path component; Dropbox never sends one with a slash.
const Name = z.string().min(1).refine((value) => !value.includes('/'), 'contains "/"');
const PathLower = z.string().startsWith('/');

const FileEntry = z.object({
  '.tag': z.literal('file'),
  name: Name,
  id: z.string().startsWith('id:'),
  path_lower: PathLower.optional(),
  path_display: z.string().optional(),
  client_modified: Timestamp,
  server_modified: Timestamp,
  rev: z.string().regex(/^[0-9a-f]{9,}$/, 'not a revision'),
  size: z.number().int().nonnegative(),
  content_hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  is_downloadable: z.boolean().optional(),
});

const FolderEntry = z.object({
  '.tag': z.literal('folder'),
  name: Name,
  id: z.string().startsWith('id:'),
  path_lower: PathLower.optional(),
  path_display: z.string().optional(),
});

const DeletedEntry = z.object({
  '.tag': z.literal('deleted'),
  name: z.string(),
  path_lower: PathLower.optional(),
  path_display: z.string().optional(),
});

const Page = z.object({
  entries: z.array(z.object({ '.tag': z.string() }).passthrough()),
  cursor: z.string().min(1),
  has_more: z.boolean(),
});

/** A `ListFolderResult` turned into ordered record changes. */
export interface ParsedPage {
  readonly changes: RecordChange[];
  readonly cursor: string;
  readonly hasMore: boolean;
  /** Entries left out: unknown tags (the union is open) and items with no path (not mounted). */
  readonly skipped: number;
}

/**
 * Validates a `list_folder` / `continue` result and maps it, in order, to record changes. A
 * malformed entry fails the whole page (naming the entry and field) so nothing half-read is stored.
 */
export function parseListFolderPage(route: string, raw: unknown): ParsedPage {
  const page = Page.safeParse(raw);
  if (!page.success) throw new UnexpectedDropboxResponseError(route, `not a ListFolderResult: ${z.prettifyError(page.error)}`);
  const changes: RecordChange[] = [];
  let skipped = 0;
  page.data.entries.forEach((entry, index) => {
    const change = toChange(route, entry, index);
    if (change) changes.push(change);
    else skipped += 1;
  });
  return { changes, cursor: page.data.cursor, hasMore: page.data.has_more, skipped };
}

function toChange(route: string, entry: { '.tag': string }, index: number): RecordChange | undefined {
  const schema = entry['.tag'] === 'file' ? FileEntry : entry['.tag'] === 'folder' ? FolderEntry : entry['.tag'] === 'deleted' ? DeletedEntry : undefined;
  if (!schema) return undefined;
  const parsed = schema.safeParse(entry);
  if (!parsed.success) {
    throw new UnexpectedDropboxResponseError(route, `entry ${index} (${entry['.tag']}) is malformed: ${z.prettifyError(parsed.error)}`);
  }
  const value = parsed.data;
  if (value.path_lower === undefined) return undefined;
  if (value['.tag'] === 'deleted') return { op: 'delete', pathLower: value.path_lower };
  const common = { dropboxId: value.id, name: value.name, pathLower: value.path_lower, pathDisplay: value.path_display ?? value.path_lower };
  if (value['.tag'] === 'folder') {
    return { op: 'upsert', entry: { ...common, kind: 'folder', size: null, rev: null, contentHash: null, serverModified: null, clientModified: null, isDownloadable: null } };
  }
  return {
    op: 'upsert',
    entry: {
      ...common,
      kind: 'file',
      size: value.size,
      rev: value.rev,
      contentHash: value.content_hash ?? null,
      serverModified: new Date(value.server_modified),
      clientModified: new Date(value.client_modified),
      isDownloadable: value.is_downloadable ?? true,
    },
  };
}
