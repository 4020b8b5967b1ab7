import { DropboxRecord } from '../domain/record';

/** An entry as Dropbox (or the emulator's ground truth) shows it, in wire field names. */
export interface DropboxEntryView {
  readonly '.tag': 'file' | 'folder';
  readonly id: string;
  readonly name: string;
  readonly path_lower: string;
  readonly path_display: string;
  readonly size?: number;
  readonly rev?: string;
  readonly content_hash?: string;
}

export interface FieldMismatch {
  readonly dropboxId: string;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** How an active Recordset differs from what the account sees. Empty lists mean equal. */
export interface RecordsetDiff {
  /** Ids Dropbox shows that the Recordset lacks. */
  readonly missing: string[];
  /** Active records Dropbox does not show. */
  readonly extra: string[];
  /** Ids present in both with different field values. */
  readonly mismatched: FieldMismatch[];
  /** Ids held by more than one active record. */
  readonly duplicates: string[];
}

export function isEqual(diff: RecordsetDiff): boolean {
  return diff.missing.length + diff.extra.length + diff.mismatched.length + diff.duplicates.length === 0;
}

/** Compares active records with Dropbox's entries: ids, kinds, paths, names, sizes, revs, hashes. */
export function diffRecordset(records: readonly DropboxRecord[], truth: readonly DropboxEntryView[]): RecordsetDiff {
  const byId = new Map<string, DropboxRecord>();
  const duplicates = new Set<string>();
  for (const record of records) {
    if (byId.has(record.dropboxId)) duplicates.add(record.dropboxId);
    byId.set(record.dropboxId, record);
  }
  const missing: string[] = [];
  const mismatched: FieldMismatch[] = [];
  const seen = new Set<string>();
  for (const entry of truth) {
    seen.add(entry.id);
    const record = byId.get(entry.id);
    if (!record) {
      missing.push(entry.id);
      continue;
    }
    const expected: Record<string, unknown> = {
      kind: entry['.tag'],
      name: entry.name,
      pathLower: entry.path_lower,
      pathDisplay: entry.path_display,
      size: entry.size ?? null,
      rev: entry.rev ?? null,
      contentHash: entry.content_hash ?? null,
    };
    for (const [field, value] of Object.entries(expected)) {
      const actual = (record as unknown as Record<string, unknown>)[field];
      if (actual !== value) mismatched.push({ dropboxId: entry.id, field, expected: value, actual });
    }
  }
  const extra = [...byId.keys()].filter((id) => !seen.has(id));
  return { missing, extra, mismatched, duplicates: [...duplicates] };
}

/** One line per kind of difference, for logs and the demo's summary. */
export function describeDiff(diff: RecordsetDiff): string {
  if (isEqual(diff)) return 'equal';
  const fields = new Map<string, number>();
  for (const mismatch of diff.mismatched) fields.set(mismatch.field, (fields.get(mismatch.field) ?? 0) + 1);
  const parts = [
    diff.missing.length ? `${diff.missing.length} missing` : '',
    diff.extra.length ? `${diff.extra.length} extra` : '',
    diff.duplicates.length ? `${diff.duplicates.length} duplicated` : '',
    ...[...fields].map(([field, count]) => `${count} with a different ${field}`),
  ];
  return parts.filter(Boolean).join(', ');
}
