import { ConfigError, loadConfig } from '../../src/config';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      temporal: { address: undefined, namespace: 'default', taskQueue: 'fostr-dropbox-sync' },
      mongo: { uri: undefined, dbName: 'fostr_dropbox' },
      dropbox: { apiBaseUrl: undefined, requestTimeoutMs: 60_000 },
      sync: { frequencyMs: 300_000, frequencyBounds: { minMs: 60_000, maxMs: 7 * 24 * 3600 * 1000 }, fullRelistIntervalMs: 24 * 3600 * 1000, pageLimit: 500, heartbeatTimeoutMs: 30_000, credentialProbeIntervalMs: 300_000 },
      alerts: {},
      logLevel: 'info',
      toolsDir: '.tools',
      dataDir: undefined,
      demo: { frequencyMs: 5000, replayIntervalMs: 1000, corpusPath: undefined },
      keys: { keys: undefined, activeVersion: undefined, indexKey: undefined, keyFile: undefined },
      connect: { appKey: undefined, appSecret: undefined, redirectUri: undefined, port: 8787, flowTtlMs: 600_000, apiTokens: new Map() },
      codecServer: { port: 8089, tokens: undefined, corsOrigins: [] },
    });
  });

  it('reads every variable and converts units', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'fostr-prod',
      TEMPORAL_TASK_QUEUE: 'dropbox.sync',
      MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/db',
      MONGODB_DB: 'records_1',
      DROPBOX_API_BASE_URL: 'http://127.0.0.1:8080',
      DROPBOX_REQUEST_TIMEOUT_MS: '1000',
      SYNC_FREQUENCY_SECONDS: '60',
      SYNC_FREQUENCY_MIN_SECONDS: '30',
      SYNC_FREQUENCY_MAX_SECONDS: '86400',
      SYNC_FULL_RELIST_HOURS: '0',
      SYNC_PAGE_LIMIT: '2000',
      SYNC_HEARTBEAT_TIMEOUT_SECONDS: '2',
      LOG_LEVEL: 'debug',
      FOSTR_TOOLS_DIR: '/opt/tools',
      FOSTR_DATA_DIR: '/var/fostr',
      DEMO_SYNC_FREQUENCY_SECONDS: '3600',
      DEMO_REPLAY_INTERVAL_MS: '10',
      DEMO_CORPUS: 'corpus.jsonl',
      FOSTR_ENCRYPTION_KEYS: '1:a2V5LW9uZQ==,2:a2V5LXR3bw==',
      FOSTR_ENCRYPTION_ACTIVE_KEY: '2',
      FOSTR_INDEX_KEY: 'aW5kZXgta2V5',
      FOSTR_ENCRYPTION_KEY_FILE: '/etc/fostr/keys.json',
      CREDENTIAL_PROBE_INTERVAL_SECONDS: '2',
      ALERT_WEBHOOK_URL: 'https://hooks.example.com/fostr',
      ALERT_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
      CODEC_SERVER_PORT: '9090',
      CODEC_SERVER_TOKEN: `alice:${'a'.repeat(32)}, bob:${'b'.repeat(40)}`,
      CODEC_SERVER_CORS_ORIGINS: 'http://127.0.0.1:8233, https://temporal.example.com',
    });
    expect(config).toEqual({
      temporal: { address: 'temporal.internal:7233', namespace: 'fostr-prod', taskQueue: 'dropbox.sync' },
      mongo: { uri: 'mongodb+srv://user:pw@cluster.example.net/db', dbName: 'records_1' },
      dropbox: { apiBaseUrl: 'http://127.0.0.1:8080', requestTimeoutMs: 1000 },
      sync: { frequencyMs: 60_000, frequencyBounds: { minMs: 30_000, maxMs: 86_400_000 }, fullRelistIntervalMs: 0, pageLimit: 2000, heartbeatTimeoutMs: 2000, credentialProbeIntervalMs: 2000 },
      alerts: { webhook: { url: 'https://hooks.example.com/fostr', secret: 'whsec-0123456789abcdef' } },
      logLevel: 'debug',
      toolsDir: '/opt/tools',
      dataDir: '/var/fostr',
      demo: { frequencyMs: 3_600_000, replayIntervalMs: 10, corpusPath: 'corpus.jsonl' },
      // Key values are passed through untouched; the Keyring validates them (and never echoes them).
      keys: { keys: '1:a2V5LW9uZQ==,2:a2V5LXR3bw==', activeVersion: 2, indexKey: 'aW5kZXgta2V5', keyFile: '/etc/fostr/keys.json' },
      connect: { appKey: undefined, appSecret: undefined, redirectUri: undefined, port: 8787, flowTtlMs: 600_000, apiTokens: new Map() },
      codecServer: {
        port: 9090,
        tokens: [
          { name: 'alice', token: 'a'.repeat(32) },
          { name: 'bob', token: 'b'.repeat(40) },
        ],
        corsOrigins: ['http://127.0.0.1:8233', 'https://temporal.example.com'],
      },
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ SYNC_PAGE_LIMIT: '', LOG_LEVEL: '', TEMPORAL_ADDRESS: '', MONGODB_DB: '' })).toEqual(loadConfig({}));
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).toEqual(loadConfig({}));
  });

  it.each([
    ['SYNC_PAGE_LIMIT', '0', 'SYNC_PAGE_LIMIT: must be at least 1 (got "0")'],
    ['SYNC_PAGE_LIMIT', 'abc', 'SYNC_PAGE_LIMIT: must be a whole number (got "abc")'],
    ['SYNC_PAGE_LIMIT', '2001', 'SYNC_PAGE_LIMIT: must be at most 2000 (got "2001")'],
    ['SYNC_PAGE_LIMIT', '-5', 'SYNC_PAGE_LIMIT: must be a whole number (got "-5")'],
    ['SYNC_PAGE_LIMIT', '10.5', 'SYNC_PAGE_LIMIT: must be a whole number (got "10.5")'],
    ['TEMPORAL_ADDRESS', 'nohost', 'TEMPORAL_ADDRESS: must be host:port, e.g. 127.0.0.1:7233 (got "nohost")'],
    ['MONGODB_URI', 'http://x', 'MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI (got "http://x")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "loud")'],
    ['DROPBOX_API_BASE_URL', 'ftp://files.example.com', 'DROPBOX_API_BASE_URL: must be an http(s) URL (got "ftp://files.example.com")'],
    ['DROPBOX_REQUEST_TIMEOUT_MS', '999', 'DROPBOX_REQUEST_TIMEOUT_MS: must be at least 1000 (got "999")'],
    ['SYNC_HEARTBEAT_TIMEOUT_SECONDS', '1', 'SYNC_HEARTBEAT_TIMEOUT_SECONDS: must be at least 2 (got "1")'],
    ['MONGODB_DB', 'bad name', 'MONGODB_DB: must be a MongoDB database name (letters, digits, "_", "-") (got "bad name")'],
    ['TEMPORAL_TASK_QUEUE', 'queue/with/slashes', 'TEMPORAL_TASK_QUEUE: must be letters, digits, ".", "_" or "-" (got "queue/with/slashes")'],
  ])('refuses %s=%p with a message naming the variable and the value', (key, value, problem) => {
    const error = configError({ [key]: value });
    expect(error.problems).toEqual([problem]);
    expect(error.message).toBe(`Invalid configuration:\n  - ${problem}`);
    expect(error.name).toBe('ConfigError');
  });

  it('names every bad variable at once', () => {
    const error = configError({ SYNC_PAGE_LIMIT: '0', TEMPORAL_ADDRESS: 'nohost', MONGODB_URI: 'http://x', LOG_LEVEL: 'loud', SYNC_FREQUENCY_SECONDS: '12' });
    expect(error.problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual(['TEMPORAL_ADDRESS', 'MONGODB_URI', 'SYNC_PAGE_LIMIT', 'LOG_LEVEL']);
    for (const value of ['"0"', '"nohost"', '"http://x"', '"loud"']) expect(error.message).toContain(`(got ${value})`);
  });

  it('refuses a frequency floor above the ceiling', () => {
    expect(configError({ SYNC_FREQUENCY_MIN_SECONDS: '600', SYNC_FREQUENCY_MAX_SECONDS: '60' }).problems).toEqual([
      'SYNC_FREQUENCY_MIN_SECONDS: must not exceed SYNC_FREQUENCY_MAX_SECONDS (got "600")',
    ]);
  });

  it('names a bad active key version without showing any key', () => {
    const error = configError({ FOSTR_ENCRYPTION_ACTIVE_KEY: 'two', FOSTR_ENCRYPTION_KEYS: '1:c2VjcmV0' });
    expect(error.problems).toEqual(['FOSTR_ENCRYPTION_ACTIVE_KEY: must be a whole number (got "two")']);
    expect(error.message).not.toContain('c2VjcmV0');
  });

  it('reads a single codec server token as the operator "ops"', () => {
    const token = 'Z'.repeat(43);
    expect(loadConfig({ CODEC_SERVER_TOKEN: token }).codecServer.tokens).toEqual([{ name: 'ops', token }]);
  });

  it.each([
    ['a short token', 'short-token', 'the token of ops must be at least 32 printable characters'],
    ['a short named token', `alice:${'a'.repeat(32)},bob:tooshort`, 'the token of bob must be at least 32 printable characters'],
    ['an unnamed item among several', `alice:${'a'.repeat(32)},${'b'.repeat(32)}`, 'item 2 must be <name>:<token>'],
    ['a name given twice', `alice:${'a'.repeat(32)},alice:${'b'.repeat(32)}`, 'names alice twice'],
  ])('refuses CODEC_SERVER_TOKEN with %s, never showing it', (_label, value, problem) => {
    const error = configError({ CODEC_SERVER_TOKEN: value });
    expect(error.problems).toEqual([expect.stringContaining(`CODEC_SERVER_TOKEN: ${problem}`)]);
    expect(error.message).toContain('(got (secret, not shown))');
    expect(error.message).not.toContain('aaaaaaaa');
    expect(error.message).not.toContain('short-token');
  });

  it('refuses a CORS origin with a path and a bad codec server port', () => {
    expect(configError({ CODEC_SERVER_CORS_ORIGINS: 'http://127.0.0.1:8233/ui', CODEC_SERVER_PORT: '70000' }).problems).toEqual([
      'CODEC_SERVER_PORT: must be at most 65535 (got "70000")',
      'CODEC_SERVER_CORS_ORIGINS: each origin must be scheme://host[:port] without a path, e.g. http://127.0.0.1:8233 (got "http://127.0.0.1:8233/ui")',
    ]);
  });

  it('refuses CONNECT_API_TOKENS that give two users one token', () => {
    const token = 't'.repeat(40);
    const error = configError({ CONNECT_API_TOKENS: `ada=${token},bob=${token}` });
    expect(error.problems).toEqual(['CONNECT_API_TOKENS: names a user twice, or gives two users the same token (got (secret, not shown))']);
  });

  it('masks the password of a URI it refuses', () => {
    const error = configError({ MONGODB_URI: 'mongdb://admin:Sup3rSecretPw@127.0.0.1:27555/' });
    expect(error.problems).toEqual(['MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI (got "mongdb://admin:***@127.0.0.1:27555/")']);
  });

  it('refuses a TEMPORAL_ADDRESS port above 65535', () => {
    expect(configError({ TEMPORAL_ADDRESS: 'localhost:99999' }).problems).toEqual([expect.stringContaining('TEMPORAL_ADDRESS')]);
  });

  it('refuses a webhook URL without a secret, and a short secret without showing it', () => {
    expect(configError({ ALERT_WEBHOOK_URL: 'https://hooks.example.com/x' }).problems).toEqual(['ALERT_WEBHOOK_SECRET: is required when ALERT_WEBHOOK_URL is set (got (secret, not shown))']);
    const error = configError({ ALERT_WEBHOOK_URL: 'https://hooks.example.com/x', ALERT_WEBHOOK_SECRET: 'short-secret' });
    expect(error.problems).toEqual(['ALERT_WEBHOOK_SECRET: must be at least 16 characters (got (secret, not shown))']);
    expect(error.message).not.toContain('short-secret');
  });

  it('refuses a probe interval of 0', () => {
    expect(configError({ CREDENTIAL_PROBE_INTERVAL_SECONDS: '0' }).problems).toEqual(['CREDENTIAL_PROBE_INTERVAL_SECONDS: must be at least 1 (got "0")']);
  });
});

