import { Collection, Db, MongoServerError } from 'mongodb';
import { BlindIndex, FieldCipher, Keyring, KeyringError } from '../crypto';

export const KEY_CHECK_COLLECTION = 'key_check';

/** A known value sealed (per data key version) or hashed (index key) when a key is first used with this database. */
const KNOWN_VALUE = 'fostr-dropbox key check v1';

/**
 * One document per data key version (`data:<version>`) and one for the index key (`index`). Holds
 * a sealed or hashed known value, never key material; a key that cannot reproduce it is not the
 * key this database was written with.
 */
interface KeyCheckDoc {
  _id: string;
  readonly kind: 'data' | 'index';
  readonly version?: number;
  readonly value: string;
  readonly createdAt: Date;
  /** Set by `npm run reencrypt` when no stored value uses this version any more; the key may then be dropped. */
  readonly retiredAt?: Date | null;
}

/** What the start-up check found. */
export interface KeyCheckReport {
  /** Configured versions this database had seen before and that opened their check value. */
  readonly verified: number[];
  /** Configured versions first used with this database (their check value was written now). */
  readonly registered: number[];
  /** Versions no longer configured that no stored value uses any more. */
  readonly retired: number[];
}

const dataId = (version: number) => `data:${version}`;
const dataContext = (version: number) => `key_check:data:${version}`;
const INDEX_ID = 'index';
const INDEX_SCOPE = 'key_check';

/**
 * The start-up key check: every configured data key must open the value it sealed when it was
 * first used here, the index key must reproduce its hash, and every version this database has seen
 * but that is no longer configured must have been retired by a complete re-encryption. Otherwise it
 * throws `KeyringError` naming the version or key, so a wrong or missing key stops the process
 * before it writes anything instead of producing garbage or unreadable records later.
 */
export async function verifyKeys(db: Db, keyring: Keyring, now: Date = new Date()): Promise<KeyCheckReport> {
  const collection = db.collection<KeyCheckDoc>(KEY_CHECK_COLLECTION);
  const cipher = new FieldCipher(keyring);
  const verified: number[] = [];
  const registered: number[] = [];

  const indexValue = new BlindIndex(keyring).of(INDEX_SCOPE, KNOWN_VALUE);
  const index = await findOrRegister(collection, { _id: INDEX_ID, kind: 'index', value: indexValue, createdAt: now });
  if (index.value !== indexValue) {
    throw new KeyringError('the index key (FOSTR_INDEX_KEY or indexKey in the key file) is not the key this database\'s blind indexes were built with; path lookups would miss every record');
  }

  for (const version of keyring.versions()) {
    const doc = await findOrRegister(collection, { _id: dataId(version), kind: 'data', version, value: cipher.seal(KNOWN_VALUE, dataContext(version), version), createdAt: now, retiredAt: null });
    let opens: boolean;
    try {
      opens = cipher.open(doc.value, dataContext(version)) === KNOWN_VALUE;
    } catch {
      opens = false;
    }
    if (!opens) {
      throw new KeyringError(`data key version ${version} is not the key this database was written with (its key check value does not open); fix version ${version} in FOSTR_ENCRYPTION_KEYS or the key file`);
    }
    (doc.justRegistered ? registered : verified).push(version);
    if (version === keyring.activeVersion && doc.retiredAt) {
      // A retired version made active again: new values will use it, so it may no longer be dropped.
      await collection.updateOne({ _id: dataId(version) }, { $set: { retiredAt: null } });
    }
  }

  const configured = new Set(keyring.versions());
  const known = await collection.find({ kind: 'data' }).toArray();
  const retired: number[] = [];
  for (const doc of known) {
    if (doc.version === undefined || configured.has(doc.version)) continue;
    if (!doc.retiredAt) {
      throw new KeyringError(
        `data key version ${doc.version} is not configured, but values sealed with it may still be stored; configure it again (keep it until \`npm run reencrypt\` has moved every value onto the active key)`,
      );
    }
    retired.push(doc.version);
  }
  return { verified, registered, retired: retired.sort((a, b) => a - b) };
}

/**
 * Marks every data key version other than `activeVersion` as no longer used by any stored value.
 * Only `npm run reencrypt` calls it, after a pass that left nothing on those versions.
 */
export async function retireOtherVersions(db: Db, activeVersion: number, now: Date = new Date()): Promise<number[]> {
  const collection = db.collection<KeyCheckDoc>(KEY_CHECK_COLLECTION);
  const docs = await collection.find({ kind: 'data', version: { $ne: activeVersion } }).toArray();
  const fresh = docs.filter((doc) => !doc.retiredAt);
  for (const doc of fresh) await collection.updateOne({ _id: doc._id, retiredAt: null }, { $set: { retiredAt: now } });
  return fresh.map((doc) => doc.version!).sort((a, b) => a - b);
}

/** Reads a check document, or inserts `candidate` when there is none; a concurrent insert by another process wins and is read back. */
async function findOrRegister(collection: Collection<KeyCheckDoc>, candidate: KeyCheckDoc): Promise<KeyCheckDoc & { justRegistered: boolean }> {
  const existing = await collection.findOne({ _id: candidate._id });
  if (existing) return { ...existing, justRegistered: false };
  try {
    await collection.insertOne(candidate);
    return { ...candidate, justRegistered: true };
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    const winner = await collection.findOne({ _id: candidate._id });
    if (!winner) throw error;
    return { ...winner, justRegistered: false };
  }
}
