import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UnexpectedDropboxResponseError } from '../../../src/domain/errors';
import { parseListFolderPage } from '../../../src/dropbox/list-folder-page';

const ROUTE = 'files/list_folder';
const BLNS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpora', 'blns', 'blns.json');

function file(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '.tag': 'file',
    name: 'Q3 Plan.pdf',
    id: 'id:Xb3kQ0sAAAAAAAAAAAAABw',
    path_lower: '/projects/q3 plan.pdf',
    path_display: '/Projects/Q3 Plan.pdf',
    client_modified: '2026-03-01T09:15:00Z',
    server_modified: '2026-03-01T09:15:02Z',
    rev: '015f2a3b4c5d6e7f80000000a1b2c3d',
    size: 48213,
    is_downloadable: true,
    content_hash: 'bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423',
    ...overrides,
  };
}

function folder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { '.tag': 'folder', name: 'Projects', id: 'id:FolderAAAAAAAAAAAAAAAAA', path_lower: '/projects', path_display: '/Projects', ...overrides };
}

function deleted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { '.tag': 'deleted', name: 'old.txt', path_lower: '/projects/old.txt', path_display: '/Projects/old.txt', ...overrides };
}

function page(entries: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { entries, cursor: 'AAE-cursor', has_more: true, ...extra };
}

function parseError(raw: unknown): UnexpectedDropboxResponseError {
  try {
    parseListFolderPage(ROUTE, raw);
  } catch (error) {
    if (error instanceof UnexpectedDropboxResponseError) return error;
    throw error;
  }
  throw new Error('expected parseListFolderPage to throw');
}