describe('loadConfig: connect flow', () => {
  const tokenA = 'a'.repeat(32);
  const tokenB = 'B_b-b.b~b+b/b'.padEnd(40, 'x');

  it('reads the app, the callback, the port, the flow lifetime and the API users', () => {
    const config = loadConfig({
      DROPBOX_APP_KEY: 'abc123',
      DROPBOX_APP_SECRET: 'secret-of-the-app',
      CONNECT_REDIRECT_URI: 'https://fostr.example/connect/callback',
      CONNECT_PORT: '0',
      CONNECT_FLOW_TTL_SECONDS: '60',
      CONNECT_API_TOKENS: `ada=${tokenA},sam@fostr.example=${tokenB}`,
    });
    expect(config.connect).toEqual({
      appKey: 'abc123',
      appSecret: 'secret-of-the-app',
      redirectUri: 'https://fostr.example/connect/callback',
      port: 0,
      flowTtlMs: 60_000,
      apiTokens: new Map([
        ['ada', tokenA],
        ['sam@fostr.example', tokenB],
      ]),
    });
  });

  it('names bad values, and never shows the secret ones', () => {
    const error = configError({
      DROPBOX_APP_KEY: 'a b',
      DROPBOX_APP_SECRET: 'short',
      CONNECT_REDIRECT_URI: 'ftp://x/cb',
      CONNECT_PORT: '70000',
      CONNECT_FLOW_TTL_SECONDS: '5',
      CONNECT_API_TOKENS: 'ada=tooshort-token-value',
    });
    expect(error.problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
      'DROPBOX_APP_KEY',
      'DROPBOX_APP_SECRET',
      'CONNECT_REDIRECT_URI',
      'CONNECT_PORT',
      'CONNECT_FLOW_TTL_SECONDS',
      'CONNECT_API_TOKENS',
    ]);
    expect(error.message).not.toContain('short"');
    expect(error.message).not.toContain('tooshort-token-value');
    expect(error.message).toContain('(secret, not shown)');
  });
});
