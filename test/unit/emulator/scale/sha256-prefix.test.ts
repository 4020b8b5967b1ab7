import { createHash } from 'node:crypto';
import { SeededRandom } from '../../../../emulator/src/seed/random';
import { PrefixHasher, sha256Small } from '../../../../emulator/src/seed/sha256-prefix';

function reference(...parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('PrefixHasher', () => {
  const buffer = new SeededRandom('prefix').fill(new Uint8Array(64 * 300 + 17));
  const hasher = new PrefixHasher(buffer);

  it('matches node:crypto for every prefix length around block boundaries and every suffix length', () => {
    const random = new SeededRandom('lengths');
    const lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 64 * 300, 64 * 300 + 17];
    for (let index = 0; index < 200; index += 1) lengths.push(random.int(0, buffer.length));
    const mismatches: string[] = [];
    for (const length of lengths) {
      for (const suffixLength of [0, 1, 8, 31, 32, 55, 64]) {
        const suffix = new SeededRandom(`suffix:${suffixLength}`).fill(new Uint8Array(suffixLength));
        if (hex(hasher.digest(length, suffix)) !== reference(buffer.subarray(0, length), suffix)) mismatches.push(`${length}+${suffixLength}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('hashes short messages like node:crypto and refuses longer ones', () => {
    for (const length of [0, 1, 32, 55, 56, 64]) {
      const message = new SeededRandom(`small:${length}`).fill(new Uint8Array(length));
      expect(hex(sha256Small(message))).toBe(reference(message));
    }
    expect(() => sha256Small(new Uint8Array(65))).toThrow(RangeError);
    expect(() => hasher.digest(3, new Uint8Array(65))).toThrow(RangeError);
  });
});
