/**
 * Latency of a workflow check, end to end through the library API, on the real local stack
 * (Temporal dev server, FerretDB or MongoDB, the emulator, one worker):
 * - fresh: the Recordset is within `maxStalenessMs`, so the workflow answers without a cycle;
 * - stale: `maxStalenessMs: 0`, so every check triggers a cycle (one small incremental change) and
 *   waits for it.
 * Run with `npm run bench` (or `npm run bench -- check-latency`).
 */
import { DropboxEmulator } from '../emulator/src';
import globalSetup from '../test/integration/global-setup';
import globalTeardown from '../test/integration/global-teardown';
import { createTestApi, startOptions } from '../test/integration/api-fixture';
import { Harness, uniqueTaskQueue } from '../test/integration/harness';

const FRESH_CHECKS = 200;
const STALE_CHECKS = 50;
const AT = '2026-01-02T03:04:05Z';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  process.stdout.write(`${label.padEnd(34)} n=${String(sorted.length).padEnd(4)} p50 ${fmt(percentile(sorted, 50)).padEnd(10)} p95 ${fmt(percentile(sorted, 95)).padEnd(10)} max ${fmt(sorted[sorted.length - 1]!)}\n`);
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  await globalSetup();
  const harness = await Harness.open();
  const emulator = await DropboxEmulator.start();
  const taskQueue = uniqueTaskQueue('bench');
  const worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 500 });
  try {
    const api = createTestApi(harness, startOptions(taskQueue));
    const { ref, email } = await harness.connectNewWorkspace(emulator, 'bench');
    emulator.applyBatch(email, { seq: 1, at: AT, ops: Array.from({ length: 100 }, (_, i) => ({ op: 'add' as const, path: `/docs/f${i}.txt`, size: i + 1 })) });
    const first = await time(() => api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 60_000 }));
    report('first check (update-with-start)', [first]);

    const fresh: number[] = [];
    for (let i = 0; i < FRESH_CHECKS; i += 1) fresh.push(await time(() => api.runWorkflowCheck({ ...ref, maxStalenessMs: 3_600_000, timeoutMs: 10_000 })));
    report('fresh (no cycle)', fresh);

    const stale: number[] = [];
    for (let i = 0; i < STALE_CHECKS; i += 1) {
      emulator.applyBatch(email, { seq: i + 2, at: AT, ops: [{ op: 'modify', path: `/docs/f${i}.txt`, size: 1000 + i }] });
      stale.push(
        await time(async () => {
          const result = await api.runWorkflowCheck({ ...ref, maxStalenessMs: 0, timeoutMs: 60_000 });
          if (result.outcome !== 'synced' || result.changes !== 1) throw new Error(`unexpected check result ${JSON.stringify(result)}`);
        }),
      );
    }
    report('stale (one incremental cycle)', stale);
  } finally {
    await worker.stop();
    await emulator.stop();
    await harness.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
