import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlindIndex, DecryptionError, FieldCipher, Keyring, KeyringError } from '../../../src/crypto';

const key = () => randomBytes(32);

describe('FieldCipher', () => {
  const keyring = Keyring.of(new Map([[1, key()]]), key());
  const cipher = new FieldCipher(keyring);

  it('round-trips text, including hostile names, and never stores the plaintext', () => {
    for (const plain of ['', 'Plan.paper', '/Ünïcode/ＦＵＬＬ/👍🏽/..\\..', 'a'.repeat(10_000)]) {
      const sealed = cipher.seal(plain, 'records:t:w:name');
      expect(sealed).toMatch(/^fe1\.1\./);
      if (plain.length > 0) expect(sealed).not.toContain(plain);
      expect(cipher.open(sealed, 'records:t:w:name')).toBe(plain);
    }
  });

  it('uses a fresh IV, so equal values seal differently', () => {
    expect(cipher.seal('same', 'c')).not.toBe(cipher.seal('same', 'c'));
  });

  it('refuses a value opened under another context (copied to another workspace or field)', () => {
    const sealed = cipher.seal('secret', 'records:t:w1:name');
    expect(() => cipher.open(sealed, 'records:t:w2:name')).toThrow(DecryptionError);
  });

  it('refuses tampered, truncated and foreign values with a message that names the context, not the value', () => {
    const sealed = cipher.seal('secret-value', 'ctx');
    // Flip one bit of the tag in the decoded bytes: editing base64 text may leave the bytes unchanged.
    const [format, version, body] = sealed.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    const tampered = `${format}.${version}.${bytes.toString('base64url')}`;
    expect(() => cipher.open(tampered, 'ctx')).toThrow(/ctx: authentication failed/);
    expect(() => cipher.open('fe1.1.AAAA', 'ctx')).toThrow(/truncated/);
    expect(() => cipher.open('secret-value', 'ctx')).toThrow(/not a sealed value/);
    try {
      cipher.open(tampered, 'ctx');
    } catch (error) {
      expect(String(error)).not.toContain('secret-value');
    }
  });

  it('opens values of an old key version after rotation and writes new ones with the active key', () => {
    const v1 = key();
    const index = key();
    const old = new FieldCipher(Keyring.of(new Map([[1, v1]]), index));
    const sealedOld = old.seal('kept', 'ctx');
    const rotated = new FieldCipher(Keyring.of(new Map([[1, v1], [2, key()]]), index));
    expect(rotated.open(sealedOld, 'ctx')).toBe('kept');
    const sealedNew = rotated.seal('new', 'ctx');
    expect(FieldCipher.keyVersionOf(sealedNew)).toBe(2);
    expect(() => old.open(sealedNew, 'ctx')).toThrow(/key version 2, which is not configured/);
  });

  it('fails with a wrong key instead of returning garbage', () => {
    const sealed = cipher.seal('value', 'ctx');
    const wrong = new FieldCipher(Keyring.of(new Map([[1, key()]]), key()));
    expect(() => wrong.open(sealed, 'ctx')).toThrow(DecryptionError);
  });
});

describe('BlindIndex', () => {
  it('is deterministic per scope and differs across scopes and keys', () => {
    const keyring = Keyring.of(new Map([[1, key()]]), key());
    const index = new BlindIndex(keyring);
    expect(index.of('t:w', '/a/b')).toBe(index.of('t:w', '/a/b'));
    expect(index.of('t:w', '/a/b')).not.toBe(index.of('t:w2', '/a/b'));
    expect(index.of('t:w', '/a/b')).not.toContain('/a/b');
    expect(new BlindIndex(Keyring.of(new Map([[1, key()]]), key())).of('t:w', '/a/b')).not.toBe(index.of('t:w', '/a/b'));
  });
});

describe('Keyring.load', () => {
  const b64 = () => key().toString('base64');

  it('reads versioned keys from the environment; the highest is active unless one is chosen', () => {
    const keys = `1:${b64()},2:${b64()}`;
    expect(Keyring.load({ keys, indexKey: b64() }).activeVersion).toBe(2);
    expect(Keyring.load({ keys, indexKey: b64(), activeVersion: 1 }).activeVersion).toBe(1);
  });

  it('reads a key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ active: 1, keys: { '1': b64(), '3': b64() }, indexKey: b64() }));
    const keyring = Keyring.load({ keyFile: file });
    expect(keyring.activeVersion).toBe(1);
    expect(keyring.versions()).toEqual([1, 3]);
  });

  it('names what is wrong and never echoes key material', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(() => Keyring.load({})).toThrow(/FOSTR_ENCRYPTION_KEYS .*is not set/);
    expect(() => Keyring.load({ keys: `1:${b64()}` })).toThrow(/FOSTR_INDEX_KEY is not set/);
    expect(() => Keyring.load({ keys: `1:${short}`, indexKey: b64() })).toThrow(/version 1 must decode to 32 bytes/);
    expect(() => Keyring.load({ keys: `x:${b64()}`, indexKey: b64() })).toThrow(KeyringError);
    expect(() => Keyring.load({ keys: `1:${b64()},1:${b64()}`, indexKey: b64() })).toThrow(/version 1 twice/);
    expect(() => Keyring.load({ keys: `1:${b64()}`, indexKey: b64(), activeVersion: 4 })).toThrow(/active key version 4/);
    try {
      Keyring.load({ keys: `1:${short}`, indexKey: b64() });
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
    expect(() => Keyring.load({ keyFile: '/nonexistent/keys.json' })).toThrow(/cannot read the key file/);
    const same = b64();
    expect(() => Keyring.load({ keys: `1:${same}`, indexKey: same })).toThrow(/must differ/);
  });
});
