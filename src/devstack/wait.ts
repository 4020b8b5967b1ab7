import { readLastLines } from './log-tail';
import { describeExit, type ManagedProcess } from './process';

/** Log lines quoted in a start-up failure. */
const LOG_TAIL_LINES = 20;
/** Upper bound for one health probe, so a hung probe cannot eat the whole start-up budget. */
const MAX_ATTEMPT_MS = 3000;
const RETRY_DELAY_MS = 250;

/** A component that did not become healthy; the message names it, its address and its log tail. */
export class StackStartError extends Error {
  override readonly name = 'StackStartError';
  constructor(
    message: string,
    readonly component: string,
    readonly address: string,
    readonly logTail: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface HealthWait {
  /** e.g. "Temporal dev server" or "MongoDB (FerretDB)". */
  component: string;
  /** What clients will connect to; shown in the error. Must not contain credentials. */
  address: string;
  timeoutMs: number;
  /** Throws until the component is ready; should give up after `attemptTimeoutMs`. */
  probe: (attemptTimeoutMs: number) => Promise<void>;
  /** The process we started for it, if any: an early exit fails fast and its log is quoted. */
  process?: ManagedProcess;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Settles with 'exited' when `process` ends; never settles without a process. */
function exitOf(process: ManagedProcess | undefined): Promise<'exited'> {
  return process === undefined ? new Promise(() => undefined) : process.exited.then(() => 'exited' as const);
}

async function logSection(process: ManagedProcess | undefined): Promise<[string, string[]]> {
  if (process === undefined) return ['', []];
  const tail = await readLastLines(process.logFile, LOG_TAIL_LINES).catch(() => []);
  if (tail.length === 0) return [`\n${process.logFile} is empty.`, tail];
  return [`\nLast ${tail.length} lines of ${process.logFile}:\n  ${tail.join('\n  ')}`, tail];
}

/**
 * Probes a component until it answers, failing with a {@link StackStartError} on timeout or when
 * the process we started for it exits first.
 */
export async function waitForHealthy(wait: HealthWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const attemptMs = Math.min(MAX_ATTEMPT_MS, Math.max(remaining, 250));
    try {
      // Slack on top of attemptMs: the probe's own timeout yields a more specific error.
      const attempt = withTimeout(wait.probe(attemptMs), attemptMs + 1000, `${wait.component} health check`);
      // A probe against a dead process would only time out; stop it as soon as the process exits.
      const outcome = await Promise.race([attempt.then(() => 'healthy' as const), exitOf(wait.process)]);
      if (outcome === 'healthy') return;
    } catch (error) {
      lastError = error;
    }
    const exit = wait.process?.exitInfo();
    if (exit !== undefined) {
      const [log, tail] = await logSection(wait.process);
      throw new StackStartError(
        `${wait.component} ${describeExit(exit)} before answering on ${wait.address}.${log}`,
        wait.component,
        wait.address,
        tail,
      );
    }
    const pause = Math.min(RETRY_DELAY_MS, deadline - Date.now());
    if (pause > 0) await Promise.race([delay(pause), exitOf(wait.process)]);
  }
  const exit = wait.process?.exitInfo();
  const [log, tail] = await logSection(wait.process);
  const state = exit !== undefined ? ` (the process ${describeExit(exit)})` : '';
  throw new StackStartError(
    `${wait.component} did not become healthy on ${wait.address} within ${wait.timeoutMs} ms${state}. ` +
      `Last error: ${lastError === undefined ? 'none (no attempt finished)' : errorMessage(lastError)}.${log}`,
    wait.component,
    wait.address,
    tail,
    { cause: lastError },
  );
}
