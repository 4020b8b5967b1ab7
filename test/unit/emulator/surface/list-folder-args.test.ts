import { DropboxEmulator } from '../../../../emulator/src';
import { files, WireClient } from './wire-client';

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'surface-args' });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
  emulator.switches.nfdPaths = 'not_found';
});

const LF = 'files/list_folder';
const LFC = 'files/list_folder/continue';
const GLC = 'files/list_folder/get_latest_cursor';
const GM = 'files/get_metadata';

function paths(entries: Array<Record<string, unknown>>): string[] {
  return entries.map((entry) => `${String(entry['.tag'])}:${String(entry['path_lower'])}`);
}

describe('files/list_folder arguments', () => {
  it('accepts every ListFolderArg field the Python SDK sends explicitly, with spec defaults', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/A/x.txt', size: 1 }]);
    const reply = await wire.api(LF, token, {
      path: '',
      recursive: true,
      include_media_info: false,
      include_deleted: false,
      include_has_explicit_shared_members: false,
      include_mounted_folders: true,
      include_non_downloadable_files: true,
      include_restorable_info: false,
    });
    expect(reply.status).toBe(200);
    expect(paths(reply.json().entries)).toEqual(['folder:/a', 'file:/a/x.txt']);
  });

  it.each([
    [{ path: '', limit: 0 }, 'request body: limit: 0 is not greater than or equal to 1'],
    [{ path: '', limit: 2001 }, 'request body: limit: 2001 is not less than or equal to 2000'],
    [{ path: '/' }, 'request body: path: Specify the root folder as an empty string rather than as "/".'],
    [{ path: '%2Fphotos' }, `request body: path: '%2Fphotos' did not match pattern`],
    [{ path: '', recursive: 'yes' }, 'request body: recursive: expected boolean, got string'],
    [{ path: '', colour: 'blue' }, "request body: unknown field 'colour'"],
    [{ path: '', shared_link: { url: 'https://www.dropbox.com/sh/x' } }, 'request body: shared_link: listing through a shared link is not supported'],
    [{ path: '', include_property_groups: { '.tag': 'filter_all' } }, 'request body: include_property_groups: expected {".tag": "filter_some"'],
  ])('answers 400 plain text for %j', async (body, reason) => {
    const { token } = wire.newAccount();
    const reply = await wire.api(LF, token, body);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toContain(`Error in call to API function "files/list_folder": ${reason}`);
  });

  it('accepts a property-group filter (no templates exist, so entries are unchanged)', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/p.txt', size: 1 }]);
    const reply = await wire.api(LF, token, { path: '', include_property_groups: { '.tag': 'filter_some', filter_some: ['ptid:1a5n2i6d3OYEAAAAAAAAAYa'] } });
    expect(reply.status).toBe(200);
    expect(reply.json().entries).toHaveLength(1);
    expect(reply.json().entries[0]).not.toHaveProperty('property_groups');
  });

  it('include_deleted: the initial listing shows past deletions in path order; continue reports deletions either way', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [
      { op: 'add', path: '/b/keep.txt', size: 1 },
      { op: 'add', path: '/a-old.txt', size: 2 },
      { op: 'add', path: '/c/gone.txt', size: 3 },
    ]);
    wire.apply(email, [{ op: 'delete', path: '/a-old.txt' }, { op: 'delete', path: '/c/gone.txt' }], 2);
    const withDeleted = (await wire.api(LF, token, { path: '', recursive: true, include_deleted: true })).json();
    expect(paths(withDeleted.entries)).toEqual(['deleted:/a-old.txt', 'folder:/b', 'file:/b/keep.txt', 'folder:/c', 'deleted:/c/gone.txt']);
    expect(withDeleted.entries[0]).toEqual({ '.tag': 'deleted', name: 'a-old.txt', path_lower: '/a-old.txt', path_display: '/a-old.txt' });
    const without = (await wire.api(LF, token, { path: '', recursive: true, include_deleted: false })).json();
    expect(paths(without.entries)).toEqual(['folder:/b', 'file:/b/keep.txt', 'folder:/c']);

    wire.apply(email, [{ op: 'delete', path: '/b/keep.txt' }], 3);
    for (const cursor of [withDeleted.cursor, without.cursor]) {
      expect(paths((await wire.api(LFC, token, { cursor })).json().entries)).toEqual(['deleted:/b/keep.txt']);
    }
  });

  it('include_deleted pages past deletions with the limit like live entries', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, files('/d', 3));
    wire.apply(email, [{ op: 'delete', path: '/d/f002.txt' }], 2);
    const seen: string[] = [];
    let page = (await wire.api(LF, token, { path: '/d', include_deleted: true, limit: 1 })).json();
    seen.push(...paths(page.entries));
    while (page.has_more) {
      page = (await wire.api(LFC, token, { cursor: page.cursor })).json();
      seen.push(...paths(page.entries));
    }
    expect(seen).toEqual(['file:/d/f001.txt', 'deleted:/d/f002.txt', 'file:/d/f003.txt']);
  });

  it('include_non_downloadable_files: false leaves Paper docs out of listings and the change feed', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Notes/Plan.paper', size: 10 }, { op: 'add', path: '/Notes/a.txt', size: 1 }]);
    const all = (await wire.api(LF, token, { path: '/notes' })).json();
    expect(paths(all.entries)).toEqual(['file:/notes/a.txt', 'file:/notes/plan.paper']);
    const filtered = (await wire.api(LF, token, { path: '/notes', include_non_downloadable_files: false })).json();
    expect(paths(filtered.entries)).toEqual(['file:/notes/a.txt']);

    wire.apply(email, [{ op: 'add', path: '/Notes/Later.paper', size: 5 }, { op: 'add', path: '/Notes/b.txt', size: 2 }], 2);
    expect(paths((await wire.api(LFC, token, { cursor: filtered.cursor })).json().entries)).toEqual(['file:/notes/b.txt']);
    expect(paths((await wire.api(LFC, token, { cursor: all.cursor })).json().entries)).toEqual(['file:/notes/later.paper', 'file:/notes/b.txt']);
  });

  it('include_has_explicit_shared_members and include_restorable_info add their fields, carried by the cursor', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/s/a.txt', size: 1 }]);
    const first = (await wire.api(LF, token, { path: '/s', include_has_explicit_shared_members: true, include_restorable_info: true })).json();
    expect(first.entries[0]).toMatchObject({ '.tag': 'file', has_explicit_shared_members: false });
    wire.apply(email, [{ op: 'delete', path: '/s/a.txt' }, { op: 'add', path: '/s/b.txt', size: 2 }], 2);
    const next = (await wire.api(LFC, token, { cursor: first.cursor })).json();
    expect(next.entries).toEqual([
      { '.tag': 'deleted', name: 'a.txt', path_lower: '/s/a.txt', path_display: '/s/a.txt', is_restorable: true },
      expect.objectContaining({ '.tag': 'file', path_lower: '/s/b.txt', has_explicit_shared_members: false }),
    ]);
    const plain = (await wire.api(LF, token, { path: '/s' })).json();
    expect(plain.entries[0]).not.toHaveProperty('has_explicit_shared_members');
  });

  it('include_media_info is accepted and never adds media_info', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/photo.jpg', size: 100 }]);
    const reply = await wire.api(LF, token, { path: '', include_media_info: true });
    expect(reply.status).toBe(200);
    expect(reply.json().entries[0]).not.toHaveProperty('media_info');
  });

  it('ns:<home namespace> lists the root; ns:<home>/path a folder; another namespace is not_found', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Docs/a.txt', size: 1 }]);
    const namespaceId = emulator.account(email).namespaceId;
    expect(paths((await wire.api(LF, token, { path: `ns:${namespaceId}` })).json().entries)).toEqual(['folder:/docs']);
    expect(paths((await wire.api(LF, token, { path: `ns:${namespaceId}/Docs` })).json().entries)).toEqual(['file:/docs/a.txt']);
    const other = await wire.api(LF, token, { path: 'ns:1/Docs' });
    expect(other.status).toBe(409);
    expect(other.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
  });

  it('a path with an empty component is 409 path/malformed_path', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/a/b.txt', size: 1 }]);
    const reply = await wire.api(LF, token, { path: '/a//b' });
    expect(reply.status).toBe(409);
    expect(reply.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'malformed_path' } });
  });
});

