import { randomBytes } from 'node:crypto';
import { BlindIndex, DecryptionError, FieldCipher, Keyring } from '../../../src/crypto';
import { ancestorsOf } from '../../../src/domain/record';
import { EntryFields } from '../../../src/domain/record-change';
import { RecordSealer, StoredRecord } from '../../../src/store/record-sealing';

const key = () => randomBytes(32);
const indexKey = key();
const v1 = key();
const keyring = Keyring.of(new Map([[1, v1]]), indexKey);
const cipher = new FieldCipher(keyring);
const index = new BlindIndex(keyring);
const ref = { tenantId: 't1', workspaceId: 'w1' };
const sealer = new RecordSealer(cipher, index, ref);

const entry: EntryFields = {
  dropboxId: 'id:abc123',
  kind: 'file',
  name: 'Quokka Budget.xlsx',
  pathLower: '/marmoset plans/q3/quokka budget.xlsx',
  pathDisplay: '/Marmoset Plans/Q3/Quokka Budget.xlsx',
  size: 1234,
  rev: '015f0a1b2c3d',
  contentHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  serverModified: new Date('2026-01-02T03:04:05Z'),
  clientModified: null,
  isDownloadable: true,
};

function stored(): Omit<StoredRecord, '_id'> {
  const { name: _n, pathLower: _l, pathDisplay: _d, contentHash: _h, ...clear } = entry;
  return { ...ref, ...clear, ...sealer.seal(entry), state: 'active', deletedAt: null, generation: 1, origin: 'sync', syncedAt: new Date('2026-01-02T03:04:06Z') };
}

describe('RecordSealer', () => {
  it('stores no name, path or content hash in clear, and reads the record back exactly', () => {
    const doc = stored();
    const raw = JSON.stringify(doc);
    for (const secret of ['quokka', 'Quokka', 'marmoset', 'Marmoset', '/q3', entry.contentHash!]) expect(raw).not.toContain(secret);
    expect(doc.sealed).toMatch(/^fe1\.1\./);
    expect(sealer.toRecord(doc)).toEqual({ ...stored(), ...entry, ancestors: ['/marmoset plans', '/marmoset plans/q3'], pathKey: undefined, ancestorKeys: undefined, sealed: undefined });
  });

  it('indexes the path and each ancestor with the same keyed hash a lookup computes', () => {
    const doc = stored();
    expect(doc.pathKey).toBe(sealer.pathKey(entry.pathLower));
    expect(doc.ancestorKeys).toEqual(ancestorsOf(entry.pathLower).map((path) => sealer.pathKey(path)));
    expect(doc.ancestorKeys).toHaveLength(2);
    // Deterministic within the workspace, different in another workspace of the same tenant.
    expect(new RecordSealer(cipher, index, ref).pathKey('/a')).toBe(sealer.pathKey('/a'));
    expect(new RecordSealer(cipher, index, { tenantId: 't1', workspaceId: 'w2' }).pathKey('/a')).not.toBe(sealer.pathKey('/a'));
    expect(sealer.pathKey('/a')).not.toContain('/a');
  });

  it('refuses sealed fields moved to another record or another workspace', () => {
    const doc = stored();
    expect(() => sealer.open({ dropboxId: 'id:other', sealed: doc.sealed })).toThrow(DecryptionError);
    expect(() => new RecordSealer(cipher, index, { tenantId: 't1', workspaceId: 'w2' }).open(doc)).toThrow(DecryptionError);
  });

  it('reads values of an older key after rotation, and fails naming the version once that key is gone', () => {
    const old = stored();
    const rotated = Keyring.of(new Map([[1, v1], [2, key()]]), indexKey);
    const rotatedSealer = new RecordSealer(new FieldCipher(rotated), new BlindIndex(rotated), ref);
    expect(rotatedSealer.toRecord(old).name).toBe(entry.name);
    expect(rotatedSealer.seal(entry).sealed).toMatch(/^fe1\.2\./);
    // The blind index does not depend on the data keys, so lookups survive rotation.
    expect(rotatedSealer.pathKey(entry.pathLower)).toBe(old.pathKey);

    const withoutV1 = Keyring.of(new Map([[2, key()]]), indexKey);
    const reader = new RecordSealer(new FieldCipher(withoutV1), new BlindIndex(withoutV1), ref);
    expect(() => reader.open(old)).toThrow(/written with key version 1, which is not configured/);
  });

  it('fails clearly, without the plaintext, when opened with a wrong key of the same version', () => {
    const wrong = Keyring.of(new Map([[1, key()]]), indexKey);
    const doc = stored();
    let message = '';
    try {
      new RecordSealer(new FieldCipher(wrong), new BlindIndex(wrong), ref).open(doc);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/authentication failed with key version 1/);
    expect(message).not.toMatch(/quokka/i);
  });
});

describe('FieldCipher rotation helpers', () => {
  it('tells values on the active key from older ones, and seals with a chosen version for the key check', () => {
    const rotated = new FieldCipher(Keyring.of(new Map([[1, v1], [2, key()]]), indexKey));
    const onV1 = rotated.seal('x', 'c', 1);
    expect(onV1).toMatch(/^fe1\.1\./);
    expect(rotated.isCurrent(onV1)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('x', 'c'))).toBe(true);
    expect(rotated.open(onV1, 'c')).toBe('x');
    expect(() => rotated.seal('x', 'c', 7)).toThrow(/version 7 is not configured/);
  });
});
