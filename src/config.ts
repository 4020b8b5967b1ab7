import { z } from 'zod';
import type { KeyringSource } from './crypto/keyring';

const HostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'must be host:port, e.g. 127.0.0.1:7233', abort: true })
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'port must be at most 65535');
const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);

/** An origin allowed to call the codec server from a browser (the Temporal UI's), e.g. http://127.0.0.1:8233. */
const Origin = z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'each origin must be scheme://host[:port] without a path, e.g. http://127.0.0.1:8233');

/** A codec server credential: who holds it (for the audit log) and the bearer token itself (a secret). */
export interface CodecServerToken {
  readonly name: string;
  readonly token: string;
}

/** `CODEC_SERVER_TOKEN`: one token, or `name:token` pairs separated by commas so the audit log names who decoded. */
const CodecTokens = z.string().transform((text, ctx): CodecServerToken[] => {
  const tokens: CodecServerToken[] = [];
  const items = text.split(',').map((item) => item.trim());
  for (const [position, item] of items.entries()) {
    const separator = item.indexOf(':');
    const name = separator < 0 && items.length === 1 ? 'ops' : item.slice(0, Math.max(separator, 0));
    const token = separator < 0 ? item : item.slice(separator + 1);
    // Messages name the item, never its value.
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) ctx.addIssue({ code: 'custom', message: `item ${position + 1} must be <name>:<token> with a name of letters, digits, ".", "_", "@" or "-"` });
    else if (!/^[\x21-\x7e]{32,}$/.test(token)) ctx.addIssue({ code: 'custom', message: `the token of ${name} must be at least 32 printable characters without spaces (generate one with: openssl rand -base64 32)` });
    else if (tokens.some((known) => known.name === name)) ctx.addIssue({ code: 'custom', message: `names ${name} twice` });
    else tokens.push({ name, token });
  }
  return tokens;
});

/** Every environment variable the project reads, with its default. The README's table mirrors it. */
const EnvShape = {
  TEMPORAL_ADDRESS: HostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a Temporal namespace name').default('default'),
  TEMPORAL_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be letters, digits, ".", "_" or "-"').default('fostr-dropbox-sync'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URI').optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a MongoDB database name (letters, digits, "_", "-")').default('fostr_dropbox'),
  DROPBOX_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  DROPBOX_REQUEST_TIMEOUT_MS: intIn(1000, 600_000, 60_000),
  SYNC_FREQUENCY_SECONDS: intIn(1, 7 * 24 * 3600, 300),
  SYNC_FREQUENCY_MIN_SECONDS: intIn(1, 7 * 24 * 3600, 60),
  SYNC_FREQUENCY_MAX_SECONDS: intIn(1, 30 * 24 * 3600, 7 * 24 * 3600),
  SYNC_FULL_RELIST_HOURS: intIn(0, 24 * 365, 24),
  SYNC_PAGE_LIMIT: intIn(1, 2000, 500),
  SYNC_HEARTBEAT_TIMEOUT_SECONDS: intIn(2, 3600, 30),
  CREDENTIAL_PROBE_INTERVAL_SECONDS: intIn(1, 24 * 3600, 300),
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FOSTR_TOOLS_DIR: z.string().min(1).default('.tools'),
  FOSTR_DATA_DIR: z.string().min(1).optional(),
  DEMO_SYNC_FREQUENCY_SECONDS: intIn(1, 3600, 5),
  DEMO_REPLAY_INTERVAL_MS: intIn(10, 3_600_000, 1000),
  DEMO_CORPUS: z.string().min(1).optional(),
  // Secrets: parsed and checked by the Keyring (src/crypto), which never echoes them.
  FOSTR_ENCRYPTION_KEYS: z.string().min(1).optional(),
  FOSTR_ENCRYPTION_ACTIVE_KEY: intIn(1, 65535, 0).transform((value) => (value === 0 ? undefined : value)),
  FOSTR_INDEX_KEY: z.string().min(1).optional(),
  FOSTR_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  // Connect flow (docs/connect.md). The app key is public; the secret and API tokens are not.
  DROPBOX_APP_KEY: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'must be a Dropbox app key (letters, digits, "_" or "-")').optional(),
  DROPBOX_APP_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  CONNECT_REDIRECT_URI: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  CONNECT_PORT: intIn(0, 65535, 8787),
  CONNECT_FLOW_TTL_SECONDS: intIn(60, 3600, 600),
  CONNECT_API_TOKENS: z
    .string()
    .regex(/^[A-Za-z0-9._@-]+=[A-Za-z0-9._~+/-]{32,}(,[A-Za-z0-9._@-]+=[A-Za-z0-9._~+/-]{32,})*$/, 'must be "user=token" pairs separated by commas, tokens of at least 32 characters')
    // A token shared by two users would make the server unable to tell who acts.
    .refine((text) => {
      const pairs = text.split(',').map((pair) => pair.split('='));
      return new Set(pairs.map(([user]) => user)).size === pairs.length && new Set(pairs.map(([, token]) => token)).size === pairs.length;
    }, 'names a user twice, or gives two users the same token')
    .optional(),
  CODEC_SERVER_PORT: intIn(1, 65535, 8089),
  CODEC_SERVER_TOKEN: CodecTokens.optional(),
  CODEC_SERVER_CORS_ORIGINS: z
    .string()
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
    .pipe(z.array(Origin))
    .optional(),
};
const Env = z
  .object(EnvShape)
  .refine((env) => env.SYNC_FREQUENCY_MIN_SECONDS <= env.SYNC_FREQUENCY_MAX_SECONDS, {
    path: ['SYNC_FREQUENCY_MIN_SECONDS'],
    message: 'must not exceed SYNC_FREQUENCY_MAX_SECONDS',
  })
  // An unsigned webhook could be forged by anyone who learns its URL.
  .refine((env) => env.ALERT_WEBHOOK_URL === undefined || env.ALERT_WEBHOOK_SECRET !== undefined, {
    path: ['ALERT_WEBHOOK_SECRET'],
    message: 'is required when ALERT_WEBHOOK_URL is set',
  });

