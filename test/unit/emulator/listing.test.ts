import { Account } from '../../../emulator/src/account';
import { CursorState, decodeCursor } from '../../../emulator/src/cursor';
import { ListFolderPage } from '../../../emulator/src/listing';
import { MetadataWire, toWire } from '../../../emulator/src/metadata';
import { MalformedPathError } from '../../../emulator/src/paths';
import { TreeConflictError } from '../../../emulator/src/namespace';

const AT = new Date('2026-01-01T00:00:00Z');
let accountCounter = 0;

function newAccount(): Account {
  accountCounter += 1;
  return new Account('Test User', `listing-${accountCounter}@example.com`, 'listing-test', false);
}

function base(account: Account, scope: { p?: string; r?: boolean; l: number }): Omit<CursorState, 's' | 'k' | 'i'> {
  return { v: 1, a: account.accountId, e: account.cursorEpoch, p: scope.p ?? '', r: scope.r ?? true, l: scope.l };
}

function next(account: Account, page: ListFolderPage): ListFolderPage {
  const cursor = decodeCursor(page.cursor);
  if (!cursor) throw new Error(`not an emulator cursor: ${page.cursor}`);
  return account.listing.page(cursor);
}

/** Pages until has_more is false, calling `between` after every page (to change the tree meanwhile). */
function pageToEnd(account: Account, first: ListFolderPage, between: (pageIndex: number) => void = () => {}): ListFolderPage[] {
  const pages = [first];
  between(0);
  while (pages[pages.length - 1]!.has_more) {
    pages.push(next(account, pages[pages.length - 1]!));
    between(pages.length - 1);
    if (pages.length > 10_000) throw new Error('listing does not end');
  }
  return pages;
}

function groundTruth(account: Account): MetadataWire[] {
  return [...account.namespace.all()].map(toWire);
}

/** A client-side copy built with list_folder's processing rules (dropbox-api-notes.md §4.1). */
class Replica {
  private readonly byPath = new Map<string, MetadataWire>();

  apply(pages: readonly ListFolderPage[]): this {
    for (const page of pages) for (const entry of page.entries) this.applyEntry(entry);
    return this;
  }

  entries(): MetadataWire[] {
    return [...this.byPath.keys()].sort().map((key) => this.byPath.get(key)!);
  }

  private applyEntry(entry: MetadataWire): void {
    const path = entry.path_lower;
    if (entry['.tag'] === 'folder') {
      this.byPath.set(path, entry);
      return;
    }
    this.removeBelow(path);
    if (entry['.tag'] === 'deleted') this.byPath.delete(path);
    else this.byPath.set(path, entry);
  }

  private removeBelow(path: string): void {
    for (const key of [...this.byPath.keys()]) if (key.startsWith(`${path}/`)) this.byPath.delete(key);
  }
}

function seedTree(account: Account, count: number): void {
  for (let i = 0; i < count; i += 1) {
    account.namespace.addFile(`/Top ${i % 3}/Sub ${i % 2}/file-${String(i).padStart(2, '0')}.txt`, i, AT);
  }
}

