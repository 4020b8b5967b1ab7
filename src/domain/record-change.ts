import type { DropboxRecord } from './record';

/** The fields of a record that come from one Dropbox entry. */
export type EntryFields = Pick<
  DropboxRecord,
  'dropboxId' | 'kind' | 'name' | 'pathLower' | 'pathDisplay' | 'size' | 'rev' | 'contentHash' | 'serverModified' | 'clientModified' | 'isDownloadable'
>;

/**
 * One change to apply to the Recordset, in page order. Deletions carry only a path: Dropbox's
 * `DeletedMetadata` has no id and does not say whether it was a file or a folder.
 */
export type RecordChange = { readonly op: 'upsert'; readonly entry: EntryFields } | { readonly op: 'delete'; readonly pathLower: string };
