/**
 * A sorted set of strings with ordered iteration from any key, kept as a list of sorted chunks
 * (the layout of Python's `sortedcontainers`). A lookup is two binary searches; an insert or a
 * delete moves at most one chunk's worth of pointers plus the chunk index, so a million keys stay
 * cheap to mutate, and a listing page costs its own size plus a search, not the size of the tree.
 */
export class SortedKeys {
  /** Non-empty sorted chunks; every key of chunk i sorts before every key of chunk i + 1. */
  private chunks: string[][] = [];
  /** First key of each chunk, for the outer binary search. */
  private firsts: string[] = [];
  private count = 0;
  /** Bumped on every structural change, so a paused walk knows to re-find its place. */
  private version = 0;

  /** Chunks split when they grow past twice this size. */
  static readonly CHUNK_SIZE = 512;

  /** Builds the set from keys already in ascending order without duplicates, in linear time. */
  static fromSorted(keys: readonly string[]): SortedKeys {
    const set = new SortedKeys();
    for (let index = 1; index < keys.length; index += 1) {
      if (!(keys[index - 1]! < keys[index]!)) throw new Error(`fromSorted: keys are not strictly ascending at ${index}`);
    }
    for (let start = 0; start < keys.length; start += SortedKeys.CHUNK_SIZE) {
      const chunk = keys.slice(start, start + SortedKeys.CHUNK_SIZE);
      set.chunks.push(chunk);
      set.firsts.push(chunk[0]!);
    }
    set.count = keys.length;
    return set;
  }

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const chunk = this.chunks[this.chunkFor(key)];
    if (!chunk) return false;
    return chunk[lowerBound(chunk, key)] === key;
  }

  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.firsts.push(key);
      this.count = 1;
      this.version += 1;
      return;
    }
    const at = this.chunkFor(key);
    const chunk = this.chunks[at]!;
    const index = lowerBound(chunk, key);
    if (chunk[index] === key) return;
    chunk.splice(index, 0, key);
    if (index === 0) this.firsts[at] = key;
    this.count += 1;
    this.version += 1;
    if (chunk.length > 2 * SortedKeys.CHUNK_SIZE) {
      const tail = chunk.splice(SortedKeys.CHUNK_SIZE);
      this.chunks.splice(at + 1, 0, tail);
      this.firsts.splice(at + 1, 0, tail[0]!);
    }
  }

  remove(key: string): void {
    const at = this.chunkFor(key);
    const chunk = this.chunks[at];
    if (!chunk) return;
    const index = lowerBound(chunk, key);
    if (chunk[index] !== key) return;
    chunk.splice(index, 1);
    this.count -= 1;
    this.version += 1;
    if (chunk.length === 0) {
      this.chunks.splice(at, 1);
      this.firsts.splice(at, 1);
    } else if (index === 0) {
      this.firsts[at] = chunk[0]!;
    }
  }

  /** Keys strictly greater than `key` (all keys when undefined), in order. */
  after(key: string | undefined): IterableIterator<string> {
    return this.walk(key, false);
  }

  /** Keys greater than or equal to `key`, in order. */
  atOrAfter(key: string): IterableIterator<string> {
    return this.walk(key, true);
  }

  private *walk(from: string | undefined, inclusive: boolean): IterableIterator<string> {
    let [chunkIndex, index] = this.position(from, inclusive);
    let version = this.version;
    while (chunkIndex < this.chunks.length) {
      const chunk = this.chunks[chunkIndex]!;
      if (index >= chunk.length) {
        chunkIndex += 1;
        index = 0;
        continue;
      }
      const current = chunk[index]!;
      yield current;
      // The set may have changed while the caller held the key; re-find our place if it did.
      if (this.version !== version) {
        [chunkIndex, index] = this.position(current, false);
        version = this.version;
      } else {
        index += 1;
      }
    }
  }

  /** Chunk and offset of the first key above `from` (or at it, when inclusive). */
  private position(from: string | undefined, inclusive: boolean): [number, number] {
    if (from === undefined) return [0, 0];
    const at = this.chunkFor(from);
    const chunk = this.chunks[at];
    if (!chunk) return [0, 0];
    return [at, inclusive ? lowerBound(chunk, from) : upperBound(chunk, from)];
  }

  /** Index of the last chunk whose first key is <= `key` (0 when `key` sorts before them all). */
  private chunkFor(key: string): number {
    const firsts = this.firsts;
    let lo = 0;
    let hi = firsts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (firsts[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : lo - 1;
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
