import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SingleBar } from 'cli-progress';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DropboxEmulator, readHistory } from '../../emulator/src';
import { WorkspaceSyncClient } from '../client/workspace-sync-client';
import { Config, ConfigError, loadConfig } from '../config';
import { startLocalStack } from '../devstack';
import { findRepoRoot } from '../devstack/ferretdb-build';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../domain/ids';
import { DropboxClient } from '../dropbox/dropbox-client';
import { connectWorkspace } from '../services/connect-workspace';
import { ConnectionsRepository } from '../store/connections-repo';
import { connectMongo, ensureIndexes } from '../store/mongo';
import { RecordsRepository } from '../store/records-repo';
import { SyncStateRepository } from '../store/sync-state-repo';
import { BlindIndex, FieldCipher, Keyring } from '../crypto';
import { verifyKeys } from '../store/key-check';
import { createDataConverter } from '../temporal/data-converter';
import { describeDiff, diffRecordset, isEqual } from '../verify/recordset-diff';
import { createSyncWorker, installTemporalRuntime } from '../worker/create-worker';
import { DEMO_USAGE, parseDemoArgs } from './args';

const DEMO_ACCOUNT = { email: 'demo@fostr.example', displayName: 'Fostr Demo' };

/**
 * The main job (`npm start`): the whole product on one machine. Starts Temporal and MongoDB when
 * none is configured, seeds the Dropbox emulator with the first half of a real change history,
 * runs a worker, connects a demo workspace, shows the first sync, then keeps syncing on schedule
 * while the emulator replays the rest. `--once` replays everything and checks the result.
 */
