/** The Dropbox API v2 emulator: a product part used by the tests, benchmarks and the demo. */
export { DropboxEmulator } from './server';
export type { EmulatorOptions, GroundTruthEntry, RequestRecord } from './server';
export type { FaultRule, FaultKind, FaultProfileName } from './faults';
export { FAULT_PROFILES, FAULT_PROFILE_NAMES, FaultRuleSchema, isFaultProfileName } from './faults';
export type { LongpollSwitches, SurfaceSwitches } from './surface-switches';
export { readHistory, HistoryBatch } from './history';
export { contentHash, syntheticContentHash, DropboxContentHasher } from './content-hash';
export { generateLoopbackIdentity, writeCertificate } from './transport/tls';
export type { TlsIdentity, TlsOption } from './transport/tls';
export type { Exchange } from './transport/exchange-recorder';
export { DEFAULT_APP } from './auth/apps';
export type { AppInput, RegisteredApp } from './auth/apps';
export type { IssuedTokensResult, IssueTokensInput } from './oauth/oauth-server';
export { generateTree, MAX_GENERATED_ENTRIES } from './seed';
export type { GenerateTreeOptions, GeneratedTree, SeedReport, TreeStats } from './seed';
