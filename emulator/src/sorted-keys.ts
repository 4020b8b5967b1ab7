/**
 * A sorted set of strings with ordered iteration from any key. Listing pages walk it, so a page
 * costs its own size plus a binary search, not the size of the tree.
 */
export class SortedKeys {
  private readonly keys: string[] = [];

  insert(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] !== key) this.keys.splice(index, 0, key);
  }

  remove(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] === key) this.keys.splice(index, 1);
  }

  /** Keys strictly greater than `key` (all keys when undefined), in order. */
  after(key: string | undefined): IterableIterator<string> {
    return this.walk(key === undefined ? 0 : this.upperBound(key));
  }

  /** Keys greater than or equal to `key`, in order. */
  atOrAfter(key: string): IterableIterator<string> {
    return this.walk(this.lowerBound(key));
  }

  private *walk(start: number): IterableIterator<string> {
    let index = start;
    while (index < this.keys.length) {
      const current = this.keys[index]!;
      yield current;
      // The set may change between yields; re-find our place if it did.
      if (this.keys[index] === current) index += 1;
      else index = this.upperBound(current);
    }
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
