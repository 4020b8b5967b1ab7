import { CONTENT_HASH_BLOCK_SIZE, contentHash, DropboxContentHasher, syntheticContentHash, syntheticPattern } from '../../../emulator/src/content-hash';

const MiB = 1024 * 1024;

describe('contentHash', () => {
  // Vectors from dropbox-api-notes.md section 7.
  it.each([
    ['empty input (SHA-256 of nothing: zero blocks)', Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"a"', Buffer.from('a'), 'bf5d3affb73efd2ec6c36ad3112dd933efed63c4e1cbffcfa88e2759c144f2d8'],
    ['"hello world"', Buffer.from('hello world'), 'bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423'],
    ['4 MiB of zeros (exactly one block)', Buffer.alloc(4 * MiB), 'c7e946d101855255d919ef0c70718633adf77d3dfb3adeeecf5d0cb4e951be58'],
    ['4 MiB + 1 zeros (two blocks)', Buffer.alloc(4 * MiB + 1), '14a4d47f23a30177885d9820122f17d2d3a55fe63f7f5c27b95f689e0b2accd6'],
    ['8 MiB of zeros (two full blocks)', Buffer.alloc(8 * MiB), '03ae066c707c588592d9e27aa2444ca98423e0999024f1ceaa11a153790b37de'],
  ])('hashes %s to the documented vector', (_label, input, expected) => {
    expect(contentHash(input)).toBe(expected);
  });

  it('uses 4 MiB blocks', () => {
    expect(CONTENT_HASH_BLOCK_SIZE).toBe(4_194_304);
  });
});

describe('DropboxContentHasher (streaming)', () => {
  /** Deterministic non-uniform bytes, so a misplaced block boundary changes the hash. */
  function bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = (i * 31 + (i >>> 8)) & 0xff;
    return out;
  }

  function hashInChunks(data: Buffer, chunkSizes: number[]): string {
    const hasher = new DropboxContentHasher();
    let offset = 0;
    let turn = 0;
    while (offset < data.length) {
      const size = chunkSizes[turn % chunkSizes.length]!;
      hasher.update(data.subarray(offset, offset + size));
      offset += size;
      turn += 1;
    }
    return hasher.digest();
  }

  it.each([
    ['odd small chunks across one block boundary', 4 * MiB + 12_345, [1, 7, 4099, 65_537]],
    ['a chunk that ends exactly on the block boundary, then more', 4 * MiB + 3, [4 * MiB, 1]],
    ['one chunk larger than two blocks', 9 * MiB + 1, [9 * MiB + 1]],
    ['chunks of one block minus one byte', 8 * MiB, [4 * MiB - 1]],
  ])('equals the one-shot hash for %s', (_label, length, chunkSizes) => {
    const data = bytes(length);
    expect(hashInChunks(data, chunkSizes)).toBe(contentHash(data));
  });

  it('gives the 4 MiB-of-zeros vector when fed in two halves (no extra empty block)', () => {
    const half = Buffer.alloc(2 * MiB);
    expect(new DropboxContentHasher().update(half).update(half).digest()).toBe('c7e946d101855255d919ef0c70718633adf77d3dfb3adeeecf5d0cb4e951be58');
  });

  it('ignores empty updates', () => {
    const hasher = new DropboxContentHasher().update(Buffer.alloc(0)).update(Buffer.from('hello world')).update(Buffer.alloc(0));
    expect(hasher.digest()).toBe('bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423');
  });
});

describe('syntheticContentHash', () => {
  it('is the same for the same seed and size', () => {
    expect(syntheticContentHash('seed-1', 100_000)).toBe(syntheticContentHash('seed-1', 100_000));
  });

  it('changes with the seed', () => {
    expect(syntheticContentHash('seed-1', 100_000)).not.toBe(syntheticContentHash('seed-2', 100_000));
  });

  it('changes with the size', () => {
    expect(syntheticContentHash('seed-1', 100_000)).not.toBe(syntheticContentHash('seed-1', 100_001));
  });

  it('is the empty-content hash for size 0 whatever the seed', () => {
    expect(syntheticContentHash('anything', 0)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is a 64-character lowercase hex string', () => {
    expect(syntheticContentHash('seed-1', 5 * MiB + 17)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('syntheticContentHash shortcut', () => {
  // It reuses one digest for every full 4 MiB block; it must equal hashing the bytes themselves.
  it.each([0, 1, 65_535, 65_536, 4 * 1024 * 1024 - 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 8 * 1024 * 1024 + 12_345])(
    'equals streaming the synthetic bytes of size %p through the real hasher',
    (size) => {
      const pattern = syntheticPattern('seed-x');
      const hasher = new DropboxContentHasher();
      for (let left = size; left > 0; left -= pattern.length) hasher.update(pattern.subarray(0, Math.min(pattern.length, left)));
      expect(syntheticContentHash('seed-x', size)).toBe(hasher.digest());
    },
  );
});
