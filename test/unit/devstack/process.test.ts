import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackedChildren } from '../../../src/devstack/child-registry';
import { describeExit, formatCommand, runCommand, startProcess } from '../../../src/devstack/process';

describe('describeExit / formatCommand', () => {
  it('renders exits and command lines for messages', () => {
    expect(describeExit({ code: 3, signal: null })).toBe('exited with code 3');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
    expect(formatCommand('go', ['build', '-o', '/a b/c', "it's"])).toBe(`go build -o '/a b/c' 'it'\\''s'`);
  });
});

describe('runCommand', () => {
  it('returns stdout and stderr of a successful command', async () => {
    await expect(runCommand('sh', ['-c', 'echo out; echo err >&2'], { timeoutMs: 5000 })).resolves.toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
    });
  });

  it('names the command, its exit code and its last output lines on failure', async () => {
    await expect(runCommand('sh', ['-c', 'echo first; echo boom >&2; exit 4'], { timeoutMs: 5000 })).rejects.toThrow(
      /^sh -c .* exited with code 4:\n {2}first\n {2}boom$/,
    );
  });

  it('kills a command that runs too long', async () => {
    await expect(runCommand('sleep', ['10'], { timeoutMs: 200 })).rejects.toThrow(/sleep 10 timed out after 200 ms/);
  });

  it('explains a missing executable', async () => {
    await expect(runCommand('/nonexistent/tool', [], { timeoutMs: 1000 })).rejects.toThrow(/cannot run \/nonexistent\/tool: .*ENOENT/);
  });
});

describe('startProcess', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'devstack-proc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the command line and output to the log file', async () => {
    const logFile = join(dir, 'out.log');
    const child = await startProcess({ name: 'echo', command: 'sh', args: ['-c', 'echo hello; echo oops >&2'], logFile });
    await expect(child.exited).resolves.toEqual({ code: 0, signal: null });
    expect(readFileSync(logFile, 'utf8')).toBe("$ sh -c 'echo hello; echo oops >&2'\nhello\noops\n");
    expect(trackedChildren()).not.toContain(child.pid);
  });

  it('stops with SIGTERM and is idempotent', async () => {
    const child = await startProcess({ name: 'sleeper', command: 'sleep', args: ['30'], logFile: join(dir, 's.log') });
    expect(trackedChildren()).toContain(child.pid);
    await Promise.all([child.stop(), child.stop()]);
    expect(child.exitInfo()).toEqual({ code: null, signal: 'SIGTERM' });
    await child.stop();
    expect(trackedChildren()).not.toContain(child.pid);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const child = await startProcess({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"],
      logFile: join(dir, 't.log'),
    });
    // The trap must be installed before we signal.
    for (let i = 0; i < 100 && !readFileSync(join(dir, 't.log'), 'utf8').includes('ready'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = Date.now();
    await child.stop(300);
    expect(child.exitInfo()?.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('rejects with the component name when the binary is missing', async () => {
    await expect(
      startProcess({ name: 'Ghost server', command: join(dir, 'missing'), args: [], logFile: join(dir, 'g.log') }),
    ).rejects.toThrow(/^Ghost server: cannot start .*missing: .*ENOENT/);
  });
});
