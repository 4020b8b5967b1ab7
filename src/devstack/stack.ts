import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { startMongo, type MongoHandle } from './mongo-server';
import { startTemporal, type TemporalHandle } from './temporal-server';
import type { LocalStack, LocalStackOptions } from './types';

function validate(options: LocalStackOptions): void {
  if (!(options.startTimeoutMs > 0)) {
    throw new Error(`startLocalStack: startTimeoutMs must be a positive number of milliseconds, got ${options.startTimeoutMs}`);
  }
  if (options.temporalNamespace.trim() === '') {
    throw new Error('startLocalStack: temporalNamespace must not be empty');
  }
  if (options.temporalAddress && !/^[^\s:]+:\d+$|^\[[0-9a-f:]+\]:\d+$/i.test(options.temporalAddress)) {
    throw new Error(`startLocalStack: temporalAddress must be host:port, got '${options.temporalAddress}'`);
  }
}

function reason(result: PromiseRejectedResult): string {
  return result.reason instanceof Error ? result.reason.message : String(result.reason);
}

/**
 * Provides Temporal and MongoDB for the demo and the tests, starting (on loopback, in parallel)
 * only what `options` does not point at, and waiting until both answer.
 *
 * If either side fails, whatever was already started is stopped before the error is thrown.
 * Empty-string addresses count as unset, so values read from unset environment variables work.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  validate(options);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });

  const [temporal, mongo] = await Promise.allSettled([
    startTemporal({ ...options, dataDir, searchAttributes: ALL_SEARCH_ATTRIBUTES }),
    startMongo({ ...options, dataDir }),
  ]);

  if (temporal.status === 'rejected' || mongo.status === 'rejected') {
    const started: (TemporalHandle | MongoHandle)[] = [];
    if (temporal.status === 'fulfilled') started.push(temporal.value);
    if (mongo.status === 'fulfilled') started.push(mongo.value);
    await Promise.all(started.map((handle) => handle.stop()));
    if (temporal.status === 'rejected' && mongo.status === 'rejected') {
      throw new Error(`Local stack failed to start:\n- ${reason(temporal)}\n- ${reason(mongo)}`, { cause: temporal.reason });
    }
    throw temporal.status === 'rejected' ? temporal.reason : (mongo as PromiseRejectedResult).reason;
  }

  let stopping: Promise<void> | undefined;
  return {
    temporalAddress: temporal.value.address,
    temporalUiUrl: temporal.value.uiUrl,
    mongodbUri: mongo.value.uri,
    temporalKind: temporal.value.kind,
    mongoKind: mongo.value.kind,
    stop: () => {
      stopping ??= Promise.all([temporal.value.stop(), mongo.value.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
