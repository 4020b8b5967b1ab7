import { createHash } from 'node:crypto';
import { CONTENT_HASH_BLOCK_SIZE } from '../content-hash';
import type { FileNode } from '../metadata';
import { SeededRandom } from './random';
import { PrefixHasher, sha256Small } from './sha256-prefix';

/** At most this many bytes of the file's id end its last block, so no two files share content. */
const SALT_BYTES = 32;

/**
 * The bytes behind seeded files, defined so their real Dropbox `content_hash` is cheap. One 4 MiB
 * block `U` is drawn from the seed. A file of `size` bytes has `ceil(size / 4 MiB)` blocks: every
 * block but the last is `U`; the last, of length `t`, is `U[0, t - k)` followed by the first
 * `k = min(32, t, length of id)` bytes of the file's id (UTF-8; ids are unique, so contents are).
 * The hash is Dropbox's algorithm over those bytes (sha256 of the concatenated block digests);
 * saved SHA-256 states of `U` (see `PrefixHasher`) make it a few compressions per file.
 */
export class SyntheticCorpus {
  private block?: Buffer;
  private hasher?: PrefixHasher;
  private fullBlockDigest?: Buffer;

  constructor(private readonly seed: string) {}

  /** `content_hash` of the seeded file `id` with `size` bytes. */
  hashOf(size: number, id: string): string {
    if (size === 0) return EMPTY_HASH;
    const { hasher } = this.prepared();
    const blocks = Math.ceil(size / CONTENT_HASH_BLOCK_SIZE);
    const last = size - (blocks - 1) * CONTENT_HASH_BLOCK_SIZE;
    const salt = saltOf(id, last);
    const lastDigest = hasher.digest(last - salt.length, salt);
    if (blocks === 1) return toHex(sha256Small(lastDigest));
    const overall = createHash('sha256');
    for (let index = 1; index < blocks; index += 1) overall.update(this.fullBlockDigest!);
    overall.update(lastDigest);
    return overall.digest('hex');
  }

  /** The file's bytes, materialised; for tests and small downloads only. */
  contentOf(size: number, id: string): Buffer {
    const { block } = this.prepared();
    const out = Buffer.alloc(size);
    const blocks = Math.ceil(size / CONTENT_HASH_BLOCK_SIZE);
    for (let index = 0; index < blocks - 1; index += 1) block.copy(out, index * CONTENT_HASH_BLOCK_SIZE);
    const start = (blocks - 1) * CONTENT_HASH_BLOCK_SIZE;
    const last = size - start;
    const salt = saltOf(id, last);
    block.copy(out, start, 0, last - salt.length);
    out.set(salt, start + last - salt.length);
    return out;
  }

  /** Builds U and its saved hash states on first use (a fraction of a second). */
  private prepared(): { block: Buffer; hasher: PrefixHasher } {
    if (!this.block || !this.hasher) {
      const block = Buffer.allocUnsafe(CONTENT_HASH_BLOCK_SIZE);
      new SeededRandom(`${this.seed}:content-block`).fill(block);
      this.fullBlockDigest = createHash('sha256').update(block).digest();
      this.hasher = new PrefixHasher(block);
      this.block = block;
    }
    return { block: this.block, hasher: this.hasher };
  }
}

const EMPTY_HASH = createHash('sha256').digest('hex');
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < bytes.length; index += 1) out += HEX[bytes[index]!]!;
  return out;
}

/** The id bytes that end a last block of `last` bytes. */
function saltOf(id: string, last: number): Uint8Array {
  const bytes = Buffer.from(id, 'utf8');
  return bytes.subarray(0, Math.min(SALT_BYTES, last, bytes.length));
}

/**
 * A seeded file whose `content_hash` is computed on first read and kept: hashing a million files
 * up front would take most of the seeding budget, while a listing reads each hash once. The hash
 * is an own enumerable accessor (one shared pair of functions, so objects keep one shape) so that
 * copies made with object spread carry the value; writing it (a new revision) replaces it.
 */
export class SeededFile implements FileNode {
  readonly tag = 'file' as const;
  declare contentHash: string;
  /** @internal cached hash; undefined until first read. */
  cachedHash: string | undefined = undefined;

  constructor(
    readonly id: string,
    public name: string,
    public lower: string,
    public display: string,
    public size: number,
    public rev: string,
    public serverModified: string,
    public clientModified: string,
    /** @internal */ readonly corpus: SyntheticCorpus,
  ) {
    Object.defineProperty(this, 'contentHash', CONTENT_HASH_PROPERTY);
  }
}

const CONTENT_HASH_PROPERTY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: SeededFile): string {
    this.cachedHash ??= this.corpus.hashOf(this.size, this.id);
    return this.cachedHash;
  },
  set(this: SeededFile, value: string): void {
    this.cachedHash = value;
  },
};