describe('parseListFolderPage', () => {
  it('maps folder, file and deleted entries to record changes, in order', () => {
    const parsed = parseListFolderPage(ROUTE, page([folder(), file(), deleted()]));

    expect(parsed).toEqual({
      cursor: 'AAE-cursor',
      hasMore: true,
      skipped: 0,
      changes: [
        {
          op: 'upsert',
          entry: {
            dropboxId: 'id:FolderAAAAAAAAAAAAAAAAA',
            kind: 'folder',
            name: 'Projects',
            pathLower: '/projects',
            pathDisplay: '/Projects',
            size: null,
            rev: null,
            contentHash: null,
            serverModified: null,
            clientModified: null,
            isDownloadable: null,
          },
        },
        {
          op: 'upsert',
          entry: {
            dropboxId: 'id:Xb3kQ0sAAAAAAAAAAAAABw',
            kind: 'file',
            name: 'Q3 Plan.pdf',
            pathLower: '/projects/q3 plan.pdf',
            pathDisplay: '/Projects/Q3 Plan.pdf',
            size: 48213,
            rev: '015f2a3b4c5d6e7f80000000a1b2c3d',
            contentHash: 'bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423',
            serverModified: new Date('2026-03-01T09:15:02Z'),
            clientModified: new Date('2026-03-01T09:15:00Z'),
            isDownloadable: true,
          },
        },
        { op: 'delete', pathLower: '/projects/old.txt' },
      ],
    });
  });

  it('keeps the order of a delete and a re-add of the same path', () => {
    const parsed = parseListFolderPage(ROUTE, page([file(), deleted({ path_lower: '/projects/q3 plan.pdf' }), file({ id: 'id:SecondAAAAAAAAAAAAAAA' })]));
    expect(parsed.changes.map((change) => (change.op === 'delete' ? `delete ${change.pathLower}` : `upsert ${change.entry.dropboxId}`))).toEqual([
      'upsert id:Xb3kQ0sAAAAAAAAAAAAABw',
      'delete /projects/q3 plan.pdf',
      'upsert id:SecondAAAAAAAAAAAAAAA',
    ]);
  });

  it('applies the spec defaults for optional file fields', () => {
    const { content_hash: _hash, is_downloadable: _downloadable, path_display: _display, ...bare } = file();
    const [change] = parseListFolderPage(ROUTE, page([bare])).changes;
    expect(change).toMatchObject({ op: 'upsert', entry: { contentHash: null, isDownloadable: true, pathDisplay: '/projects/q3 plan.pdf' } });
  });

  it('keeps is_downloadable false (Paper docs)', () => {
    const [change] = parseListFolderPage(ROUTE, page([file({ name: 'Notes.paper', is_downloadable: false, export_info: { export_as: 'html' } })])).changes;
    expect(change).toMatchObject({ entry: { isDownloadable: false } });
  });

  it('skips and counts entries with an unknown tag and entries without path_lower (not mounted)', () => {
    const parsed = parseListFolderPage(ROUTE, page([{ '.tag': 'symlink_v2', name: 'x' }, file({ path_lower: undefined, path_display: undefined }), folder(), { '.tag': 'other' }]));
    expect(parsed.skipped).toBe(3);
    expect(parsed.changes).toEqual([expect.objectContaining({ op: 'upsert', entry: expect.objectContaining({ dropboxId: 'id:FolderAAAAAAAAAAAAAAAAA' }) })]);
  });

  it('reads an empty page with has_more (Dropbox sends those)', () => {
    expect(parseListFolderPage(ROUTE, page([], { has_more: true }))).toEqual({ changes: [], cursor: 'AAE-cursor', hasMore: true, skipped: 0 });
  });

  it.each([
    ['a file without rev', 1, file({ rev: undefined }), 'rev'],
    ['a file with a non-hex rev', 1, file({ rev: 'not-a-rev' }), 'not a revision'],
    ['a file with a negative size', 1, file({ size: -1 }), 'size'],
    ['a file with a fractional size', 1, file({ size: 1.5 }), 'size'],
    ['a file whose name holds "/"', 1, file({ name: 'a/b.txt' }), 'contains "/"'],
    ['a folder with an empty name', 1, folder({ name: '' }), 'name'],
    ['a file with a bad timestamp', 1, file({ server_modified: 'yesterday-ish' }), 'not a timestamp'],
    ['a file with an id not starting with id:', 1, file({ id: 'Xb3k' }), 'id'],
    ['a folder without id', 1, folder({ id: undefined }), 'id'],
    ['an entry whose path_lower is relative', 1, deleted({ path_lower: 'projects/old.txt' }), 'path_lower'],
  ])('refuses %s, naming the entry index', (_label, index, bad, fieldHint) => {
    const error = parseError(page([folder(), bad, file()]));
    expect(error.message).toContain(`unexpected response from Dropbox files/list_folder: entry ${index} (${String((bad as { '.tag': string })['.tag'])}) is malformed: `);
    expect(error.message).toContain(fieldHint);
    expect(error.route).toBe(ROUTE);
  });

  it('refuses a result without a cursor', () => {
    expect(parseError({ entries: [], has_more: false }).message).toMatch(/^unexpected response from Dropbox files\/list_folder: not a ListFolderResult: [\s\S]*cursor/);
  });

  it('refuses a result that is a string (a text body the SDK could not parse)', () => {
    expect(parseError('Internal Server Error').message).toMatch(/^unexpected response from Dropbox files\/list_folder: not a ListFolderResult/);
  });

  // Dropbox sends `%Y-%m-%dT%H:%M:%SZ` (notes §8); a zone-less or free-form date would be read in
  // the worker's local time zone, so it is refused.
  it.each([['2026-03-01T09:15:00'], ['1'], ['March 1, 2026']])('refuses the non-Dropbox timestamp %p', (timestamp) => {
    expect(parseError(page([file({ client_modified: timestamp })])).message).toContain('entry 0 (file) is malformed');
  });
});

describe('parseListFolderPage with the big list of naughty strings', () => {
  const legalNames = (JSON.parse(readFileSync(BLNS, 'utf8')) as string[]).filter((name) => name.length > 0 && !name.includes('/'));

  it('finds the 340 legal names in the corpus (so the tests below are not vacuous)', () => {
    expect(legalNames.length).toBe(340);
  });

  it('keeps every legal single-component name unchanged, as name, path and display', () => {
    const entries = legalNames.map((name, index) => file({ id: `id:blns-${index}`, name, path_lower: `/blns/${name.toLowerCase()}`, path_display: `/BLNS/${name}` }));
    const { changes, skipped } = parseListFolderPage(ROUTE, page(entries));

    expect(skipped).toBe(0);
    const names = changes.map((change) => (change.op === 'upsert' ? change.entry.name : null));
    expect(names).toEqual(legalNames);
    const displays = changes.map((change) => (change.op === 'upsert' ? change.entry.pathDisplay : null));
    expect(displays).toEqual(legalNames.map((name) => `/BLNS/${name}`));
  });

  it('keeps every legal name in deleted entries too', () => {
    const entries = legalNames.map((name) => deleted({ name, path_lower: `/blns/${name}` }));
    const { changes } = parseListFolderPage(ROUTE, page(entries));
    expect(changes).toEqual(legalNames.map((name) => ({ op: 'delete', pathLower: `/blns/${name}` })));
  });
});
