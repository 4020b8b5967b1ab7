/**
 * What encryption at rest costs:
 * - crypto alone: sealing a record's fields (AES-256-GCM), opening them, and the HMAC blind index of
 *   a path, per second, on this machine;
 * - `applyChanges` on the real store (FerretDB or MongoDB): records/s for a first listing written
 *   page by page, and the share of it spent in crypto;
 * - a whole first sync of generated entries through Temporal, the worker and the emulator.
 * Run with `npm run bench -- encryption-overhead` (BENCH_ENTRIES to change the size).
 */
import { randomBytes } from 'node:crypto';
import { DropboxEmulator } from '../emulator/src';
import { BlindIndex, FieldCipher, Keyring } from '../src/crypto';
import { ancestorsOf } from '../src/domain/record';
import { EntryFields, RecordChange } from '../src/domain/record-change';
import { RecordSealer } from '../src/store/record-sealing';
import globalSetup from '../test/integration/global-setup';
import globalTeardown from '../test/integration/global-teardown';
import { Harness, uniqueTaskQueue, waitFor } from '../test/integration/harness';

/** FerretDB on SQLite scans the collection for each page's footprint query, so pages slow down as it grows; keep it modest. */
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 2000);
const PAGE = 500;
const MICRO_ROUNDS = 20_000;

function entryAt(i: number): EntryFields {
  const pathDisplay = `/Projects/Team ${i % 20}/Quarter ${i % 7}/Report number ${i} final version.pdf`;
  return {
    dropboxId: `id:bench${i.toString(36).padStart(8, '0')}`,
    kind: 'file',
    name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
    pathLower: pathDisplay.toLowerCase(),
    pathDisplay,
    size: 1000 + i,
    rev: `0${i.toString(16).padStart(12, '0')}`,
    contentHash: randomBytes(32).toString('hex'),
    serverModified: new Date('2026-01-02T03:04:05Z'),
    clientModified: new Date('2026-01-02T03:04:05Z'),
    isDownloadable: true,
  };
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(52)} ${value}\n`);
}

function micro(): { sealUs: number; openUs: number; hmacUs: number } {
  const keyring = Keyring.generate();
  const sealer = new RecordSealer(new FieldCipher(keyring), new BlindIndex(keyring), { tenantId: 'bench', workspaceId: 'w' });
  const entries = Array.from({ length: 1000 }, (_, i) => entryAt(i));
  const time = (run: (i: number) => void) => {
    const started = performance.now();
    for (let i = 0; i < MICRO_ROUNDS; i += 1) run(i);
    return performance.now() - started;
  };
  const sealed = entries.map((entry) => ({ dropboxId: entry.dropboxId, sealed: sealer.seal(entry).sealed }));
  // Seal = AES-GCM of the fields plus one HMAC per path component (path and ancestors).
  const sealMs = time((i) => sealer.seal(entries[i % entries.length]!));
  const openMs = time((i) => sealer.open(sealed[i % sealed.length]!));
  const hmacMs = time((i) => sealer.pathKey(entries[i % entries.length]!.pathLower));
  const depth = ancestorsOf(entries[0]!.pathLower).length + 1;
  line('seal a record (AES-GCM + path keys)', `${rate(MICRO_ROUNDS, sealMs)} (${((sealMs * 1000) / MICRO_ROUNDS).toFixed(1)} µs; ${depth} HMACs each)`);
  line('open a record (AES-GCM + JSON + zod)', `${rate(MICRO_ROUNDS, openMs)} (${((openMs * 1000) / MICRO_ROUNDS).toFixed(1)} µs)`);
  line('HMAC blind index of one path', `${rate(MICRO_ROUNDS, hmacMs)} (${((hmacMs * 1000) / MICRO_ROUNDS).toFixed(1)} µs)`);
  return { sealUs: (sealMs * 1000) / MICRO_ROUNDS, openUs: (openMs * 1000) / MICRO_ROUNDS, hmacUs: (hmacMs * 1000) / MICRO_ROUNDS };
}

async function main(): Promise<void> {
  process.stdout.write(`crypto alone (${MICRO_ROUNDS} operations each):\n`);
  const cost = micro();

  await globalSetup();
  const harness = await Harness.open();
  const emulator = await DropboxEmulator.start();
  try {
    process.stdout.write(`\napplyChanges on the real store (${harness.info.mongoKind}), ${ENTRIES} new records in pages of ${PAGE}:\n`);
    const records = harness.records.forWorkspace({ tenantId: 'bench', workspaceId: `apply-${randomBytes(3).toString('hex')}` });
    const changes: RecordChange[] = Array.from({ length: ENTRIES }, (_, i) => ({ op: 'upsert', entry: entryAt(i) }));
    let started = performance.now();
    for (let start = 0; start < changes.length; start += PAGE) await records.applyChanges(changes.slice(start, start + PAGE), 1, new Date());
    const applyMs = performance.now() - started;
    // Each new record costs one seal (with its path keys) plus the page's footprint HMACs.
    const cryptoMs = (ENTRIES * (cost.sealUs + cost.hmacUs)) / 1000;
    line('first listing written', `${rate(ENTRIES, applyMs)} (${(applyMs / ENTRIES).toFixed(3)} ms/record)`);
    line('of which crypto (estimated from the figures above)', `${((cryptoMs / applyMs) * 100).toFixed(1)}% (${(cryptoMs / ENTRIES).toFixed(3)} ms/record)`);
    started = performance.now();
    for (let start = 0; start < changes.length; start += PAGE) await records.applyChanges(changes.slice(start, start + PAGE), 1, new Date());
    const replayMs = performance.now() - started;
    line('the same pages replayed (loads and opens each record)', `${rate(ENTRIES, replayMs)} (crypto ~${(((ENTRIES * (cost.sealUs + cost.openUs + cost.hmacUs)) / 1000 / replayMs) * 100).toFixed(1)}%)`);
    started = performance.now();
    const listed = await records.listActive();
    const listMs = performance.now() - started;
    line(`listActive (${listed.length} records opened and sorted)`, `${listMs.toFixed(0)} ms (crypto ~${((((ENTRIES * cost.openUs) / 1000) / listMs) * 100).toFixed(1)}%)`);

    process.stdout.write(`\nfirst sync through Temporal, the worker and the emulator (${ENTRIES} generated entries):\n`);
    const taskQueue = uniqueTaskQueue('bench-enc');
    const worker = await harness.startWorker({ taskQueue, emulator, pageLimit: PAGE });
    try {
      const { ref, email } = await harness.connectNewWorkspace(emulator, 'benchenc');
      emulator.generate(email, { entries: ENTRIES });
      await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: 3600_000, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 60_000 });
      const status = await waitFor('the first sync', async () => (await harness.sync.status(ref).catch(() => undefined))?.lastCycle ?? undefined, 600_000);
      if (!status.ok || !status.result) throw new Error(`first sync failed: ${status.error?.message}`);
      const { upserts, pages } = status.result;
      const syncMs = Date.parse(status.result.finishedAt) - Date.parse(status.result.startedAt);
      line(`first sync cycle (${upserts} entries, ${pages} pages)`, `${(syncMs / 1000).toFixed(2)} s, ${rate(upserts, syncMs)}`);
      line('of which crypto (estimated)', `${((((upserts * (cost.sealUs + cost.hmacUs)) / 1000) / syncMs) * 100).toFixed(1)}%`);
      await harness.sync.terminate(ref, 'bench done');
    } finally {
      await worker.stop();
    }
  } finally {
    await emulator.stop();
    await harness.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
