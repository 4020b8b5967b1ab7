import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config';
import { startLocalStack } from '../../src/devstack';
import { findRepoRoot } from '../../src/devstack/ferretdb-build';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/data-converter';
import { STACK_FILE, TestStackInfo } from './stack-file';

/**
 * Starts the real stack once for the whole run (Temporal dev server headless, a MongoDB-compatible
 * server) unless TEMPORAL_ADDRESS / MONGODB_URI point at running ones, and bundles the workflow
 * code once so every test's worker shares it.
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const repoRoot = findRepoRoot();
  const dataDir = mkdtempSync(join(tmpdir(), 'fostr-test-'));
  const stack = await startLocalStack({
    toolsDir: resolve(repoRoot, config.toolsDir),
    dataDir,
    temporalAddress: config.temporal.address,
    temporalNamespace: config.temporal.namespace,
    mongodbUri: config.mongo.uri,
    temporalUi: false,
    startTimeoutMs: 120_000,
    log: (line) => process.stdout.write(`[stack] ${line}\n`),
  });
  (globalThis as { fostrTestStack?: typeof stack }).fostrTestStack = stack;

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietBundlerLogger });
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  const info: TestStackInfo = {
    temporalAddress: stack.temporalAddress,
    namespace: config.temporal.namespace,
    mongodbUri: stack.mongodbUri,
    mongoKind: stack.mongoKind,
    bundlePath,
  };
  mkdirSync(resolve(STACK_FILE, '..'), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(info));
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stdout.write(`[bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
  log: () => undefined,
};
