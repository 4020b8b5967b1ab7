/**
 * Local stack for the demo and the tests: Temporal and MongoDB on loopback, started only when
 * not configured, with the binaries they need cached under a tools directory.
 */
export type { LocalStack, LocalStackOptions, StackLog } from './types';
export { startLocalStack } from './stack';
export { ensureTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';
export { ensureFerretDb, findRepoRoot, FERRETDB_VERSION } from './ferretdb-build';
export { findExecutableOnPath } from './tools';
export { findFreePort, findFreePorts } from './free-port';
export { StackStartError } from './wait';
