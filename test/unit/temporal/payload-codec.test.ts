import { DefaultFailureConverter, defaultPayloadConverter, Payload } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { Keyring } from '../../../src/crypto/keyring';
import { failureConverter } from '../../../src/temporal/failure-converter';
import { EncryptionCodec, ENCRYPTED_ENCODING, isEncrypted, METADATA_KEY_VERSION, PayloadCodecError } from '../../../src/temporal/payload-codec';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const indexKey = randomBytes(32);
const ringV1 = Keyring.of(new Map([[1, key1]]), indexKey);
const ringV2 = Keyring.of(new Map([[1, key1], [2, key2]]), indexKey, 2);
const ringOnlyV2 = Keyring.of(new Map([[2, key2]]), indexKey);

const SECRET = 'canary sl.ThisIsATokenThatMustNeverShow /Clients/Acme/secret plan.pdf';
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('EncryptionCodec', () => {
  it('round-trips every payload and hides metadata and data', async () => {
    const codec = new EncryptionCodec(ringV1);
    const originals: Payload[] = [defaultPayloadConverter.toPayload({ path: SECRET, n: 1 }), defaultPayloadConverter.toPayload(undefined), defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2]))];
    const encoded = await codec.encode(originals);
    expect(encoded).toHaveLength(3);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[METADATA_KEY_VERSION])).toBe('1');
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-cipher', 'encryption-key-version']);
      expect(Buffer.from(payload.data!).includes(Buffer.from('ThisIsATokenThatMustNeverShow'))).toBe(false);
      expect(Buffer.from(payload.data!).includes(Buffer.from('json/plain'))).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([{ path: SECRET, n: 1 }, undefined, new Uint8Array([0, 1, 2])]);
    expect(text(decoded[0]!.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV per payload (equal inputs give different ciphertexts)', async () => {
    const codec = new EncryptionCodec(ringV1);
    const [a, b] = await codec.encode([defaultPayloadConverter.toPayload('same'), defaultPayloadConverter.toPayload('same')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('writes with the active key version and reads older versions while they are configured (rotation)', async () => {
    const old = await new EncryptionCodec(ringV1).encode([defaultPayloadConverter.toPayload('written before rotation')]);
    const rotated = new EncryptionCodec(ringV2);
    const fresh = await rotated.encode([defaultPayloadConverter.toPayload('written after rotation')]);
    expect(text(fresh[0]!.metadata?.[METADATA_KEY_VERSION])).toBe('2');
    const decoded = await rotated.decode([...old, ...fresh]);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual(['written before rotation', 'written after rotation']);
  });

  it('fails with a clear error naming the version when the payload key is not configured', async () => {
    const old = await new EncryptionCodec(ringV1).encode([defaultPayloadConverter.toPayload(SECRET)]);
    const decoding = new EncryptionCodec(ringOnlyV2).decode(old);
    await expect(decoding).rejects.toThrow(PayloadCodecError);
    await expect(decoding).rejects.toThrow('the payload was encrypted with key version 1, which is not configured (configured: 2)');
  });

  it('fails authentication with the wrong key of the same version, without echoing the payload', async () => {
    const encoded = await new EncryptionCodec(ringV1).encode([defaultPayloadConverter.toPayload(SECRET)]);
    const otherKey = Keyring.of(new Map([[1, randomBytes(32)]]), indexKey);
    const error = await new EncryptionCodec(otherKey).decode(encoded).catch((thrown: unknown) => thrown as Error);
    expect(error).toBeInstanceOf(PayloadCodecError);
    expect((error as Error).message).toBe('Temporal payload codec: authentication failed with key version 1 (wrong key, or the payload was altered)');
    expect((error as Error).message).not.toContain('ThisIsAToken');
  });

  it('rejects a tampered payload, a swapped key version and a truncated one', async () => {
    const codec = new EncryptionCodec(ringV2);
    const [payload] = await new EncryptionCodec(ringV1).encode([defaultPayloadConverter.toPayload('x')]);
    const flipped = Buffer.from(payload!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    await expect(codec.decode([{ ...payload, data: flipped }])).rejects.toThrow('authentication failed with key version 1');
    const swapped = { ...payload, metadata: { ...payload!.metadata, [METADATA_KEY_VERSION]: Buffer.from('2') } };
    await expect(codec.decode([swapped])).rejects.toThrow('authentication failed with key version 2');
    await expect(codec.decode([{ ...payload, data: Buffer.from(payload!.data!).subarray(0, 20) }])).rejects.toThrow('the encrypted payload is truncated');
    const noVersion = { ...payload, metadata: { encoding: payload!.metadata!.encoding!, 'encryption-cipher': payload!.metadata!['encryption-cipher']! } };
    await expect(codec.decode([noVersion])).rejects.toThrow('no valid encryption-key-version');
  });

  it('passes unencrypted payloads through decode (histories recorded before the codec)', async () => {
    const plain = [defaultPayloadConverter.toPayload({ tenantId: 't1' }), defaultPayloadConverter.toPayload(null)];
    const decoded = await new EncryptionCodec(ringV1).decode(plain);
    expect(decoded).toEqual(plain);
    expect(plain.some(isEncrypted)).toBe(false);
  });

  it('derives its key with HKDF: the raw data key does not open a payload', async () => {
    const [payload] = await new EncryptionCodec(ringV1).encode([defaultPayloadConverter.toPayload('x')]);
    const { createDecipheriv } = await import('node:crypto');
    const body = Buffer.from(payload!.data!);
    const decipher = createDecipheriv('aes-256-gcm', key1, body.subarray(0, 12));
    decipher.setAAD(Buffer.from('fostr-dropbox/temporal-payload/v1;key-version=1'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    decipher.update(body.subarray(12, body.length - 16));
    expect(() => decipher.final()).toThrow();
  });
});

describe('failureConverter', () => {
  it('moves message and stack into an encoded attribute payload that the codec then encrypts', async () => {
    const failure = failureConverter.errorToFailure(new Error(SECRET), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(JSON.stringify(failure)).not.toContain('ThisIsAToken');
    const [encrypted] = await new EncryptionCodec(ringV1).encode([failure.encodedAttributes!]);
    const [decrypted] = await new EncryptionCodec(ringV1).decode([encrypted!]);
    const error = new DefaultFailureConverter().failureToError({ ...failure, encodedAttributes: decrypted }, defaultPayloadConverter);
    expect(error.message).toBe(SECRET);
  });
});