/** Variables whose values are secrets: errors name them but never show their values. */
const SECRET_VARIABLES = new Set(['FOSTR_ENCRYPTION_KEYS', 'FOSTR_INDEX_KEY', 'ALERT_WEBHOOK_SECRET', 'DROPBOX_APP_SECRET', 'CONNECT_API_TOKENS', 'CODEC_SERVER_TOKEN']);

/** Validated configuration. */
export interface Config {
  readonly temporal: { readonly address?: string; readonly namespace: string; readonly taskQueue: string };
  readonly mongo: { readonly uri?: string; readonly dbName: string };
  readonly dropbox: { readonly apiBaseUrl?: string; readonly requestTimeoutMs: number };
  readonly sync: {
    readonly frequencyMs: number;
    /** Floor and ceiling of the frequencies admins may set (tenant default or workspace override). */
    readonly frequencyBounds: { readonly minMs: number; readonly maxMs: number };
    readonly fullRelistIntervalMs: number;
    readonly pageLimit: number;
    readonly heartbeatTimeoutMs: number;
    /** How often a workspace blocked on its credentials probes them (cheaply) to resume on its own. */
    readonly credentialProbeIntervalMs: number;
  };
  /** Where alerts are POSTed (signed with the secret); unset: alerts are only stored. */
  readonly alerts: { readonly webhook?: { readonly url: string; readonly secret: string } };
  readonly logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  readonly toolsDir: string;
  readonly dataDir?: string;
  readonly demo: { readonly frequencyMs: number; readonly replayIntervalMs: number; readonly corpusPath?: string };
  /** Where the encryption keys come from (secrets; `Keyring.load` validates them). */
  readonly keys: KeyringSource;
  /** The Temporal payload codec server (loopback only). `tokens` are secrets; absent when not configured. */
  readonly codecServer: { readonly port: number; readonly tokens?: readonly CodecServerToken[]; readonly corsOrigins: readonly string[] };
  readonly connect: ConnectConfig;
}

