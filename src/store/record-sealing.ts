import { z } from 'zod';
import { BlindIndex, FieldCipher } from '../crypto';
import { WorkspaceRef } from '../domain/ids';
import { ancestorsOf, DropboxRecord } from '../domain/record';
import { EntryFields } from '../domain/record-change';

/**
 * The record fields that name or fingerprint a file, sealed together as one JSON value: one
 * AES-GCM operation per write and one per read instead of one per field, and one short string in
 * the document. Optional metadata (sharing info, media info, ...) joins this object when it is
 * stored, so it is encrypted by construction.
 */
const SealedFields = z.object({
  name: z.string(),
  pathLower: z.string(),
  pathDisplay: z.string(),
  contentHash: z.string().nullable(),
});
export type SealedFields = z.infer<typeof SealedFields>;

/** The fields kept in clear: ids, kind, size, rev, times, state. None of them names a file. */
type ClearFields = Omit<DropboxRecord, keyof SealedFields | 'ancestors'>;

/**
 * A record as stored. Paths exist only sealed; lookups go through `pathKey` (blind index of
 * `path_lower`) and `ancestorKeys` (blind index of each ancestor's `path_lower`, outermost first).
 */
export type StoredRecord = ClearFields & {
  _id: string;
  readonly pathKey: string;
  readonly ancestorKeys: readonly string[];
  /** `FieldCipher.sealJson(SealedFields)` with context `records:<tenant>:<workspace>:<dropbox id>`. */
  readonly sealed: string;
};

/** What a write sets for a record's sealed and indexed fields. */
export interface SealedParts {
  readonly sealed: string;
  readonly pathKey: string;
  readonly ancestorKeys: string[];
}

/**
 * Maps one workspace's records between their plaintext form and their stored form. Sealed values
 * are bound to the workspace and the Dropbox id, so a value copied into another record, workspace
 * or tenant fails to open. Blind indexes are scoped to the workspace, so equal paths in two
 * workspaces hash differently.
 */
export class RecordSealer {
  private readonly indexScope: string;

  constructor(
    private readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
    private readonly ref: WorkspaceRef,
  ) {
    this.indexScope = `records:${ref.tenantId}:${ref.workspaceId}`;
  }

  /** The blind index of a `path_lower` in this workspace. */
  pathKey(pathLower: string): string {
    return this.index.of(this.indexScope, pathLower);
  }

  /** Seals an entry's naming fields and computes its path keys. */
  seal(entry: EntryFields): SealedParts {
    const fields: SealedFields = { name: entry.name, pathLower: entry.pathLower, pathDisplay: entry.pathDisplay, contentHash: entry.contentHash };
    return {
      sealed: this.cipher.sealJson(fields, recordContext(this.ref, entry.dropboxId)),
      pathKey: this.pathKey(entry.pathLower),
      ancestorKeys: ancestorsOf(entry.pathLower).map((path) => this.pathKey(path)),
    };
  }

  /** Opens a stored record's sealed fields; throws `DecryptionError` (naming the version, never the value) when it cannot. */
  open(doc: Pick<StoredRecord, 'dropboxId' | 'sealed'>): SealedFields {
    return SealedFields.parse(this.cipher.openJson(doc.sealed, recordContext(this.ref, doc.dropboxId)));
  }

  /** The plaintext record of a stored document. */
  toRecord(doc: Omit<StoredRecord, '_id'>): DropboxRecord {
    const { pathKey: _p, ancestorKeys: _a, sealed: _s, ...clear } = doc;
    const fields = this.open(doc);
    return { ...clear, ...fields, ancestors: ancestorsOf(fields.pathLower) };
  }
}

/** Associated data of a record's sealed fields: they open only in that record of that workspace. */
export function recordContext(ref: WorkspaceRef, dropboxId: string): string {
  return `records:${ref.tenantId}:${ref.workspaceId}:${dropboxId}`;
}
