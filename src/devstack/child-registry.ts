import { spawn, type ChildProcess } from 'node:child_process';

/** How long the reaper waits between SIGTERM and SIGKILL once its parent is gone. */
const REAPER_GRACE_MS = 3000;

/*
 * Runs in a separate node process whose stdin is a pipe from us. The pipe closes when we die for
 * any reason, including SIGKILL or a default-handled SIGTERM that skips 'exit' handlers, so EOF
 * is the one reliable "parent is gone" signal. It ignores terminal-wide SIGINT/SIGHUP so that it
 * outlives a Ctrl-C and still cleans up if we do not.
 */
const REAPER_SOURCE = `
const pids = new Set();
let pending = '';
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
const reap = () => {
  if (pids.size === 0) process.exit(0);
  const killAll = (signal) => { for (const pid of pids) { try { process.kill(pid, signal); } catch {} } };
  killAll('SIGTERM');
  setTimeout(() => { killAll('SIGKILL'); process.exit(0); }, ${REAPER_GRACE_MS});
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

const tracked = new Set<number>();
let reaper: ChildProcess | undefined;
let exitHookInstalled = false;

function tellReaper(line: string): void {
  if (!reaper?.stdin?.writable) return;
  reaper.stdin.write(`${line}\n`);
}

function startReaper(): void {
  try {
    const child = spawn(process.execPath, ['-e', REAPER_SOURCE], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: {},
    });
    // A dead reaper only costs us the abrupt-death cleanup; never let it crash the parent.
    child.on('error', () => {
      if (reaper === child) reaper = undefined;
    });
    child.stdin?.on('error', () => {
      if (reaper === child) reaper = undefined;
    });
    child.on('exit', () => {
      if (reaper === child) reaper = undefined;
    });
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    reaper = child;
    for (const pid of tracked) tellReaper(`+${pid}`);
  } catch {
    reaper = undefined;
  }
}

function stopReaper(): void {
  const child = reaper;
  reaper = undefined;
  child?.stdin?.end();
}

function terminateTrackedNow(): void {
  for (const pid of tracked) {
    try {
      // SIGTERM lets servers flush; the reaper (which sees our stdin pipe close right after) follows up with SIGKILL.
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Registers a child process that must not outlive this one.
 *
 * Children are signalled synchronously on process 'exit', and a small reaper process kills them
 * when this process dies without running 'exit' handlers (SIGKILL, unhandled SIGTERM).
 */
export function trackChild(pid: number): void {
  if (!exitHookInstalled) {
    process.on('exit', terminateTrackedNow);
    exitHookInstalled = true;
  }
  tracked.add(pid);
  if (reaper === undefined) startReaper();
  else tellReaper(`+${pid}`);
}

/** Forgets a child that has exited; the reaper is shut down once nothing is left to guard. */
export function untrackChild(pid: number): void {
  if (!tracked.delete(pid)) return;
  tellReaper(`-${pid}`);
  if (tracked.size === 0) stopReaper();
}

/** Pids currently guarded, for diagnostics and tests. */
export function trackedChildren(): number[] {
  return [...tracked];
}

/** Pid of the reaper process, if one is running. */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}
