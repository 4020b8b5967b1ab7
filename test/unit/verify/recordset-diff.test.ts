import { ancestorsOf, DropboxRecord } from '../../../src/domain/record';
import { describeDiff, diffRecordset, DropboxEntryView, isEqual } from '../../../src/verify/recordset-diff';

const SYNCED_AT = new Date('2026-05-01T00:00:00Z');

function fileView(id: string, pathDisplay: string, overrides: Partial<DropboxEntryView> = {}): DropboxEntryView {
  return {
    '.tag': 'file',
    id,
    name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
    path_lower: pathDisplay.toLowerCase(),
    path_display: pathDisplay,
    size: 10,
    rev: '0000000010abcdef0',
    content_hash: 'a'.repeat(64),
    ...overrides,
  };
}

function folderView(id: string, pathDisplay: string): DropboxEntryView {
  return { '.tag': 'folder', id, name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1), path_lower: pathDisplay.toLowerCase(), path_display: pathDisplay };
}

/** The record a correct sync stores for `view`. */
function recordOf(view: DropboxEntryView, overrides: Partial<DropboxRecord> = {}): DropboxRecord {
  return {
    tenantId: 'tenant-diff',
    workspaceId: 'workspace-diff',
    dropboxId: view.id,
    kind: view['.tag'],
    name: view.name,
    pathLower: view.path_lower,
    pathDisplay: view.path_display,
    ancestors: ancestorsOf(view.path_lower),
    size: view.size ?? null,
    rev: view.rev ?? null,
    contentHash: view.content_hash ?? null,
    serverModified: null,
    clientModified: null,
    isDownloadable: view['.tag'] === 'file' ? true : null,
    state: 'active',
    deletedAt: null,
    generation: 1,
    origin: 'sync',
    syncedAt: SYNCED_AT,
    ...overrides,
  };
}

const folder = folderView('id:diff-folder', '/Docs');
const file = fileView('id:diff-file', '/Docs/Report.pdf');

describe('diffRecordset', () => {
  it('finds nothing when records match the truth, folders included', () => {
    const diff = diffRecordset([recordOf(folder), recordOf(file)], [folder, file]);
    expect(diff).toEqual({ missing: [], extra: [], mismatched: [], duplicates: [] });
    expect(isEqual(diff)).toBe(true);
    expect(describeDiff(diff)).toBe('equal');
  });

  it('reports ids the truth has and the records lack as missing', () => {
    const diff = diffRecordset([recordOf(folder)], [folder, file]);
    expect(diff).toEqual({ missing: ['id:diff-file'], extra: [], mismatched: [], duplicates: [] });
    expect(describeDiff(diff)).toBe('1 missing');
  });

  it('reports records the truth does not show as extra', () => {
    const diff = diffRecordset([recordOf(folder), recordOf(file)], [folder]);
    expect(diff).toEqual({ missing: [], extra: ['id:diff-file'], mismatched: [], duplicates: [] });
  });

  it('reports each differing field with expected and actual values', () => {
    const stale = recordOf(file, { rev: '0000000009abcdef0', pathDisplay: '/docs/Report.pdf', size: 9 });
    const diff = diffRecordset([recordOf(folder), stale], [folder, file]);

    expect(diff.mismatched).toEqual([
      { dropboxId: 'id:diff-file', field: 'pathDisplay', expected: '/Docs/Report.pdf', actual: '/docs/Report.pdf' },
      { dropboxId: 'id:diff-file', field: 'size', expected: 10, actual: 9 },
      { dropboxId: 'id:diff-file', field: 'rev', expected: '0000000010abcdef0', actual: '0000000009abcdef0' },
    ]);
    expect(isEqual(diff)).toBe(false);
    expect(describeDiff(diff)).toBe('1 with a different pathDisplay, 1 with a different size, 1 with a different rev');
  });

  it('compares kind, name, path_lower and content_hash too', () => {
    const wrong = recordOf(file, { kind: 'folder', name: 'report.pdf', pathLower: '/docs/other.pdf', contentHash: null });
    expect(diffRecordset([wrong], [file]).mismatched.map((mismatch) => mismatch.field)).toEqual(['kind', 'name', 'pathLower', 'contentHash']);
  });

  it('expects null size, rev and hash for a folder', () => {
    const diff = diffRecordset([recordOf(folder, { size: 0 })], [folder]);
    expect(diff.mismatched).toEqual([{ dropboxId: 'id:diff-folder', field: 'size', expected: null, actual: 0 }]);
  });

  it('reports an id held by two records as duplicated', () => {
    const diff = diffRecordset([recordOf(file), recordOf(file, { pathLower: '/elsewhere.pdf' })], [file]);
    expect(diff.duplicates).toEqual(['id:diff-file']);
    expect(describeDiff(diff)).toContain('1 duplicated');
  });

  it('describes several kinds of difference in one line', () => {
    const other = fileView('id:diff-other', '/Other.txt');
    const diff = diffRecordset([recordOf(file, { size: 1 }), recordOf(fileView('id:diff-extra', '/x.txt'))], [file, other]);
    expect(describeDiff(diff)).toBe('1 missing, 1 extra, 1 with a different size');
  });

  it('lists an id held by three records once among the duplicates', () => {
    const diff = diffRecordset([recordOf(file), recordOf(file), recordOf(file)], [file]);
    expect(diff.duplicates).toEqual(['id:diff-file']);
  });
});
