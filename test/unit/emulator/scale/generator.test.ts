import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { contentHash } from '../../../../emulator/src/content-hash';
import { toWire } from '../../../../emulator/src/metadata';
import { toLower } from '../../../../emulator/src/paths';
import { DEFAULT_BLNS_FILE, generateTree, GeneratedTree, loadNaughtyNames, sanitiseName, SeededFile } from '../../../../emulator/src/seed';

/** A digest of everything a client could see, so "same tree" means same bytes on the wire. */
function treeDigest(tree: GeneratedTree): string {
  const hash = createHash('sha256');
  for (const node of tree.nodes) hash.update(JSON.stringify(toWire(node)));
  return hash.digest('hex');
}

describe('generateTree', () => {
  let tree: GeneratedTree;
  beforeAll(() => {
    tree = generateTree({ entries: 30_000, seed: 'shape' });
  });

  it('is deterministic: the same seed gives the same names, ids, revisions, sizes, times and hashes', () => {
    const again = generateTree({ entries: 30_000, seed: 'shape' });
    expect(treeDigest(again)).toBe(treeDigest(tree));
    const other = generateTree({ entries: 30_000, seed: 'other' });
    expect(treeDigest(other)).not.toBe(treeDigest(tree));
  });

  it('creates exactly the requested number of entries, sorted by path_lower, with unique ids and paths', () => {
    expect(tree.nodes).toHaveLength(30_000);
    expect(new Set(tree.nodes.map((node) => node.id)).size).toBe(30_000);
    const unordered = tree.nodes.filter((node, index) => index > 0 && !(tree.nodes[index - 1]!.lower < node.lower));
    expect(unordered).toEqual([]);
    expect(tree.stats.files + tree.stats.folders).toBe(30_000);
  });

  it('derives path_lower the way the server does and keeps every parent present as a folder', () => {
    const folders = new Map(tree.nodes.filter((node) => node.tag === 'folder').map((node) => [node.lower, node]));
    const wrong = tree.nodes.filter((node) => {
      const parent = node.lower.slice(0, node.lower.lastIndexOf('/'));
      const parentOk = parent === '' || folders.get(parent)?.display === node.display.slice(0, node.display.lastIndexOf('/'));
      return node.lower !== toLower(node.display) || !node.display.endsWith(`/${node.name}`) || !parentOk;
    });
    expect(wrong.map((node) => node.display)).toEqual([]);
  });

  it('uses every BLNS string as a name (after the documented sanitisation)', () => {
    const raw = JSON.parse(readFileSync(DEFAULT_BLNS_FILE, 'utf8')) as string[];
    const names = new Set(tree.nodes.map((node) => node.name));
    const expected = raw.map(sanitiseName).filter((name): name is string => name !== undefined);
    expect(expected.length).toBeGreaterThan(500);
    expect(expected.filter((name) => !names.has(name))).toEqual([]);
    expect(tree.stats.requiredNames).toBe(loadNaughtyNames().length);
  });

  it('sanitises only what Dropbox refuses', () => {
    expect(sanitiseName('1/2')).toBe('1\u22152');
    expect(sanitiseName('')).toBeUndefined();
    expect(sanitiseName('.')).toBeUndefined();
    expect(sanitiseName('trailing. ')).toBe('trailing. ');
    expect(sanitiseName('e\u0301')).toBe('\u00e9');
  });

  it('has a realistic shape: most files at depth 2-6, deep chains, skewed fan-out', () => {
    const { fileDepths, files, maxDepth, maxChildren } = tree.stats;
    const shallow = fileDepths.slice(2, 7).reduce((sum, count) => sum + count, 0);
    expect(shallow / files).toBeGreaterThan(0.8);
    expect(maxDepth).toBeGreaterThanOrEqual(12);
    expect(maxDepth).toBeLessThanOrEqual(22);
    const childCounts = new Map<string, number>();
    for (const node of tree.nodes) {
      const parent = node.lower.slice(0, node.lower.lastIndexOf('/'));
      childCounts.set(parent, (childCounts.get(parent) ?? 0) + 1);
    }
    const counts = [...childCounts.values()].sort((a, b) => a - b);
    const median = counts[Math.floor(counts.length / 2)]!;
    expect(median).toBeLessThanOrEqual(15);
    expect(maxChildren).toBeGreaterThan(20 * median);
    expect(Math.max(...counts)).toBe(maxChildren);
  });

  it('draws sizes, extensions and timestamps from wide, realistic ranges', () => {
    const files = tree.nodes.filter((node) => node.tag === 'file');
    const sizes = files.map((file) => file.size).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]!).toBeLessThan(1_000_000);
    expect(sizes[sizes.length - 1]!).toBeGreaterThan(1024 ** 3);
    const extensions = new Set(files.map((file) => file.name.slice(file.name.lastIndexOf('.') + 1)));
    for (const extension of ['pdf', 'jpg', 'ts', 'zip', 'paper', 'mp4']) expect(extensions.has(extension)).toBe(true);
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    let earlier = 0;
    let later = 0;
    let equal = 0;
    const years = new Set<string>();
    expect(files.filter((file) => !stamp.test(file.serverModified) || !stamp.test(file.clientModified))).toEqual([]);
    for (const file of files) {
      years.add(file.serverModified.slice(0, 4));
      if (file.clientModified < file.serverModified) earlier += 1;
      else if (file.clientModified > file.serverModified) later += 1;
      else equal += 1;
    }
    expect(years.size).toBeGreaterThanOrEqual(6);
    for (const share of [earlier, later, equal]) expect(share / files.length).toBeGreaterThan(0.05);
  });

  it("reports each file's real content_hash: Dropbox's algorithm over the bytes the corpus defines", () => {
    const files = tree.nodes.filter((node): node is SeededFile => node instanceof SeededFile);
    const small = files.filter((file) => file.size < 300_000).slice(0, 40);
    for (const file of small) expect(file.contentHash).toBe(contentHash(file.corpus.contentOf(file.size, file.id)));
    const multiBlock = files.find((file) => file.size > 9 * 1024 * 1024 && file.size < 40 * 1024 * 1024)!;
    expect(multiBlock.contentHash).toBe(contentHash(multiBlock.corpus.contentOf(multiBlock.size, multiBlock.id)));
    const nonEmpty = files.filter((file) => file.size > 0).slice(0, 3000);
    expect(new Set(nonEmpty.map((file) => file.contentHash)).size).toBe(nonEmpty.length);
  });

  it('keeps the lazily computed hash through object spread and lets a new revision replace it', () => {
    const file = tree.nodes.find((node): node is SeededFile => node instanceof SeededFile && node.size > 0)!;
    const copy = { ...file };
    expect(copy.contentHash).toBe(file.contentHash);
    file.contentHash = 'f'.repeat(64);
    expect(toWire(file)).toMatchObject({ content_hash: 'f'.repeat(64) });
  });

  it('refuses sizes it cannot build', () => {
    expect(() => generateTree({ entries: -1 })).toThrow(RangeError);
    expect(() => generateTree({ entries: 1.5 })).toThrow('entries must be a whole number');
  });
});
