import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Keyring } from '../crypto/keyring';

/** Metadata of an encrypted payload. Values are the UTF-8 bytes of these strings. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const CIPHER = 'AES256GCM-HKDF-SHA256';
export const METADATA_ENCODING = 'encoding';
export const METADATA_CIPHER = 'encryption-cipher';
export const METADATA_KEY_VERSION = 'encryption-key-version';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * HKDF `info` of the codec key. The codec key is derived from the data key of the same version,
 * so Temporal (whose server sees the ciphertext) and MongoDB never hold values sealed under one raw
 * key, and rotating the keyring rotates both.
 */
const HKDF_INFO = Buffer.from('fostr-dropbox/temporal-payload-codec/v1', 'utf8');

/** A payload could not be decoded: unknown key version, malformed, altered, or the wrong key. Never includes payload bytes. */
export class PayloadCodecError extends Error {
  constructor(message: string) {
    super(`Temporal payload codec: ${message}`);
    this.name = 'PayloadCodecError';
  }
}

/**
 * Encrypts every payload with AES-256-GCM under a key derived (HKDF-SHA256) from the keyring's
 * active data key. The whole original payload (its metadata, e.g. `json/plain`, and data) is the
 * plaintext, so nothing of it shows in history; the key version travels in clear metadata so
 * payloads written before a rotation stay readable while their key is configured. Payloads that
 * are not encrypted (histories recorded before the codec existed) pass through decode unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly codecKeys = new Map<number, Buffer>();

  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const version = this.keyring.activeVersion;
    const key = this.codecKey(version);
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(version));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      return {
        metadata: {
          [METADATA_ENCODING]: utf8(ENCRYPTED_ENCODING),
          [METADATA_CIPHER]: utf8(CIPHER),
          [METADATA_KEY_VERSION]: utf8(String(version)),
        },
        data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const cipherName = text(payload.metadata?.[METADATA_CIPHER]);
    if (cipherName !== CIPHER) throw new PayloadCodecError(`unsupported cipher ${JSON.stringify(cipherName ?? null)} (expected ${CIPHER})`);
    const versionText = text(payload.metadata?.[METADATA_KEY_VERSION]) ?? '';
    if (!/^\d{1,5}$/.test(versionText)) throw new PayloadCodecError('the encrypted payload has no valid encryption-key-version');
    const version = Number(versionText);
    if (!this.keyring.versions().includes(version)) {
      throw new PayloadCodecError(`the payload was encrypted with key version ${version}, which is not configured (configured: ${this.keyring.versions().join(', ')})`);
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError('the encrypted payload is truncated');
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.codecKey(version), body.subarray(0, IV_BYTES));
    decipher.setAAD(aad(version));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError(`authentication failed with key version ${version} (wrong key, or the payload was altered)`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }

  private codecKey(version: number): Buffer {
    let key = this.codecKeys.get(version);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.keyring.dataKey(version), Buffer.alloc(0), HKDF_INFO, 32));
      this.codecKeys.set(version, key);
    }
    return key;
  }
}

/** Whether a payload is one this codec encrypted (by its clear `encoding` metadata). */
export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING]) === ENCRYPTED_ENCODING;
}

/** The key version is authenticated too, so it cannot be swapped without failing the tag. */
function aad(version: number): Buffer {
  return Buffer.from(`fostr-dropbox/temporal-payload/v1;key-version=${version}`, 'utf8');
}

function utf8(value: string): Uint8Array {
  return Buffer.from(value, 'utf8');
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}
