import { SeededRandom } from '../../../../emulator/src/seed/random';
import { SortedKeys } from '../../../../emulator/src/sorted-keys';

/** Short keys over a tiny alphabet, so inserts collide, deletes hit and prefixes abound. */
function randomKey(random: SeededRandom): string {
  const alphabet = ['a', 'b', '/', ' ', 'é', 'Z'];
  let key = '';
  const length = random.int(1, 6);
  for (let index = 0; index < length; index += 1) key += random.pick(alphabet);
  return key;
}

function naiveAfter(model: Set<string>, key: string | undefined, inclusive: boolean): string[] {
  return [...model].sort().filter((item) => key === undefined || item > key || (inclusive && item === key));
}

describe('SortedKeys against a naive sorted array', () => {
  it.each(['one', 'two', 'three'])('agrees on insert, remove, has, after and atOrAfter over random operations (seed %s)', (seed) => {
    const random = new SeededRandom(`sorted-keys:${seed}`);
    const keys = new SortedKeys();
    const model = new Set<string>();
    for (let step = 0; step < 6000; step += 1) {
      const key = randomKey(random);
      if (random.chance(0.65)) {
        keys.insert(key);
        model.add(key);
      } else {
        keys.remove(key);
        model.delete(key);
      }
      expect(keys.size).toBe(model.size);
      if (step % 500 === 0) {
        const probe = randomKey(random);
        expect(keys.has(probe)).toBe(model.has(probe));
        expect([...keys.after(probe)]).toEqual(naiveAfter(model, probe, false));
        expect([...keys.atOrAfter(probe)]).toEqual(naiveAfter(model, probe, true));
      }
    }
    // Enough keys to have split chunks several times.
    expect(model.size).toBeGreaterThan(2 * SortedKeys.CHUNK_SIZE);
    expect([...keys.after(undefined)]).toEqual([...model].sort());
  });

  it('keeps a walk in order while keys are inserted and removed between yields', () => {
    const all = Array.from({ length: 3000 }, (_, index) => `k${String(index).padStart(5, '0')}`);
    const keys = SortedKeys.fromSorted(all);
    const seen: string[] = [];
    for (const key of keys.after(undefined)) {
      seen.push(key);
      const index = Number(key.slice(1));
      // Remove the next key, and insert one just after the current one: the walk must see the insert.
      keys.remove(`k${String(index + 1).padStart(5, '0')}`);
      if (index % 2 === 0 && !key.endsWith('x')) keys.insert(`${key}x`);
    }
    expect(seen).toEqual([...keys.after(undefined)]);
    expect(seen.slice(0, 4)).toEqual(['k00000', 'k00000x', 'k00002', 'k00002x']);
  });

  it('builds from sorted keys and refuses unsorted or duplicate input', () => {
    const built = SortedKeys.fromSorted(['a', 'b', 'c']);
    expect([...built.after('a')]).toEqual(['b', 'c']);
    expect(() => SortedKeys.fromSorted(['b', 'a'])).toThrow(/not strictly ascending at 1/);
    expect(() => SortedKeys.fromSorted(['a', 'a'])).toThrow(/not strictly ascending/);
  });
});
