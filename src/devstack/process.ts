import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { trackChild, untrackChild } from './child-registry';
import { lastLines } from './log-tail';

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Renders an {@link ExitInfo} for error messages, e.g. "exited with code 1". */
export function describeExit(info: ExitInfo): string {
  if (info.signal !== null) return `was killed by ${info.signal}`;
  return `exited with code ${info.code ?? 'unknown'}`;
}

/** A long-running child whose output goes to a log file. */
export interface ManagedProcess {
  /** Component label used in messages, e.g. "Temporal dev server". */
  readonly name: string;
  readonly pid: number;
  /** File receiving the child's stdout and stderr. */
  readonly logFile: string;
  /** Resolves once the child has exited, however that happened. */
  readonly exited: Promise<ExitInfo>;
  /** Exit status once known, otherwise undefined. */
  exitInfo(): ExitInfo | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Default wait between SIGTERM and SIGKILL when stopping a child. */
export const DEFAULT_STOP_GRACE_MS = 5000;

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Renders a command line the way a shell user would type it, for logs and errors. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteForLog).join(' ');
}

/**
 * Starts a long-running child with stdout and stderr appended to `logFile` (truncated first).
 *
 * The child writes to the file directly rather than through a pipe to us, so it never blocks on
 * a full pipe and never gets SIGPIPE if we die first. Resolves once the OS has started it.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'w');
  writeSync(fd, `$ ${formatCommand(options.command, options.args)}\n`);
  let child;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', fd, fd],
      // Own process group: a terminal's Ctrl-C reaches only us, so we can still terminate workflows
      // and shut down cleanly before stopping the servers ourselves.
      detached: true,
    });
  } finally {
    closeSync(fd);
  }

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new Error(`${options.name}: cannot start ${options.command}: ${error.message}`, { cause: error })),
    );
  });
  const pid = child.pid as number;
  trackChild(pid);
  // Signalling an already-reaped child emits 'error'; that must not crash the parent.
  child.on('error', () => undefined);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      untrackChild(pid);
      resolve(exitInfo);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number = DEFAULT_STOP_GRACE_MS): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo !== undefined) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    exitInfo: () => exitInfo,
    stop,
  };
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command and fail after this long. */
  timeoutMs: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Output kept per stream; tool chatter beyond this is not useful in an error message. */
const MAX_CAPTURE_CHARS = 256 * 1024;

function appendCapped(buffer: string, chunk: string): string {
  const joined = buffer + chunk;
  return joined.length > MAX_CAPTURE_CHARS ? joined.slice(joined.length - MAX_CAPTURE_CHARS) : joined;
}

/**
 * Runs a short-lived command to completion and returns its output.
 *
 * Rejects with the command line, how it ended, and the last lines of its output when it cannot
 * be started, exits non-zero, or runs past `timeoutMs`.
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const commandLine = formatCommand(command, args);
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = appendCapped(stdout, chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = appendCapped(stderr, chunk)));
    child.once('spawn', () => trackChild(child.pid as number));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${commandLine}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackChild(child.pid);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const how = timedOut ? `timed out after ${options.timeoutMs} ms` : describeExit({ code, signal });
      const tail = lastLines(`${stdout}\n${stderr}`, 15);
      const detail = tail.length > 0 ? `:\n  ${tail.join('\n  ')}` : ' without output';
      reject(new Error(`${commandLine} ${how}${detail}`));
    });
  });
}
