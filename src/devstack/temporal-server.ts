import { join } from 'node:path';
import { findFreePorts, LOOPBACK } from './free-port';
import { startProcess, type ManagedProcess } from './process';
import { ensureTemporalCli } from './temporal-cli';
import { probeTemporal, withTemporalConnection } from './temporal-probe';
import { ensureSearchAttributes, type SearchAttributeDefinition } from './temporal-search-attributes';
import type { LocalStack, StackLog } from './types';
import { waitForHealthy } from './wait';

/** Temporal side of a running stack. */
export interface TemporalHandle {
  address: string;
  uiUrl?: string;
  kind: LocalStack['temporalKind'];
  stop(): Promise<void>;
}

export interface StartDevArgsInput {
  port: number;
  /** Omit to run headless. */
  uiPort?: number;
  namespace: string;
  searchAttributes: readonly SearchAttributeDefinition[];
}

/** Arguments for `temporal server start-dev` bound to loopback with an in-memory database. */
export function buildStartDevArgs(input: StartDevArgsInput): string[] {
  const args = ['server', 'start-dev', '--ip', LOOPBACK, '--port', String(input.port)];
  args.push(...(input.uiPort === undefined ? ['--headless'] : ['--ui-port', String(input.uiPort)]));
  args.push('--namespace', input.namespace, '--log-level', 'warn', '--color', 'never');
  for (const attribute of input.searchAttributes) {
    args.push('--search-attribute', `${attribute.name}=${attribute.type}`);
  }
  return args;
}

interface TemporalStartOptions {
  toolsDir: string;
  dataDir: string;
  temporalAddress?: string;
  temporalNamespace: string;
  temporalUi: boolean;
  startTimeoutMs: number;
  searchAttributes: readonly SearchAttributeDefinition[];
  log: StackLog;
}

/** Milliseconds left until `deadline`, never less than one probe's worth. */
function remainingMs(deadline: number): number {
  return Math.max(1000, deadline - Date.now());
}

async function registerSearchAttributes(address: string, options: TemporalStartOptions, deadline: number): Promise<void> {
  await withTemporalConnection(address, remainingMs(deadline), (connection) =>
    ensureSearchAttributes(connection, options.temporalNamespace, options.searchAttributes, options.log),
  ).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Temporal: cannot check search attributes on ${address} namespace '${options.temporalNamespace}': ${reason}`, {
      cause: error,
    });
  });
}

async function useExternal(address: string, options: TemporalStartOptions): Promise<TemporalHandle> {
  const deadline = Date.now() + options.startTimeoutMs;
  options.log(`Temporal: checking configured server ${address} (namespace '${options.temporalNamespace}')`);
  await waitForHealthy({
    component: 'Temporal (configured temporalAddress)',
    address,
    timeoutMs: options.startTimeoutMs,
    probe: (attemptMs) => probeTemporal(address, options.temporalNamespace, attemptMs),
  });
  await registerSearchAttributes(address, options, deadline);
  return { address, kind: 'external', stop: () => Promise.resolve() };
}

async function waitForUi(url: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  await waitForHealthy({
    component: 'Temporal Web UI',
    address: url,
    timeoutMs,
    probe: async (attemptMs) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(attemptMs) });
      await response.body?.cancel();
    },
    process: child,
  });
}

async function startDevServer(options: TemporalStartOptions): Promise<TemporalHandle> {
  const cli = await ensureTemporalCli(options.toolsDir, options.log);
  const deadline = Date.now() + options.startTimeoutMs;
  const [port, uiPort] = await findFreePorts(options.temporalUi ? 2 : 1);
  const address = `${LOOPBACK}:${port as number}`;
  const uiUrl = uiPort === undefined ? undefined : `http://${LOOPBACK}:${uiPort}`;
  options.log(`Temporal: starting dev server on ${address}${uiUrl === undefined ? ' (headless)' : `, UI ${uiUrl}`}`);
  const child = await startProcess({
    name: 'Temporal dev server',
    command: cli,
    args: buildStartDevArgs({
      port: port as number,
      uiPort,
      namespace: options.temporalNamespace,
      searchAttributes: options.searchAttributes,
    }),
    logFile: join(options.dataDir, 'temporal.log'),
  });
  try {
    await waitForHealthy({
      component: 'Temporal dev server',
      address,
      timeoutMs: options.startTimeoutMs,
      probe: (attemptMs) => probeTemporal(address, options.temporalNamespace, attemptMs),
      process: child,
    });
    // Start-dev registered them already; checking costs one call and catches a CLI that ignored the flag.
    await registerSearchAttributes(address, options, deadline);
    if (uiUrl !== undefined) await waitForUi(uiUrl, child, remainingMs(deadline));
  } catch (error) {
    await child.stop();
    throw error;
  }
  options.log(`Temporal: dev server ready at ${address}`);
  return { address, uiUrl, kind: 'dev-server', stop: () => child.stop() };
}

/**
 * Provides Temporal: the configured address if given (checked, search attributes added where
 * missing), else a `temporal server start-dev` on free loopback ports.
 */
export async function startTemporal(options: TemporalStartOptions): Promise<TemporalHandle> {
  if (options.temporalAddress) return useExternal(options.temporalAddress, options);
  return startDevServer(options);
}
