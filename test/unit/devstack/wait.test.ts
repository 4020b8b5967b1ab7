import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../../../src/devstack/process';
import { StackStartError, waitForHealthy } from '../../../src/devstack/wait';

describe('waitForHealthy', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'devstack-wait-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns once the probe succeeds', async () => {
    let calls = 0;
    await waitForHealthy({
      component: 'Thing',
      address: '127.0.0.1:1',
      timeoutMs: 5000,
      probe: () => (++calls < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve()),
    });
    expect(calls).toBe(3);
  });

  it('times out naming the component, address, last error and log tail', async () => {
    const child = await startProcess({
      name: 'Slow server',
      command: 'sh',
      args: ['-c', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do echo "log $i"; done; exec sleep 30'],
      logFile: join(dir, 'slow.log'),
    });
    try {
      const error: unknown = await waitForHealthy({
        component: 'Slow server',
        address: '127.0.0.1:9',
        timeoutMs: 600,
        probe: () => Promise.reject(new Error('connection refused')),
        process: child,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StackStartError);
      const startError = error as StackStartError;
      expect(startError.message).toMatch(/^Slow server did not become healthy on 127\.0\.0\.1:9 within 600 ms\. Last error: connection refused\./);
      expect(startError.message).toContain(`Last 20 lines of ${join(dir, 'slow.log')}:\n  log 3\n`);
      expect(startError.message.endsWith('  log 22')).toBe(true);
      expect(startError.component).toBe('Slow server');
      expect(startError.logTail).toHaveLength(20);
    } finally {
      await child.stop();
    }
  });

  it('fails fast when the process exits before answering', async () => {
    const child = await startProcess({
      name: 'Crashy',
      command: 'sh',
      args: ['-c', 'echo "fatal: port in use" >&2; exit 7'],
      logFile: join(dir, 'crash.log'),
    });
    const started = Date.now();
    await expect(
      waitForHealthy({
        component: 'Crashy',
        address: '127.0.0.1:9',
        timeoutMs: 30_000,
        probe: () => new Promise((_, reject) => setTimeout(() => reject(new Error('refused')), 2000)),
        process: child,
      }),
    ).rejects.toThrow(/^Crashy exited with code 7 before answering on 127\.0\.0\.1:9\.\nLast 2 lines of .*crash\.log:\n {2}\$ sh -c .*\n {2}fatal: port in use$/);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
