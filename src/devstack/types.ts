/** Receives one human-readable progress line, e.g. "Temporal: starting dev server on 127.0.0.1:7233". */
export type StackLog = (message: string) => void;

/** What {@link startLocalStack} should use or start. */
export interface LocalStackOptions {
  /** Where downloaded or built binaries are cached, e.g. `<repo>/.tools` (git-ignored). */
  toolsDir: string;
  /** Scratch directory for server data and logs; created if missing. Give concurrent stacks different ones. */
  dataDir: string;
  /** `host:port` of a running Temporal server; when set nothing is started for Temporal. */
  temporalAddress?: string;
  /** Namespace the application uses; created by the dev server, required to exist on an external one. */
  temporalNamespace: string;
  /** URI of a running MongoDB-compatible server; when set nothing is started for MongoDB. */
  mongodbUri?: string;
  /** Whether a started Temporal dev server serves its Web UI (demo) or runs headless (tests). */
  temporalUi: boolean;
  /** How long each component may take to answer health checks before start-up fails. */
  startTimeoutMs: number;
  /** Progress sink. */
  log: StackLog;
}

/** The running stack; addresses are always loopback for the components that were started. */
export interface LocalStack {
  /** `host:port` of the Temporal frontend. */
  temporalAddress: string;
  /** `http://127.0.0.1:PORT` when the dev server was started with its UI. */
  temporalUiUrl?: string;
  /** `mongodb://127.0.0.1:PORT/` for started servers, or the configured URI. */
  mongodbUri: string;
  mongoKind: 'external' | 'mongod' | 'ferretdb';
  temporalKind: 'external' | 'dev-server';
  /** Stops only the processes this stack started (SIGTERM, then SIGKILL); safe to call repeatedly. */
  stop(): Promise<void>;
}