async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.help) {
    console.log(DEMO_USAGE);
    return 0;
  }
  const config = loadConfig();
  const repoRoot = findRepoRoot();
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
    cleanups.length = 0;
  };
  let stopRequested = false;
  let wakeStop: () => void = () => undefined;
  const stopped = new Promise<void>((resolveStop) => (wakeStop = resolveStop));
  process.once('SIGINT', () => {
    stopRequested = true;
    console.log('\nStopping...');
    wakeStop();
  });

  try {
    console.log('fostr-dropbox demo: Temporal + MongoDB + Dropbox emulator + sync worker\n');
    const dataDir = config.dataDir ? resolve(config.dataDir) : mkdtempSync(join(tmpdir(), 'fostr-demo-'));
    const stack = await startLocalStack({
      toolsDir: resolve(repoRoot, config.toolsDir),
      dataDir,
      temporalAddress: config.temporal.address,
      temporalNamespace: config.temporal.namespace,
      mongodbUri: config.mongo.uri,
      temporalUi: true,
      startTimeoutMs: 120_000,
      log: (line) => console.log(`  ${line}`),
    });
    cleanups.push(() => stack.stop());
    console.log(`  Temporal: ${stack.temporalAddress} (${stack.temporalKind}); MongoDB: ${stack.mongoKind}\n`);

    const emulator = await DropboxEmulator.start();
    cleanups.push(() => emulator.stop());
    const { accessToken } = emulator.createAccount(DEMO_ACCOUNT);
    const corpusPath = config.demo.corpusPath ? resolve(config.demo.corpusPath) : resolve(repoRoot, '..', 'shared', 'corpora', 'history-papers.jsonl');
    const history = readHistory(corpusPath);
    const seedCount = Math.floor(history.length / 2);
    for (const batch of history.slice(0, seedCount)) emulator.applyBatch(DEMO_ACCOUNT.email, batch);
    const seeded = emulator.groundTruth(DEMO_ACCOUNT.email).length;
    console.log(`Dropbox emulator on ${emulator.baseUrl}: seeded ${seeded} entries from ${seedCount} of ${history.length} real change batches`);

    const mongo = await connectMongo(stack.mongodbUri);
    cleanups.push(() => mongo.close());
    const db = mongo.db(config.mongo.dbName);
    await ensureIndexes(db);
    const keyring = demoKeyring(config, dataDir);
    await verifyKeys(db, keyring);

    installTemporalRuntime();
    // A queue of its own: on a shared Temporal (TEMPORAL_ADDRESS), other workers must not take the demo's tasks.
    const demoTaskQueue = `${config.temporal.taskQueue}-demo-${Date.now().toString(36)}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    cleanups.push(() => nativeConnection.close());
    const worker = await createSyncWorker({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue: demoTaskQueue,
      db,
      keyring,
      dropbox: { apiBaseUrl: emulator.baseUrl, requestTimeoutMs: config.dropbox.requestTimeoutMs },
      pageLimit: config.sync.pageLimit,
    });
    const workerRun = worker.run();
    cleanups.push(async () => {
      // The SDK also shuts the worker down by itself on SIGINT.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
    });

    const clientConnection = await Connection.connect({ address: stack.temporalAddress });
    cleanups.push(() => clientConnection.close());
    const sync = new WorkspaceSyncClient(new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: createDataConverter(keyring) }));

    // A fresh workspace per run: the emulator is new each run, so an old cursor would mean nothing.
    const ref: WorkspaceRef = { tenantId: 'demo-tenant', workspaceId: `papers-${Date.now().toString(36)}` };
    const cipher = new FieldCipher(keyring);
    const connections = new ConnectionsRepository(db, cipher);
    const createDropboxClient = (token: string) => new DropboxClient({ accessToken: token, apiBaseUrl: emulator.baseUrl, requestTimeoutMs: config.dropbox.requestTimeoutMs });
    const { accountId } = await connectWorkspace({ connections, createDropboxClient, clock: () => new Date() }, ref, {
      credentials: { appKey: 'fostr-demo', accessToken },
      rootPath: '',
      actor: { userId: 'demo-admin', role: 'admin' },
      // The demo's emulator token never expires; real connections come through the connect flow.
      requireRefreshToken: false,
    });
    console.log(`Connected ${ref.tenantId}/${ref.workspaceId} to Dropbox account ${accountId}\n`);

    await sync.start(ref, {
      taskQueue: demoTaskQueue,
      // --once drives every cycle itself, so scheduled cycles must not take its changes first.
      schedule: { frequencyMs: args.once ? 3600_000 : config.demo.frequencyMs, fullRelistIntervalMs: config.sync.fullRelistIntervalMs },
      heartbeatTimeoutMs: config.sync.heartbeatTimeoutMs,
      credentialProbeIntervalMs: config.sync.credentialProbeIntervalMs,
    });
    cleanups.push(async () => {
      // Stop the worker before the workflow, so no workflow task is in flight when it is terminated.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await sync.terminate(ref, 'demo stopped');
    });

    const records = new RecordsRepository(db, cipher, new BlindIndex(keyring)).forWorkspace(ref);
    const syncState = new SyncStateRepository(db, cipher);
    const first = await followFirstSync(sync, syncState, ref, seeded);
    const counts = await records.countActive();
    const firstResult = first.result!;
    const seconds = (Date.parse(firstResult.finishedAt) - Date.parse(firstResult.startedAt)) / 1000;
    console.log(
      `\nFirst sync: ${counts.files} files and ${counts.folders} folders in ${seconds.toFixed(2)} s ` +
        `(${Math.round(firstResult.upserts / Math.max(seconds, 0.001))} entries/s, ${firstResult.pages} pages)`,
    );
    const uiUrl = stack.temporalUiUrl ? `${stack.temporalUiUrl}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(workspaceSyncWorkflowId(ref))}` : '(external Temporal; no UI started)';
    console.log(`Temporal UI: ${uiUrl}\n`);

    const compare = async () => diffRecordset(await records.listActive(), emulator.groundTruth(DEMO_ACCOUNT.email));
    const remaining = history.slice(seedCount);

    if (args.once) {
      for (const batch of remaining) emulator.applyBatch(DEMO_ACCOUNT.email, batch);
      console.log(`Replayed the remaining ${remaining.length} batches; syncing incrementally...`);
      const incremental = await sync.syncNow(ref);
      const afterIncremental = await compare();
      console.log(`  incremental cycle: ${summarizeCycle(incremental)}; Recordset vs Dropbox: ${describeDiff(afterIncremental)}`);
      // Dropbox never reports case-only renames incrementally; a reconcile (full re-listing) does.
      const reconcile = await sync.syncNow(ref, { fullRelist: true });
      const final = await compare();
      const total = await records.countActive();
      const truthCount = emulator.groundTruth(DEMO_ACCOUNT.email).length;
      console.log(`  reconcile cycle:   ${summarizeCycle(reconcile)}; Recordset vs Dropbox: ${describeDiff(final)}`);
      console.log(`\nFinal: ${total.files + total.folders} active records (${total.files} files, ${total.folders} folders); Dropbox ground truth: ${truthCount} entries`);
      console.log(`Recordset equals ground truth: ${isEqual(final) ? 'yes' : 'NO'}`);
      return isEqual(final) && incremental.ok && reconcile.ok ? 0 : 1;
    }

    await replayWhileSyncing({ config, emulator, remaining, sync, ref, compare, isStopped: () => stopRequested, stopped });
    return 0;
  } finally {
    await cleanup();
  }
}

/**
 * The configured keys when there are any (as in production); otherwise keys generated once and kept
 * in the data dir next to the database they encrypt, so a demo with a persistent FOSTR_DATA_DIR
 * passes the key check on its next run.
 */
function demoKeyring(config: Config, dataDir: string): Keyring {
  if (config.keys.keys !== undefined || config.keys.keyFile !== undefined) return Keyring.load(config.keys);
  const keyFile = join(dataDir, 'demo-keys.json');
  if (!existsSync(keyFile)) {
    const key = () => randomBytes(32).toString('base64');
    writeFileSync(keyFile, JSON.stringify({ active: 1, keys: { '1': key() }, indexKey: key() }), { mode: 0o600 });
  }
  return Keyring.load({ keyFile });
}

async function followFirstSync(sync: WorkspaceSyncClient, syncState: SyncStateRepository, ref: WorkspaceRef, expected: number) {
  const bar = new SingleBar({
    format: 'First sync [{bar}] {value}/{total} entries | {pages} pages',
    hideCursor: true,
    clearOnComplete: false,
    // Without a terminal (CI, pipes) print a plain line every second instead of nothing.
    noTTYOutput: true,
    notTTYSchedule: 1000,
  });
  bar.start(expected, 0, { pages: 0 });
  try {
    for (;;) {
      const state = await syncState.load(ref);
      if (state) bar.update(Math.min(state.progress.entries, expected), { pages: state.progress.pages });
      const status = await sync.status(ref).catch(() => undefined);
      if (status?.lastCycle) {
        if (!status.lastCycle.ok) throw new Error(`first sync failed: ${status.lastCycle.error?.type}: ${status.lastCycle.error?.message}`);
        bar.update(status.lastCycle.result?.upserts ?? expected, { pages: status.lastCycle.result?.pages ?? 0 });
        return status.lastCycle;
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  } finally {
    bar.stop();
  }
}

async function replayWhileSyncing(input: {
  config: Config;
  emulator: DropboxEmulator;
  remaining: ReturnType<typeof readHistory>;
  sync: WorkspaceSyncClient;
  ref: WorkspaceRef;
  compare: () => Promise<ReturnType<typeof diffRecordset>>;
  isStopped: () => boolean;
  stopped: Promise<void>;
}): Promise<void> {
  const { config, emulator, remaining, sync, ref, compare } = input;
  console.log(
    `Replaying ${remaining.length} more batches, one every ${config.demo.replayIntervalMs} ms; syncing every ${config.demo.frequencyMs / 1000} s. Ctrl-C stops.\n`,
  );
  let next = 0;
  let replayDoneAt = remaining.length === 0 ? Date.now() : Infinity;
  const replay = setInterval(() => {
    const batch = remaining[next];
    if (!batch) return clearInterval(replay);
    emulator.applyBatch(DEMO_ACCOUNT.email, batch);
    next += 1;
    if (next === remaining.length) replayDoneAt = Date.now();
  }, config.demo.replayIntervalMs);
  let seenCycles = (await sync.status(ref)).cyclesCompleted;
  try {
    while (!input.isStopped()) {
      await Promise.race([input.stopped, new Promise((resolveWait) => setTimeout(resolveWait, 500))]);
      if (input.isStopped()) break;
      const status = await sync.status(ref);
      if (status.cyclesCompleted === seenCycles || !status.lastCycle) continue;
      seenCycles = status.cyclesCompleted;
      // Only a cycle that began after the last batch can be held to Dropbox's current state.
      const versus = Date.parse(status.lastCycle.startedAt) < replayDoneAt ? 'replay under way' : `vs Dropbox: ${describeDiff(await compare())}`;
      console.log(`cycle ${status.lastCycle.cycle}: ${summarizeCycle(status.lastCycle)} | batches replayed ${next}/${remaining.length} | ${versus}`);
    }
  } finally {
    clearInterval(replay);
  }
}

function summarizeCycle(outcome: { ok: boolean; result?: { mode: string; upserts: number; deletes: number; swept: number; pages: number; startedAt: string; finishedAt: string }; error?: { type: string; message: string } }): string {
  if (!outcome.ok || !outcome.result) return `failed (${outcome.error?.type}: ${outcome.error?.message})`;
  const r = outcome.result;
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return `${r.mode}, ${r.upserts} upserts, ${r.deletes} deletes${r.swept ? `, ${r.swept} swept` : ''}, ${r.pages} pages, ${ms} ms`;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`\nfostr-dropbox demo failed: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    process.exit(1);
  });