describe('list_folder/continue and get_latest_cursor', () => {
  it('continue takes only {cursor}: any other field is 400 naming it', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/x/1.txt', size: 1 }]);
    const { cursor } = (await wire.api(LF, token, { path: '/x' })).json();
    const reply = await wire.api(LFC, token, { cursor, limit: 5 });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe(`Error in call to API function "files/list_folder/continue": request body: unknown field 'limit'`);
  });

  it('get_latest_cursor takes ListFolderArg and its cursor applies the same options', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/n/old.txt', size: 1 }]);
    const reply = await wire.api(GLC, token, { path: '/n', include_non_downloadable_files: false, include_has_explicit_shared_members: true });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json())).toEqual(['cursor']);
    wire.apply(email, [{ op: 'add', path: '/n/doc.paper', size: 3 }, { op: 'add', path: '/n/new.txt', size: 2 }], 2);
    const next = (await wire.api(LFC, token, { cursor: reply.json().cursor })).json();
    expect(next.entries).toEqual([expect.objectContaining({ path_lower: '/n/new.txt', has_explicit_shared_members: false })]);
    expect((await wire.api(GLC, token, { path: '', limit: 0 })).status).toBe(400);
  });
});

describe('files/get_metadata', () => {
  it.each([
    ['', 'request body: path: The root folder is unsupported.'],
    ['/', 'request body: path: The root folder is unsupported.'],
    ['docs/a.txt', `request body: path: 'docs/a.txt' did not match pattern`],
  ])('answers 400 for path %j', async (path, reason) => {
    const { token } = wire.newAccount();
    const reply = await wire.api(GM, token, { path });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain(`Error in call to API function "files/get_metadata": ${reason}`);
  });

  it('include_deleted: a deleted path answers DeletedMetadata when true, not_found when false', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Gone/File.txt', size: 1 }]);
    wire.apply(email, [{ op: 'delete', path: '/Gone/File.txt' }], 2);
    const deleted = await wire.api(GM, token, { path: '/gone/file.txt', include_deleted: true });
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toEqual({ '.tag': 'deleted', name: 'File.txt', path_lower: '/gone/file.txt', path_display: '/Gone/File.txt' });
    const missing = await wire.api(GM, token, { path: '/gone/file.txt' });
    expect(missing.status).toBe(409);
    expect(missing.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
    const never = await wire.api(GM, token, { path: '/never.txt', include_deleted: true });
    expect(never.status).toBe(409);
  });

  it('resolves id: and rev: paths to the item where it lives now', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/a/one.txt', size: 1 }]);
    const file = (await wire.api(GM, token, { path: '/a/one.txt' })).json();
    wire.apply(email, [{ op: 'move', from: '/a/one.txt', to: '/b/One.txt', size: null }], 2);
    expect((await wire.api(GM, token, { path: file['id'] })).json()).toMatchObject({ path_lower: '/b/one.txt', id: file['id'] });
    expect((await wire.api(GM, token, { path: `rev:${String(file['rev'])}` })).json()).toMatchObject({ path_lower: '/b/one.txt' });
  });

  it('include_has_explicit_shared_members adds the flag to files', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/f.txt', size: 1 }]);
    expect((await wire.api(GM, token, { path: '/f.txt', include_has_explicit_shared_members: true })).json()).toMatchObject({ has_explicit_shared_members: false });
  });
});

describe('Unicode normalisation (dropbox-api-notes.md §1.6)', () => {
  const nfc = '/Caf\u00e9/r\u00e9sum\u00e9.txt';
  const nfd = nfc.normalize('NFD');

  it('stores names in NFC and, by default, answers an NFD path with not_found', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: nfd, size: 1 }]);
    const found = await wire.api(GM, token, { path: nfc });
    expect(found.status).toBe(200);
    expect(found.json()['path_display']).toBe(nfc);
    const viaNfd = await wire.api(GM, token, { path: nfd });
    expect(viaNfd.status).toBe(409);
    expect(viaNfd.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
    expect((await wire.api(LF, token, { path: '/Cafe\u0301' })).status).toBe(409);
  });

  it('with nfdPaths "normalise", an NFD path finds its NFC item', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: nfc, size: 1 }]);
    emulator.switches.nfdPaths = 'normalise';
    expect((await wire.api(GM, token, { path: nfd })).json()['path_lower']).toBe(nfc.toLowerCase());
    expect((await wire.api(LF, token, { path: '/Cafe\u0301' })).status).toBe(200);
  });
});
