/**
 * SHA-256 of "a prefix of one fixed buffer, then a few bytes", fast. The hash state after every
 * 64-byte block of the buffer is kept (8 words per block), so hashing any prefix costs at most two
 * or three compressions instead of a Node `Hash` copy and digest per call, which dominated the
 * first listing of a million seeded files. Plain FIPS 180-4; tests compare it with node:crypto.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);
const TAIL = new Uint8Array(192);

/** One SHA-256 compression of the 64 bytes at `data[offset..]` into `state`. */
function compress(state: Int32Array, data: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i += 1) {
    const at = offset + i * 4;
    W[i] = (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
  }
  for (let i = 16; i < 64; i += 1) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i += 1) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Pads and compresses the `length` bytes in TAIL, a message of `total` bytes overall. */
function finish(state: Int32Array, length: number, total: number): Uint8Array {
  TAIL[length] = 0x80;
  const padded = length + 9 <= 64 ? 64 : length + 9 <= 128 ? 128 : 192;
  TAIL.fill(0, length + 1, padded);
  const bits = total * 8;
  // Messages here stay far below 2^53 bits; split the length into two 32-bit words.
  const high = Math.floor(bits / 0x100000000);
  for (let i = 0; i < 4; i += 1) {
    TAIL[padded - 8 + i] = (high >>> (24 - i * 8)) & 0xff;
    TAIL[padded - 4 + i] = (bits >>> (24 - i * 8)) & 0xff;
  }
  for (let offset = 0; offset < padded; offset += 64) compress(state, TAIL, offset);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i += 1) {
    const word = state[i]!;
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = (word >>> 16) & 0xff;
    out[i * 4 + 2] = (word >>> 8) & 0xff;
    out[i * 4 + 3] = word & 0xff;
  }
  return out;
}

/** SHA-256 digests of `buffer[0, n) ++ suffix` for any n, from per-block saved states. */
export class PrefixHasher {
  private readonly states: Int32Array;
  private readonly state = new Int32Array(8);

  constructor(private readonly buffer: Uint8Array) {
    const blocks = Math.floor(buffer.length / 64);
    this.states = new Int32Array((blocks + 1) * 8);
    const state = Int32Array.from(IV);
    this.states.set(state, 0);
    for (let block = 0; block < blocks; block += 1) {
      compress(state, buffer, block * 64);
      this.states.set(state, (block + 1) * 8);
    }
  }

  /** SHA-256 of the first `length` bytes of the buffer followed by `suffix` (at most 64 bytes). */
  digest(length: number, suffix: Uint8Array): Uint8Array {
    if (suffix.length > 64) throw new RangeError('suffix longer than 64 bytes');
    const block = Math.floor(length / 64);
    const state = this.state;
    state.set(this.states.subarray(block * 8, block * 8 + 8));
    const start = block * 64;
    const carried = length - start;
    for (let i = 0; i < carried; i += 1) TAIL[i] = this.buffer[start + i]!;
    TAIL.set(suffix, carried);
    return finish(state, carried + suffix.length, length + suffix.length);
  }
}

/** SHA-256 of a message of at most 64 bytes (a block digest, when hashing block digests). */
export function sha256Small(message: Uint8Array): Uint8Array {
  if (message.length > 64) throw new RangeError('message longer than 64 bytes');
  const state = Int32Array.from(IV);
  TAIL.set(message, 0);
  return finish(state, message.length, message.length);
}
