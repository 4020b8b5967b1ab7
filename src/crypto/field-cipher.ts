import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Keyring } from './keyring';

/** Prefix and format version of every sealed value: `fe1.<key version>.<base64url(iv | ciphertext | tag)>`. */
const FORMAT = 'fe1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value could not be opened: wrong key, wrong context, or tampered bytes. Never includes the value. */
export class DecryptionError extends Error {
  constructor(readonly context: string, detail: string) {
    super(`cannot decrypt a value stored as ${context}: ${detail}`);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM for single fields. The `context` (for example `records:<tenant>:<workspace>:name`)
 * is authenticated data: a value copied into another document or field fails to open instead of
 * showing another workspace's data. A fresh random IV per value; the key version travels in the
 * value so old values stay readable after rotation.
 */
export class FieldCipher {
  constructor(private readonly keyring: Keyring) {}

  /** The key version new writes use. */
  get activeVersion(): number {
    return this.keyring.activeVersion;
  }

  /** Seals with the active key; `version` is for the start-up key check, which seals once per configured key. */
  seal(plain: string, context: string, version = this.keyring.activeVersion): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.dataKey(version), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}.${version}.${body.toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const { version, body } = parseSealed(sealed, context);
    if (body.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(context, 'the value is truncated');
    let key: Buffer;
    try {
      key = this.keyring.dataKey(version);
    } catch {
      throw new DecryptionError(context, `it was written with key version ${version}, which is not configured`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(context, `authentication failed with key version ${version} (wrong key, or the value was altered or moved)`);
    }
  }

  /** Whether a sealed value is on the active key (re-encryption leaves those alone). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${FORMAT}.${this.keyring.activeVersion}.`);
  }

  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson(sealed: string, context: string): unknown {
    return JSON.parse(this.open(sealed, context)) as unknown;
  }

  /** The key version a sealed value was written with (re-encryption skips values already on the active key). */
  static keyVersionOf(sealed: string): number {
    return parseSealed(sealed, '(any)').version;
  }

  /** Whether a stored value is in the sealed format at all (migration of plaintext values). */
  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && /^fe1\.\d+\.[A-Za-z0-9_-]+$/.test(value);
  }
}

function parseSealed(sealed: string, context: string): { version: number; body: Buffer } {
  const match = /^fe1\.(\d{1,5})\.([A-Za-z0-9_-]+)$/.exec(sealed);
  if (!match) throw new DecryptionError(context, 'it is not a sealed value');
  return { version: Number(match[1]), body: Buffer.from(match[2]!, 'base64url') };
}
