import { createHash } from 'node:crypto';

/** Dropbox hashes content in blocks of this many bytes (dropbox-api-notes.md section 7). */
export const CONTENT_HASH_BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Dropbox's `content_hash`: SHA-256 over the concatenated SHA-256 digests of each 4 MiB block,
 * as lowercase hex. Streaming, so callers can hash content they generate block by block.
 */
export class DropboxContentHasher {
  private readonly overall = createHash('sha256');
  private block = createHash('sha256');
  private blockFill = 0;

  update(data: Uint8Array): this {
    let offset = 0;
    while (offset < data.length) {
      // A block is closed only when more data arrives, so exactly 4 MiB stays one block.
      if (this.blockFill === CONTENT_HASH_BLOCK_SIZE) this.closeBlock();
      const take = Math.min(CONTENT_HASH_BLOCK_SIZE - this.blockFill, data.length - offset);
      this.block.update(data.subarray(offset, offset + take));
      this.blockFill += take;
      offset += take;
    }
    return this;
  }

  digest(): string {
    if (this.blockFill > 0) this.closeBlock();
    return this.overall.digest('hex');
  }

  private closeBlock(): void {
    this.overall.update(this.block.digest());
    this.block = createHash('sha256');
    this.blockFill = 0;
  }
}

/** `content_hash` of a whole buffer. */
export function contentHash(data: Uint8Array): string {
  return new DropboxContentHasher().update(data).digest();
}

/**
 * `content_hash` of synthetic content: `size` bytes made by repeating a 64 KiB pattern derived
 * from `seed`. The emulator stores no file bodies, yet every hash it reports is a real hash of
 * bytes it could serve, and a new revision (new seed) gets a new hash.
 */
export function syntheticContentHash(seed: string, size: number): string {
  const pattern = syntheticPattern(seed);
  // The pattern divides a block exactly, so every full block has the same digest: hash one, reuse it.
  const fullBlocks = Math.floor(size / CONTENT_HASH_BLOCK_SIZE);
  const overall = createHash('sha256');
  if (fullBlocks > 0) {
    const block = createHash('sha256');
    for (let offset = 0; offset < CONTENT_HASH_BLOCK_SIZE; offset += pattern.length) block.update(pattern);
    const digest = block.digest();
    for (let index = 0; index < fullBlocks; index += 1) overall.update(digest);
  }
  const tail = size - fullBlocks * CONTENT_HASH_BLOCK_SIZE;
  if (tail > 0) {
    const block = createHash('sha256');
    for (let offset = 0; offset < tail; offset += pattern.length) block.update(pattern.subarray(0, Math.min(pattern.length, tail - offset)));
    overall.update(block.digest());
  }
  return overall.digest('hex');
}

/** Divides CONTENT_HASH_BLOCK_SIZE exactly (see syntheticContentHash). */
const PATTERN_SIZE = 64 * 1024;

/** The repeating 64 KiB content of a synthetic file. */
export function syntheticPattern(seed: string): Buffer {
  const out = Buffer.allocUnsafe(PATTERN_SIZE);
  let digest = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < PATTERN_SIZE; offset += digest.length) {
    digest.copy(out, offset);
    digest = createHash('sha256').update(digest).digest();
  }
  return out;
}
