/** The Dropbox API v2 emulator: a product part used by the tests, benchmarks and the demo. */
export { DropboxEmulator } from './server';
export type { EmulatorOptions, GroundTruthEntry, RequestRecord } from './server';
export type { FaultRule } from './faults';
export { readHistory, HistoryBatch } from './history';
export { contentHash, syntheticContentHash, DropboxContentHasher } from './content-hash';
export { DEFAULT_APP } from './auth/apps';
export type { AppInput, RegisteredApp } from './auth/apps';
export type { IssuedTokensResult, IssueTokensInput } from './oauth/oauth-server';
