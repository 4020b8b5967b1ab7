import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFerretDb, findRepoRoot } from './ferretdb-build';
import { findFreePort, LOOPBACK } from './free-port';
import { loopbackMongoUri, pingMongo, redactMongoUri } from './mongo-probe';
import { startProcess, type ManagedProcess } from './process';
import { findExecutableOnPath } from './tools';
import type { LocalStack, StackLog } from './types';
import { waitForHealthy } from './wait';

/** MongoDB side of a running stack. */
export interface MongoHandle {
  uri: string;
  kind: LocalStack['mongoKind'];
  stop(): Promise<void>;
}

/** Arguments for a loopback-only, throwaway `mongod`. */
export function buildMongodArgs(port: number, dbPath: string): string[] {
  return ['--bind_ip', LOOPBACK, '--port', String(port), '--dbpath', dbPath, '--quiet'];
}

/** Arguments for the `fostr-ferretdb` wrapper in devstack/ferretdb. */
export function buildFerretDbArgs(port: number, dataPath: string): string[] {
  return ['-listen', `${LOOPBACK}:${port}`, '-data', dataPath];
}

interface MongoStartOptions {
  toolsDir: string;
  dataDir: string;
  mongodbUri?: string;
  startTimeoutMs: number;
  log: StackLog;
}

async function useExternal(uri: string, options: MongoStartOptions): Promise<MongoHandle> {
  const shown = redactMongoUri(uri);
  options.log(`MongoDB: checking configured server ${shown}`);
  await waitForHealthy({
    component: 'MongoDB (configured mongodbUri)',
    address: shown,
    timeoutMs: options.startTimeoutMs,
    probe: (attemptMs) => pingMongo(uri, attemptMs),
  });
  return { uri, kind: 'external', stop: () => Promise.resolve() };
}

async function startServer(
  kind: 'mongod' | 'ferretdb',
  binary: string,
  buildArgs: (port: number, dataPath: string) => string[],
  options: MongoStartOptions,
): Promise<MongoHandle> {
  const dataPath = join(options.dataDir, kind);
  await mkdir(dataPath, { recursive: true });
  const port = await findFreePort();
  const uri = loopbackMongoUri(port);
  const component = `MongoDB (${kind})`;
  options.log(`MongoDB: starting ${kind} on ${LOOPBACK}:${port} (data in ${dataPath})`);
  const child: ManagedProcess = await startProcess({
    name: component,
    command: binary,
    args: buildArgs(port, dataPath),
    logFile: join(options.dataDir, `${kind}.log`),
  });
  try {
    await waitForHealthy({
      component,
      address: uri,
      timeoutMs: options.startTimeoutMs,
      probe: (attemptMs) => pingMongo(uri, attemptMs),
      process: child,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  options.log(`MongoDB: ${kind} ready at ${uri}`);
  return { uri, kind, stop: () => child.stop() };
}

/**
 * Provides MongoDB: the configured URI if given (checked with ping), else a `mongod` from PATH,
 * else the FerretDB wrapper (built on first use), each started on a free loopback port.
 */
export async function startMongo(options: MongoStartOptions): Promise<MongoHandle> {
  if (options.mongodbUri) return useExternal(options.mongodbUri, options);
  const mongod = findExecutableOnPath('mongod');
  if (mongod !== undefined) {
    options.log(`MongoDB: using mongod from PATH (${mongod})`);
    return startServer('mongod', mongod, buildMongodArgs, options);
  }
  options.log('MongoDB: no mongodbUri and no mongod on PATH; using FerretDB');
  const ferretdb = await ensureFerretDb(options.toolsDir, findRepoRoot(), options.log);
  return startServer('ferretdb', ferretdb, buildFerretDbArgs, options);
}
