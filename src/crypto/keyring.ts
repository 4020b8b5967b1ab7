import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** AES-256 and HMAC-SHA256 keys are 32 bytes. */
const KEY_BYTES = 32;

/** A key as configured: 32 bytes in standard or URL-safe base64. */
const Base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'must be base64')
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((bytes) => bytes.length === KEY_BYTES, `must decode to ${KEY_BYTES} bytes (generate one with: openssl rand -base64 32)`);

const KeyVersion = z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(65535, 'must be at most 65535');

/** The key file: `{ "active": 2, "keys": { "1": "<base64>", "2": "<base64>" }, "indexKey": "<base64>" }`. */
const KeyFile = z
  .object({
    active: KeyVersion.optional(),
    keys: z.record(z.string().regex(/^\d+$/, 'key versions are whole numbers'), Base64Key),
    indexKey: Base64Key,
  })
  .strict();

/** Thrown at start-up when keys are missing or malformed; never contains key material. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(`encryption keys: ${message}`);
    this.name = 'KeyringError';
  }
}

/** Where the keys come from: the environment (inline) or a key file. Values are secrets. */
export interface KeyringSource {
  /** `FOSTR_ENCRYPTION_KEYS`: `1:<base64>,2:<base64>`. */
  readonly keys?: string;
  /** `FOSTR_ENCRYPTION_ACTIVE_KEY`: the version new writes use; the highest when unset. */
  readonly activeVersion?: number;
  /** `FOSTR_INDEX_KEY`: the blind-index HMAC key, separate from the data keys. */
  readonly indexKey?: string;
  /** `FOSTR_ENCRYPTION_KEY_FILE`: a JSON key file instead of the three above. */
  readonly keyFile?: string;
}

/**
 * Versioned data keys plus the blind-index key. New writes use the active version; reads pick the
 * version written in each sealed value, so rotation is online: add a key, make it active, then
 * re-encrypt old values at leisure. The index key is not rotated with them, because every blind
 * index would have to be rebuilt at once for path lookups to keep working.
 */
export class Keyring {
  private constructor(
    private readonly dataKeys: ReadonlyMap<number, Buffer>,
    readonly activeVersion: number,
    readonly indexKey: Buffer,
  ) {}

  /** Builds a keyring from explicit keys (tests, the demo's generated keys). */
  static of(dataKeys: ReadonlyMap<number, Buffer>, indexKey: Buffer, activeVersion?: number): Keyring {
    if (dataKeys.size === 0) throw new KeyringError('no data key is configured');
    for (const [version, key] of dataKeys) {
      if (key.length !== KEY_BYTES) throw new KeyringError(`key version ${version} is ${key.length} bytes, not ${KEY_BYTES}`);
    }
    if (indexKey.length !== KEY_BYTES) throw new KeyringError(`the index key is ${indexKey.length} bytes, not ${KEY_BYTES}`);
    const active = activeVersion ?? Math.max(...dataKeys.keys());
    if (!dataKeys.has(active)) throw new KeyringError(`the active key version ${active} is not among the configured versions ${[...dataKeys.keys()].join(', ')}`);
    for (const key of dataKeys.values()) {
      if (key.equals(indexKey)) throw new KeyringError('the index key must differ from every data key');
    }
    return new Keyring(new Map(dataKeys), active, Buffer.from(indexKey));
  }

  /** A keyring of fresh random keys (tests; the demo persists one in its data dir). */
  static generate(): Keyring {
    return Keyring.of(new Map([[1, randomBytes(KEY_BYTES)]]), randomBytes(KEY_BYTES));
  }

  /** Reads the keyring from its configured source, failing with a message that names what is wrong. */
  static load(source: KeyringSource): Keyring {
    if (source.keyFile !== undefined) {
      if (source.keys !== undefined || source.indexKey !== undefined) {
        throw new KeyringError('set either FOSTR_ENCRYPTION_KEY_FILE or FOSTR_ENCRYPTION_KEYS with FOSTR_INDEX_KEY, not both');
      }
      return Keyring.fromFile(source.keyFile, source.activeVersion);
    }
    if (source.keys === undefined) throw new KeyringError('FOSTR_ENCRYPTION_KEYS (or FOSTR_ENCRYPTION_KEY_FILE) is not set; metadata cannot be stored unencrypted');
    if (source.indexKey === undefined) throw new KeyringError('FOSTR_INDEX_KEY is not set; it keys the blind indexes of paths');
    const dataKeys = new Map<number, Buffer>();
    for (const [position, item] of source.keys.split(',').entries()) {
      const separator = item.indexOf(':');
      if (separator < 0) throw new KeyringError(`FOSTR_ENCRYPTION_KEYS item ${position + 1} must be <version>:<base64 key>`);
      const version = parseOrFail(KeyVersion, item.slice(0, separator).trim(), `FOSTR_ENCRYPTION_KEYS item ${position + 1} version`);
      if (dataKeys.has(version)) throw new KeyringError(`FOSTR_ENCRYPTION_KEYS names version ${version} twice`);
      dataKeys.set(version, parseOrFail(Base64Key, item.slice(separator + 1).trim(), `FOSTR_ENCRYPTION_KEYS version ${version}`));
    }
    return Keyring.of(dataKeys, parseOrFail(Base64Key, source.indexKey.trim(), 'FOSTR_INDEX_KEY'), source.activeVersion);
  }

  private static fromFile(path: string, activeOverride?: number): Keyring {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new KeyringError(`cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new KeyringError(`the key file ${path} is not JSON`);
    }
    const parsed = KeyFile.safeParse(json);
    if (!parsed.success) {
      // Issues name paths and rules only; the values (key material) are never echoed.
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      throw new KeyringError(`the key file ${path} is invalid: ${problems.join('; ')}`);
    }
    const dataKeys = new Map(Object.entries(parsed.data.keys).map(([version, key]) => [Number(version), key] as const));
    return Keyring.of(dataKeys, parsed.data.indexKey, activeOverride ?? parsed.data.active);
  }

  /** The data key of `version`, or an error naming the version when this keyring lacks it. */
  dataKey(version: number): Buffer {
    const key = this.dataKeys.get(version);
    if (!key) throw new KeyringError(`data key version ${version} is not configured (configured: ${this.versions().join(', ')})`);
    return key;
  }

  versions(): number[] {
    return [...this.dataKeys.keys()].sort((a, b) => a - b);
  }
}

function parseOrFail<T>(schema: z.ZodType<T>, value: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new KeyringError(`${what} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}
