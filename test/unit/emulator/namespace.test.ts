import { Namespace, TreeConflictError } from '../../../emulator/src/namespace';
import type { MetadataWire } from '../../../emulator/src/metadata';

const AT = new Date('2026-03-01T09:15:00.000Z');

function namespace(options: { reportCaseOnlyRenames?: boolean } = {}): Namespace {
  return new Namespace({ seed: 'namespace-test', reportCaseOnlyRenames: options.reportCaseOnlyRenames ?? false });
}

/** The change log from `seq` on, as `tag path_lower` lines. */
function logSince(ns: Namespace, seq: number): string[] {
  return ns.changesSince(seq).map((change) => `${change.metadata['.tag']} ${change.lower}`);
}

function paths(ns: Namespace): string[] {
  return [...ns.all()].map((node) => node.lower);
}

describe('Namespace.addFile', () => {
  it('creates missing parent folders and logs each before the file', () => {
    const ns = namespace();
    const file = ns.addFile('/Projects/Q3/Plan.pdf', 48_213, AT);

    expect(logSince(ns, 0)).toEqual(['folder /projects', 'folder /projects/q3', 'file /projects/q3/plan.pdf']);
    expect(paths(ns)).toEqual(['/projects', '/projects/q3', '/projects/q3/plan.pdf']);
    expect(file).toMatchObject({ tag: 'file', name: 'Plan.pdf', lower: '/projects/q3/plan.pdf', display: '/Projects/Q3/Plan.pdf', size: 48_213 });
  });

  it('logs the file with the wire shape of a listing entry', () => {
    const ns = namespace();
    const file = ns.addFile('/a.txt', 11, AT);

    expect(ns.changesSince(0)[0]).toEqual({
      seq: 1,
      lower: '/a.txt',
      metadata: {
        '.tag': 'file',
        name: 'a.txt',
        id: file.id,
        path_lower: '/a.txt',
        path_display: '/a.txt',
        client_modified: '2026-03-01T09:15:00Z',
        server_modified: '2026-03-01T09:15:00Z',
        rev: file.rev,
        size: 11,
        is_downloadable: true,
        content_hash: file.contentHash,
      },
    });
    expect(file.id).toMatch(/^id:[A-Za-z0-9_-]{22}$/);
    expect(file.rev).toMatch(/^[0-9a-f]{9,}$/);
    expect(file.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reuses existing parents, keeping their casing in the new path_display', () => {
    const ns = namespace();
    ns.addFile('/Docs/a.txt', 1, AT);
    const before = ns.headSeq;
    const file = ns.addFile('/DOCS/b.txt', 1, AT);

    expect(logSince(ns, before)).toEqual(['file /docs/b.txt']);
    expect(file.display).toBe('/Docs/b.txt');
  });

  it('gives every item its own id', () => {
    const ns = namespace();
    ns.addFile('/a/b/c.txt', 1, AT);
    ns.addFile('/a/d.txt', 1, AT);
    const ids = [...ns.all()].map((node) => node.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('is deterministic for the same seed and history', () => {
    const build = () => {
      const ns = namespace();
      ns.addFile('/x/y.txt', 10, AT);
      ns.modifyFile('/x/y.txt', 20, AT);
      return [...ns.all()];
    };
    expect(build()).toEqual(build());
  });
});

describe('Namespace.modifyFile', () => {
  it('keeps the id and gives a new rev, hash, size and times', () => {
    const ns = namespace();
    const added = { ...ns.addFile('/r.txt', 10, AT) };
    const later = new Date('2026-04-02T10:00:00.999Z');
    const modified = ns.modifyFile('/r.txt', 20, later);

    expect(modified.id).toBe(added.id);
    expect(modified.rev).not.toBe(added.rev);
    expect(modified.contentHash).not.toBe(added.contentHash);
    expect(modified).toMatchObject({ size: 20, serverModified: '2026-04-02T10:00:00Z', clientModified: '2026-04-02T10:00:00Z' });
    expect(logSince(ns, 1)).toEqual(['file /r.txt']);
  });
});

describe('Namespace.move', () => {
  it('keeps ids of the item and its descendants', () => {
    const ns = namespace();
    ns.addFile('/src/deep/f.txt', 1, AT);
    const idsBefore = [...ns.all()].map((node) => node.id);

    ns.move('/src', '/dst');

    expect(paths(ns)).toEqual(['/dst', '/dst/deep', '/dst/deep/f.txt']);
    expect([...ns.all()].map((node) => node.id)).toEqual(idsBefore);
  });

  it('logs a deleted entry for the old path, then the item and every descendant at the new paths', () => {
    const ns = namespace();
    ns.addFile('/Src/deep/f.txt', 1, AT);
    ns.addFile('/Src/g.txt', 1, AT);
    const before = ns.headSeq;

    ns.move('/Src', '/Archive/Moved');

    expect(logSince(ns, before)).toEqual([
      'folder /archive',
      'deleted /src',
      'folder /archive/moved',
      'folder /archive/moved/deep',
      'file /archive/moved/deep/f.txt',
      'file /archive/moved/g.txt',
    ]);
    const deleted = ns.changesSince(before)[1]!.metadata;
    expect(deleted).toEqual({ '.tag': 'deleted', name: 'Src', path_lower: '/src', path_display: '/Src' });
    const movedFile = ns.get('/archive/moved/deep/f.txt')!;
    expect(movedFile).toMatchObject({ name: 'f.txt', display: '/Archive/Moved/deep/f.txt' });
  });

  it('renames the moved item itself', () => {
    const ns = namespace();
    ns.addFile('/old name.txt', 1, AT);
    ns.move('/old name.txt', '/New Name.txt');
    expect(ns.get('/new name.txt')).toMatchObject({ name: 'New Name.txt', display: '/New Name.txt' });
    expect(ns.get('/old name.txt')).toBeUndefined();
  });

  it('keeps rev and content hash of a moved file', () => {
    const ns = namespace();
    const { rev, contentHash } = ns.addFile('/a.txt', 5, AT);
    ns.move('/a.txt', '/b.txt');
    expect(ns.get('/b.txt')).toMatchObject({ rev, contentHash });
  });
});

describe('Namespace.move, case-only rename', () => {
  it('changes name and display of the item and its descendants but logs nothing by default', () => {
    const ns = namespace();
    ns.addFile('/docs/sub/a.txt', 1, AT);
    const before = ns.headSeq;

    ns.move('/docs', '/DOCS');

    expect(ns.headSeq).toBe(before);
    expect(ns.get('/docs')).toMatchObject({ name: 'DOCS', display: '/DOCS' });
    expect(ns.get('/docs/sub')).toMatchObject({ name: 'sub', display: '/DOCS/sub' });
    expect(ns.get('/docs/sub/a.txt')).toMatchObject({ name: 'a.txt', display: '/DOCS/sub/a.txt' });
  });

  it('logs the renamed item (and only it) when reportCaseOnlyRenames is true', () => {
    const ns = namespace({ reportCaseOnlyRenames: true });
    ns.addFile('/docs/a.txt', 1, AT);
    const folder = ns.get('/docs')!;
    const before = ns.headSeq;

    ns.move('/docs', '/Docs');

    expect(ns.changesSince(before).map((change) => change.metadata)).toEqual([
      { '.tag': 'folder', name: 'Docs', id: folder.id, path_lower: '/docs', path_display: '/Docs' },
    ]);
  });

  it('renames only the last component even when the target spells a parent differently', () => {
    const ns = namespace();
    ns.addFile('/Parent/child.txt', 1, AT);
    ns.move('/Parent/child.txt', '/parent/Child.txt');
    expect(ns.get('/parent/child.txt')).toMatchObject({ name: 'Child.txt', display: '/Parent/Child.txt' });
    expect(ns.get('/parent')).toMatchObject({ display: '/Parent' });
  });
});

describe('Namespace.deletePath', () => {
  it('removes a folder with its whole subtree and logs one deleted entry', () => {
    const ns = namespace();
    ns.addFile('/gone/a/b.txt', 1, AT);
    ns.addFile('/gone/c.txt', 1, AT);
    ns.addFile('/kept.txt', 1, AT);
    const before = ns.headSeq;

    ns.deletePath('/Gone');

    expect(paths(ns)).toEqual(['/kept.txt']);
    expect(ns.changesSince(before).map((change) => change.metadata)).toEqual([
      { '.tag': 'deleted', name: 'gone', path_lower: '/gone', path_display: '/gone' } satisfies MetadataWire,
    ]);
  });

  it('removes a single file', () => {
    const ns = namespace();
    ns.addFile('/d/f.txt', 1, AT);
    ns.deletePath('/d/f.txt');
    expect(paths(ns)).toEqual(['/d']);
    expect(logSince(ns, 2)).toEqual(['deleted /d/f.txt']);
  });
});

describe('Namespace conflicts', () => {
  it('refuses to add over an existing path, whatever its case', () => {
    const ns = namespace();
    ns.addFile('/a.txt', 1, AT);
    expect(() => ns.addFile('/A.TXT', 2, AT)).toThrow(new TreeConflictError('cannot add /A.TXT: something is already there'));
  });

  it('refuses to add a file over an existing folder', () => {
    const ns = namespace();
    ns.addFile('/dir/x.txt', 1, AT);
    expect(() => ns.addFile('/dir', 1, AT)).toThrow(TreeConflictError);
  });

  it('refuses to add below a file', () => {
    const ns = namespace();
    ns.addFile('/f.txt', 1, AT);
    const before = ns.headSeq;
    expect(() => ns.addFile('/f.txt/child.txt', 1, AT)).toThrow(new TreeConflictError('/f.txt is a file, not a folder'));
    expect(ns.headSeq).toBe(before);
  });

  it('refuses to move onto an existing path and changes nothing', () => {
    const ns = namespace();
    ns.addFile('/a.txt', 1, AT);
    ns.addFile('/b.txt', 1, AT);
    const before = ns.headSeq;
    expect(() => ns.move('/a.txt', '/B.txt')).toThrow(new TreeConflictError('cannot move to /B.txt: something is already there'));
    expect(paths(ns)).toEqual(['/a.txt', '/b.txt']);
    expect(ns.headSeq).toBe(before);
  });

  it('refuses to modify a folder', () => {
    const ns = namespace();
    ns.addFile('/dir/x.txt', 1, AT);
    expect(() => ns.modifyFile('/dir', 5, AT)).toThrow(new TreeConflictError('cannot modify /dir: it is a folder'));
  });

  it('refuses to move a folder into itself and changes nothing', () => {
    const ns = namespace();
    ns.addFile('/dir/x.txt', 1, AT);
    const before = ns.headSeq;
    expect(() => ns.move('/dir', '/dir/inner/dir')).toThrow(new TreeConflictError('cannot move /dir into itself'));
    expect(paths(ns)).toEqual(['/dir', '/dir/x.txt']);
    expect(ns.headSeq).toBe(before);
  });

  it.each([
    ['modify', (ns: Namespace) => ns.modifyFile('/missing.txt', 1, AT)],
    ['delete', (ns: Namespace) => ns.deletePath('/missing.txt')],
    ['move', (ns: Namespace) => ns.move('/missing.txt', '/else.txt')],
  ])('refuses to %s a missing path', (_op, act) => {
    const ns = namespace();
    expect(() => act(ns)).toThrow(new TreeConflictError('/missing.txt does not exist'));
  });
});

describe('Namespace and Unicode normalisation', () => {
  const nfc = '/caf\u00e9/r\u00e9sum\u00e9.txt';
  const nfd = '/cafe\u0301/re\u0301sume\u0301.txt';

  it('stores names, paths and keys in NFC when given NFD', () => {
    const ns = namespace();
    const file = ns.addFile(nfd, 1, AT);
    expect(file.lower).toBe(nfc);
    expect(file.display).toBe(nfc);
    expect(file.name).toBe('r\u00e9sum\u00e9.txt');
  });

  it('finds an NFC-added file through an NFD path (modify, move, delete)', () => {
    const ns = namespace();
    const { id } = ns.addFile(nfc, 1, AT);

    expect(ns.modifyFile(nfd, 2, AT).id).toBe(id);
    ns.move(nfd, '/cafe\u0301/other.txt');
    expect(ns.get('/caf\u00e9/other.txt')?.id).toBe(id);
    ns.deletePath('/cafe\u0301');
    expect(ns.size).toBe(0);
  });

  it('treats the NFD spelling of an existing path as the same path when adding', () => {
    const ns = namespace();
    ns.addFile(nfc, 1, AT);
    expect(() => ns.addFile(nfd, 1, AT)).toThrow(TreeConflictError);
  });
});

describe('Namespace and sibling paths that share a prefix', () => {
  /** `/a b`, `/a-x` and `/a.txt` sort between `/a` and `/a/` but are not inside `/a`. */
  function withSiblings(): Namespace {
    const ns = namespace();
    ns.addFile('/a/inside.txt', 1, AT);
    ns.addFile('/a b/x.txt', 1, AT);
    ns.addFile('/a-x/y.txt', 1, AT);
    ns.addFile('/a.txt', 1, AT);
    ns.addFile('/a0.txt', 1, AT);
    return ns;
  }

  it('deleting /a keeps the siblings', () => {
    const ns = withSiblings();
    ns.deletePath('/a');
    expect(paths(ns)).toEqual(['/a b', '/a b/x.txt', '/a-x', '/a-x/y.txt', '/a.txt', '/a0.txt']);
  });

  it('moving /a moves only /a and its children', () => {
    const ns = withSiblings();
    const before = ns.headSeq;
    ns.move('/a', '/z');
    expect(logSince(ns, before)).toEqual(['deleted /a', 'folder /z', 'file /z/inside.txt']);
    expect(paths(ns)).toEqual(['/a b', '/a b/x.txt', '/a-x', '/a-x/y.txt', '/a.txt', '/a0.txt', '/z', '/z/inside.txt']);
  });

  it('a case-only rename of /a leaves the siblings display untouched', () => {
    const ns = withSiblings();
    ns.move('/a', '/A');
    expect(ns.get('/a b/x.txt')?.display).toBe('/a b/x.txt');
    expect(ns.get('/a/inside.txt')?.display).toBe('/A/inside.txt');
  });

  it('moving /a to /a b/a is not a move into itself', () => {
    const ns = withSiblings();
    ns.move('/a', '/a b/a');
    expect(ns.get('/a b/a/inside.txt')?.display).toBe('/a b/a/inside.txt');
  });
});