/** The connect flow's settings (docs/connect.md). */
export interface ConnectConfig {
  /** The Dropbox app's key; without it no connection can be made. */
  readonly appKey?: string;
  /** Confidential apps only; stored with the credentials so refreshes authenticate with it. */
  readonly appSecret?: string;
  /** Where Dropbox sends the admin back (`.../connect/callback`); must be registered for the app. */
  readonly redirectUri?: string;
  /** Port of the connect server on 127.0.0.1 (0 picks a free one). @default 8787 */
  readonly port: number;
  /** How long a started flow may wait for its callback. @default 600 000 */
  readonly flowTtlMs: number;
  /** Bearer tokens of the connect server's users: user id -> token (secret). */
  readonly apiTokens: ReadonlyMap<string, string>;
}

/** Thrown at start-up when the environment is wrong; names every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration. The only place in the project that reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.keys(EnvShape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = Env.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '?');
        // A URI's password (MONGODB_URI, webhook URLs) is masked even when the rest is shown.
        const shown = SECRET_VARIABLES.has(key) ? '(secret, not shown)' : JSON.stringify(raw[key])?.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
        return `${key}: ${issue.message} (got ${shown})`;
      }),
    );
  }
  const e = parsed.data;
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    mongo: { uri: e.MONGODB_URI, dbName: e.MONGODB_DB },
    dropbox: { apiBaseUrl: e.DROPBOX_API_BASE_URL, requestTimeoutMs: e.DROPBOX_REQUEST_TIMEOUT_MS },
    sync: {
      frequencyMs: e.SYNC_FREQUENCY_SECONDS * 1000,
      frequencyBounds: { minMs: e.SYNC_FREQUENCY_MIN_SECONDS * 1000, maxMs: e.SYNC_FREQUENCY_MAX_SECONDS * 1000 },
      fullRelistIntervalMs: e.SYNC_FULL_RELIST_HOURS * 3600 * 1000,
      pageLimit: e.SYNC_PAGE_LIMIT,
      heartbeatTimeoutMs: e.SYNC_HEARTBEAT_TIMEOUT_SECONDS * 1000,
      credentialProbeIntervalMs: e.CREDENTIAL_PROBE_INTERVAL_SECONDS * 1000,
    },
    alerts: e.ALERT_WEBHOOK_URL !== undefined && e.ALERT_WEBHOOK_SECRET !== undefined ? { webhook: { url: e.ALERT_WEBHOOK_URL, secret: e.ALERT_WEBHOOK_SECRET } } : {},
    logLevel: e.LOG_LEVEL,
    toolsDir: e.FOSTR_TOOLS_DIR,
    dataDir: e.FOSTR_DATA_DIR,
    demo: { frequencyMs: e.DEMO_SYNC_FREQUENCY_SECONDS * 1000, replayIntervalMs: e.DEMO_REPLAY_INTERVAL_MS, corpusPath: e.DEMO_CORPUS },
    keys: {
      keys: e.FOSTR_ENCRYPTION_KEYS,
      activeVersion: e.FOSTR_ENCRYPTION_ACTIVE_KEY,
      indexKey: e.FOSTR_INDEX_KEY,
      keyFile: e.FOSTR_ENCRYPTION_KEY_FILE,
    },
    connect: {
      appKey: e.DROPBOX_APP_KEY,
      appSecret: e.DROPBOX_APP_SECRET,
      redirectUri: e.CONNECT_REDIRECT_URI,
      port: e.CONNECT_PORT,
      flowTtlMs: e.CONNECT_FLOW_TTL_SECONDS * 1000,
      apiTokens: new Map((e.CONNECT_API_TOKENS ?? '').split(',').filter(Boolean).map((pair) => pair.split('=', 2) as [string, string])),
    },
    codecServer: { port: e.CODEC_SERVER_PORT, tokens: e.CODEC_SERVER_TOKEN, corsOrigins: e.CODEC_SERVER_CORS_ORIGINS ?? [] },
  };
}
