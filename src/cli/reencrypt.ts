import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { BlindIndex, FieldCipher, Keyring, KeyringError } from '../crypto';
import { reencryptStore } from '../services/reencrypt-store';
import { ConnectionsRepository } from '../store/connections-repo';
import { verifyKeys } from '../store/key-check';
import { connectMongo } from '../store/mongo';
import { RecordsRepository } from '../store/records-repo';
import { ResealCounts } from '../store/reseal';
import { SyncStateRepository } from '../store/sync-state-repo';

const USAGE = `usage: npm run reencrypt [-- --batch-size <n>]

Re-seals every stored value (record names and paths, cursors, credential envelopes) that is not on
the active key (FOSTR_ENCRYPTION_ACTIVE_KEY, else the highest configured version). Needs MONGODB_URI
and every key version still in use. Safe to run while workers run; run it again to resume.`;

const Args = z.object({ batchSize: z.coerce.number().int().min(1).max(10_000).default(500) });

function parseArgs(argv: string[]): z.infer<typeof Args> | 'help' {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg !== '--batch-size' || argv[i + 1] === undefined) throw new ConfigError([`unknown argument ${JSON.stringify(arg)}\n${USAGE}`]);
    raw.batchSize = argv[(i += 1)]!;
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `--batch-size: ${issue.message}`));
  return parsed.data;
}

function line(name: string, counts: Omit<ResealCounts, 'failed' | 'remaining'> & Partial<ResealCounts>): string {
  const extra = [counts.failed ? `${counts.failed} unreadable` : '', counts.remaining ? `${counts.remaining} still on an old key` : ''].filter(Boolean);
  return `${name.padEnd(12)} scanned ${counts.scanned}, re-sealed ${counts.resealed}, already current ${counts.current}, rewritten meanwhile ${counts.raced}${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

/** `npm run reencrypt`: the composition root of the re-encryption command. */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  if (!config.mongo.uri) throw new ConfigError(['MONGODB_URI: required to re-encrypt the store']);
  const keyring = Keyring.load(config.keys);
  const mongo = await connectMongo(config.mongo.uri);
  try {
    const db = mongo.db(config.mongo.dbName);
    // The same check as a worker's start: a wrong key must stop us before we re-seal anything.
    await verifyKeys(db, keyring);
    const cipher = new FieldCipher(keyring);
    console.log(`Re-encrypting onto key version ${keyring.activeVersion} (configured: ${keyring.versions().join(', ')})`);
    const report = await reencryptStore({
      db,
      cipher,
      records: new RecordsRepository(db, cipher, new BlindIndex(keyring)),
      syncState: new SyncStateRepository(db, cipher),
      connections: new ConnectionsRepository(db, cipher),
      batchSize: args.batchSize,
      clock: () => new Date(),
    });
    console.log(line('records', report.records));
    console.log(line('sync_state', report.syncState));
    console.log(line('connections', report.connections));
    if (report.failedIds.length > 0) console.log(`Unreadable with the configured keys: ${report.failedIds.slice(0, 20).join(', ')}${report.failedIds.length > 20 ? ', ...' : ''}`);
    if (report.complete) {
      const retired = report.retired.length ? `versions ${report.retired.join(', ')} retired in MongoDB. Keep them in the keyring while Temporal holds histories sealed with them (a running workflow keeps its history until it continues as new or ends; docs/payload-codec.md)` : 'no older version to retire';
      console.log(`Done: every value is on key version ${report.activeVersion}; ${retired}.`);
      return 0;
    }
    console.log('Not complete: some values are still on an older key (see above); keep the older keys configured and run again.');
    return 1;
  } finally {
    await mongo.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof KeyringError;
    process.stderr.write(`reencrypt failed: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  });