describe('ListingEngine, recursive listing pages', () => {
  it.each([1, 2, 3, 7, 50])('with limit %i returns every entry once, in path order, parents before children', (limit) => {
    const account = newAccount();
    seedTree(account, 14);
    const pages = pageToEnd(account, account.listing.start(base(account, { l: limit })));
    const listed = pages.flatMap((page) => page.entries);

    expect(listed).toEqual(groundTruth(account));
    const seen = new Set<string>();
    for (const entry of listed) {
      const parent = entry.path_lower.slice(0, entry.path_lower.lastIndexOf('/'));
      if (parent !== '') expect(seen.has(parent)).toBe(true);
      seen.add(entry.path_lower);
    }
    expect(seen.size).toBe(listed.length);
  });

  it('fills each page to the limit and flags has_more on all but the last', () => {
    const account = newAccount();
    seedTree(account, 14); // 3 top folders + 6 subfolders + 14 files = 23 entries
    const pages = pageToEnd(account, account.listing.start(base(account, { l: 5 })));

    expect(pages.map((page) => page.entries.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.map((page) => page.has_more)).toEqual([true, true, true, true, false]);
  });

  it('ends without a trailing empty page when the count is a multiple of the limit', () => {
    const account = newAccount();
    for (const name of ['a', 'b', 'c', 'd']) account.namespace.addFile(`/${name}.txt`, 1, AT);
    const pages = pageToEnd(account, account.listing.start(base(account, { l: 2 })));

    expect(pages.map((page) => page.entries.map((entry) => entry.name))).toEqual([['a.txt', 'b.txt'], ['c.txt', 'd.txt']]);
    expect(pages.map((page) => page.has_more)).toEqual([true, false]);
  });

  it('lists an empty account as one empty page without has_more', () => {
    const account = newAccount();
    const page = account.listing.start(base(account, { l: 10 }));
    expect(page.entries).toEqual([]);
    expect(page.has_more).toBe(false);
  });

  it('after the last page, the cursor reports nothing until something changes', () => {
    const account = newAccount();
    seedTree(account, 3);
    const pages = pageToEnd(account, account.listing.start(base(account, { l: 100 })));
    const quiet = next(account, pages[pages.length - 1]!);
    expect(quiet.entries).toEqual([]);
    expect(quiet.has_more).toBe(false);
  });
});

describe('ListingEngine, changes while a listing pages', () => {
  it('delivers the changes through the feed so that applying every page in order gives the final tree', () => {
    const account = newAccount();
    const ns = account.namespace;
    for (const name of ['b', 'd', 'f', 'h', 'k', 'm']) {
      ns.addFile(`/${name}/one.txt`, 1, AT);
      ns.addFile(`/${name}/two.txt`, 2, AT);
    }
    const mutations: Array<() => void> = [
      () => ns.addFile('/a/new-before-cursor.txt', 3, AT), // lands before the listing position
      () => ns.deletePath('/b'), // already delivered
      () => ns.move('/m', '/c/moved-m'), // from not yet listed to already listed
      () => ns.move('/d', '/z/moved-d'), // from already listed to not yet listed
      () => ns.modifyFile('/f/one.txt', 99, AT),
      () => ns.addFile('/k/three.txt', 4, AT),
      () => ns.deletePath('/h/two.txt'),
      () => ns.move('/z/moved-d/one.txt', '/a/one-from-d.txt'),
    ];
    // With 2 entries a page, mutation i runs after page i: /b, /b/one.txt | /b/two.txt, /d | ...
    const first = account.listing.start(base(account, { l: 2 }));
    const listing = pageToEnd(account, first, (index) => mutations[index]?.());
    const feed = pageToEnd(account, next(account, listing[listing.length - 1]!));

    // Every mutation ran while the listing was still paging.
    expect(listing.length).toBeGreaterThan(mutations.length);
    // The listing alone walks the live tree from its position: it misses what moved in behind it
    // and still holds what was deleted or moved away after it was delivered ...
    expect(listing.flatMap((page) => page.entries.map((entry) => entry.path_lower))).toEqual([
      '/b', '/b/one.txt', '/b/two.txt', '/d', '/d/one.txt', '/d/two.txt', '/f', '/f/one.txt', '/f/two.txt',
      '/h', '/h/one.txt', '/h/two.txt', '/k', '/k/one.txt', '/k/three.txt', '/k/two.txt', '/z', '/z/moved-d', '/z/moved-d/two.txt',
    ]);
    // ... and the feed that follows brings it to the final tree.
    expect(new Replica().apply([...listing, ...feed]).entries()).toEqual(groundTruth(account));
  });

  // A deterministic random walk over many trees, limits and interleavings.
  it.each([
    [1, 1],
    [2, 2],
    [3, 5],
    [4, 1],
    [5, 3],
    [6, 10],
  ])('converges for random changes between pages (seed %i, limit %i)', (seed, limit) => {
    const account = newAccount();
    const random = mulberry32(seed);
    for (let i = 0; i < 25; i += 1) randomChange(account, random);
    const first = account.listing.start(base(account, { l: limit }));
    const listing = pageToEnd(account, first, () => {
      for (let i = 0; i < 3; i += 1) randomChange(account, random);
    });
    const feed = pageToEnd(account, next(account, listing[listing.length - 1]!));

    expect(new Replica().apply([...listing, ...feed]).entries()).toEqual(groundTruth(account));
  });
});

describe('ListingEngine, scopes', () => {
  function scopedTree(): Account {
    const account = newAccount();
    account.namespace.addFile('/a/x.txt', 1, AT);
    account.namespace.addFile('/a/sub/y.txt', 1, AT);
    account.namespace.addFile('/a b/sibling.txt', 1, AT);
    account.namespace.addFile('/a.txt', 1, AT);
    account.namespace.addFile('/root.txt', 1, AT);
    return account;
  }

  function listedPaths(account: Account, scope: { p: string; r: boolean; l: number }): string[] {
    return pageToEnd(account, account.listing.start(base(account, scope))).flatMap((page) => page.entries.map((entry) => entry.path_lower));
  }

  it('a non-recursive root listing returns only the root children', () => {
    expect(listedPaths(scopedTree(), { p: '', r: false, l: 2 })).toEqual(['/a', '/a b', '/a.txt', '/root.txt']);
  });

  it('a non-recursive folder listing returns only its direct children, not itself', () => {
    expect(listedPaths(scopedTree(), { p: '/a', r: false, l: 1 })).toEqual(['/a/sub', '/a/x.txt']);
  });

  it('a recursive folder listing starts with the folder itself and excludes prefix siblings', () => {
    expect(listedPaths(scopedTree(), { p: '/a', r: true, l: 2 })).toEqual(['/a', '/a/sub', '/a/sub/y.txt', '/a/x.txt']);
  });

  it('a folder listing reports only changes inside the folder', () => {
    const account = scopedTree();
    const pages = pageToEnd(account, account.listing.start(base(account, { p: '/a', r: true, l: 10 })));
    account.namespace.addFile('/a b/outside.txt', 1, AT);
    account.namespace.addFile('/a/inside.txt', 1, AT);
    account.namespace.deletePath('/root.txt');
    account.namespace.deletePath('/a/sub');

    const feed = next(account, pages[pages.length - 1]!);
    expect(feed.entries.map((entry) => `${entry['.tag']} ${entry.path_lower}`)).toEqual(['file /a/inside.txt', 'deleted /a/sub']);
    expect(feed.has_more).toBe(false);
  });

  it('a non-recursive folder listing reports changes to direct children only', () => {
    const account = scopedTree();
    const pages = pageToEnd(account, account.listing.start(base(account, { p: '/a', r: false, l: 10 })));
    account.namespace.addFile('/a/sub/deeper.txt', 1, AT);
    account.namespace.addFile('/a/direct.txt', 1, AT);

    expect(next(account, pages[pages.length - 1]!).entries.map((entry) => entry.path_lower)).toEqual(['/a/direct.txt']);
  });
});

describe('ListingEngine, change feed', () => {
  it('a latest cursor returns only changes made after it', () => {
    const account = newAccount();
    seedTree(account, 5);
    const cursor = decodeCursor(account.listing.latest(base(account, { l: 100 })))!;
    account.namespace.addFile('/later.txt', 1, AT);
    account.namespace.deletePath('/Top 0');

    const page = account.listing.page(cursor);
    expect(page.entries.map((entry) => `${entry['.tag']} ${entry.path_lower}`)).toEqual(['file /later.txt', 'deleted /top 0']);
    expect(page.has_more).toBe(false);
  });

  it('a latest cursor with no change since gives an empty page without has_more', () => {
    const account = newAccount();
    seedTree(account, 5);
    const page = account.listing.page(decodeCursor(account.listing.latest(base(account, { l: 100 })))!);
    expect(page).toMatchObject({ entries: [], has_more: false });
  });

  it('pages the feed by the limit and flags has_more until it is drained', () => {
    const account = newAccount();
    const cursor = decodeCursor(account.listing.latest(base(account, { l: 2 })))!;
    for (const name of ['a', 'b', 'c', 'd', 'e']) account.namespace.addFile(`/${name}.txt`, 1, AT);

    const pages = pageToEnd(account, account.listing.page(cursor));
    expect(pages.map((page) => page.entries.map((entry) => entry.name))).toEqual([['a.txt', 'b.txt'], ['c.txt', 'd.txt'], ['e.txt']]);
    expect(pages.map((page) => page.has_more)).toEqual([true, true, false]);
  });

  it('reports each change as it was when it happened, in order', () => {
    const account = newAccount();
    const cursor = decodeCursor(account.listing.latest(base(account, { l: 100 })))!;
    account.namespace.addFile('/f.txt', 10, AT);
    account.namespace.modifyFile('/f.txt', 20, AT);
    account.namespace.deletePath('/f.txt');

    const page = account.listing.page(cursor);
    expect(page.entries.map((entry) => [entry['.tag'], 'size' in entry ? entry.size : null])).toEqual([
      ['file', 10],
      ['file', 20],
      ['deleted', null],
    ]);
  });
});

/** Small deterministic PRNG (mulberry32), so failures reproduce. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChange(account: Account, random: () => number): void {
  const ns = account.namespace;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const randomPath = () => `/${Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(names)).join('/')}`;
  const nodes = [...ns.all()];
  const roll = random();
  try {
    if (roll < 0.4 || nodes.length === 0) ns.addFile(`${randomPath()}.txt`, Math.floor(random() * 1000), AT);
    else if (roll < 0.55) {
      const files = nodes.filter((node) => node.tag === 'file');
      if (files.length > 0) ns.modifyFile(pick(files).display, Math.floor(random() * 1000), AT);
    } else if (roll < 0.75) ns.deletePath(pick(nodes).display);
    else ns.move(pick(nodes).display, randomPath());
  } catch (error) {
    // The random walk proposes changes that do not fit the tree; those are simply not made.
    if (!(error instanceof TreeConflictError || error instanceof MalformedPathError)) throw error;
  }
}
