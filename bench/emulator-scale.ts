/**
 * Emulator scale: seed time and memory for generated trees, and how fast a full recursive listing
 * (`limit` 2000) comes back: in-process (the listing engine alone), over HTTP with plain fetch, and
 * over HTTP with the official JS SDK. Ratios of per-entry cost between the largest and smallest
 * tree show whether pages degrade with tree size. Loopback only.
 *
 * `npm run bench -- emulator-scale`; `BENCH_SIZES=10000,100000` picks the tree sizes.
 */
import { Dropbox } from 'dropbox';
import { DropboxEmulator } from '../emulator/src';
import { decodeCursor } from '../emulator/src/cursor';
import { createHostMappingFetch } from '../src/dropbox/host-mapping-fetch';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const LIMIT = 2000;

interface ListRun {
  readonly entries: number;
  readonly pages: number;
  readonly millis: number;
  /** Per-page latencies in ms. */
  readonly latencies: number[];
}

interface SizeResult {
  readonly size: number;
  readonly seedMillis: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly runs: Record<string, ListRun>;
}

type Page = { entries: unknown[]; cursor: string; has_more: boolean };

/** Pages through a whole listing, timing each page. */
async function listAll(first: () => Promise<Page>, next: (cursor: string) => Promise<Page>): Promise<ListRun> {
  const latencies: number[] = [];
  const started = performance.now();
  let at = performance.now();
  let page = await first();
  latencies.push(performance.now() - at);
  let entries = page.entries.length;
  while (page.has_more) {
    at = performance.now();
    page = await next(page.cursor);
    latencies.push(performance.now() - at);
    entries += page.entries.length;
  }
  return { entries, pages: latencies.length, millis: performance.now() - started, latencies };
}

async function measure(size: number): Promise<SizeResult> {
  const emulator = await DropboxEmulator.start({ seed: 'bench' });
  try {
    const email = `scale-${size}@fostr.example`;
    const { accessToken } = emulator.createAccount({ email, displayName: 'Scale' });
    const seeded = emulator.generate(email, { entries: size });
    const memory = process.memoryUsage();
    const account = emulator.account(email);
    const runs: Record<string, ListRun> = {};

    // In-process: the listing engine without HTTP. The first pass also computes each file's
    // content_hash (lazy, see seed/synthetic-content.ts); the second shows the steady state.
    const base = { v: 1 as const, a: account.accountId, e: account.cursorEpoch, p: '', r: true, l: LIMIT };
    const inProcess = (): Promise<ListRun> =>
      listAll(
        async () => account.listing.start(base),
        async (cursor) => account.listing.page(decodeCursor(cursor)!),
      );
    runs['in-process (first, hashes)'] = await inProcess();
    runs['in-process'] = await inProcess();

    const rpc = async (route: string, body: unknown): Promise<Page> => {
      const response = await fetch(`${emulator.baseUrl}/2/${route}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Page;
    };
    runs['http fetch'] = await listAll(
      () => rpc('files/list_folder', { path: '', recursive: true, limit: LIMIT }),
      (cursor) => rpc('files/list_folder/continue', { cursor }),
    );

    const dbx = new Dropbox({ accessToken, fetch: createHostMappingFetch(emulator.baseUrl) });
    runs['http sdk'] = await listAll(
      async () => (await dbx.filesListFolder({ path: '', recursive: true, limit: LIMIT })).result,
      async (cursor) => (await dbx.filesListFolderContinue({ cursor })).result,
    );
    for (const [mode, run] of Object.entries(runs)) {
      if (run.entries !== size) throw new Error(`${mode} listed ${run.entries} entries of ${size}`);
    }
    return { size, seedMillis: seeded.millis, rssMb: memory.rss / 1e6, heapMb: memory.heapUsed / 1e6, runs };
  } finally {
    await emulator.stop();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function line(cells: Array<string | number>, widths: number[]): string {
  return cells.map((cell, index) => String(cell).padStart(widths[index]!)).join('  ');
}

function parseSizes(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_SIZES;
  return raw.split(',').map((item) => {
    const value = Number(item.trim());
    if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_SIZES: ${JSON.stringify(item)} is not a positive whole number`);
    return value;
  });
}

async function main(): Promise<void> {
  const sizes = parseSizes(process.env['BENCH_SIZES']);
  const results: SizeResult[] = [];
  for (const size of sizes) {
    results.push(await measure(size));
    const last = results[results.length - 1]!;
    process.stdout.write(`seeded ${size} entries in ${(last.seedMillis / 1000).toFixed(2)} s; rss ${last.rssMb.toFixed(0)} MB, heap ${last.heapMb.toFixed(0)} MB after seeding\n`);
  }
  const widths = [9, 28, 10, 10, 11, 9, 9, 9];
  process.stdout.write(`\n${line(['entries', 'mode', 'seconds', 'entries/s', 'pages/s', 'p50 ms', 'p95 ms', 'µs/entry'], widths)}\n`);
  for (const result of results) {
    for (const [mode, run] of Object.entries(result.runs)) {
      const seconds = run.millis / 1000;
      process.stdout.write(
        `${line(
          [
            result.size,
            mode,
            seconds.toFixed(2),
            Math.round(run.entries / seconds),
            (run.pages / seconds).toFixed(1),
            percentile(run.latencies, 50).toFixed(1),
            percentile(run.latencies, 95).toFixed(1),
            ((run.millis * 1000) / run.entries).toFixed(2),
          ],
          widths,
        )}\n`,
      );
    }
  }
  if (results.length > 1) {
    const small = results[0]!;
    const large = results[results.length - 1]!;
    process.stdout.write(`\nper-entry cost at ${large.size} / at ${small.size} (1.0 = no degradation with tree size)\n`);
    for (const mode of Object.keys(large.runs)) {
      const cost = (result: SizeResult): number => result.runs[mode]!.millis / result.runs[mode]!.entries;
      process.stdout.write(`  ${mode.padEnd(28)} ${(cost(large) / cost(small)).toFixed(2)}\n`);
    }
    process.stdout.write(`  ${'seed'.padEnd(28)} ${(large.seedMillis / large.size / (small.seedMillis / small.size)).toFixed(2)}\n`);
  }
  process.stdout.write(`peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator-scale: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
