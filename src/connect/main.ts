import { Client, Connection } from '@temporalio/client';
import { createInterface } from 'node:readline';
import { WorkspaceSyncClient } from '../client/workspace-sync-client';
import { Config, ConfigError, loadConfig } from '../config';
import { FieldCipher, Keyring, KeyringError } from '../crypto';
import { ConnectFlowError, ConnectRefusedError, NotAuthorisedError } from '../domain/connection';
import { FostrDropboxError } from '../domain/errors';
import { workspaceSyncWorkflowId } from '../domain/ids';
import { DropboxClient } from '../dropbox/dropbox-client';
import { createLogger } from '../logger';
import { AccessGrantsRepository } from '../store/access-grants-repo';
import { AuditRepository } from '../store/audit-repo';
import { ConnectionsRepository } from '../store/connections-repo';
import { verifyKeys } from '../store/key-check';
import { connectMongo, ensureIndexes } from '../store/mongo';
import { OAuthFlowsRepository } from '../store/oauth-flows-repo';
import { createDataConverter } from '../temporal/data-converter';
import { CONNECT_USAGE, ConnectCommand, parseConnectArgs, UsageError } from './cli-args';
import { ConnectResult, ConnectService } from './connect-service';
import { ConnectServer } from './http-server';
import { ensureConnectIndexes } from './indexes';
import { temporalSyncControl } from './sync-control';

/**
 * Composition root of `npm run connect` (the paste-the-code flow, disconnect, grants) and
 * `npm run connect-server` (the HTTP flow). Needs MONGODB_URI and, except for `grant`, TEMPORAL_ADDRESS.
 * Nothing it prints holds a credential.
 */
async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${CONNECT_USAGE}\n`);
    return;
  }
  const command = parseConnectArgs(argv);
  const config = loadConfig();
  const needsTemporal = command.command !== 'grant';
  requireConfig(config, needsTemporal);
  const keyring = Keyring.load(config.keys);
  const mongo = await connectMongo(config.mongo.uri!);
  const temporal = needsTemporal ? await Connection.connect({ address: config.temporal.address! }) : undefined;
  try {
    const db = mongo.db(config.mongo.dbName);
    await ensureIndexes(db);
    await ensureConnectIndexes(db);
    // A wrong key must stop the connect before it seals credentials nobody could open.
    await verifyKeys(db, keyring);
    const grants = new AccessGrantsRepository(db);
    if (command.command === 'grant') {
      await grants.grant(command.role === 'admin' ? { tenantId: command.tenant, userId: command.user, role: 'admin' } : { tenantId: command.tenant, workspaceId: command.workspace, userId: command.user, role: 'stakeholder' });
      process.stdout.write(`Granted ${command.role} to ${command.user} in tenant ${command.tenant}${command.role === 'stakeholder' ? ` for workspace ${command.workspace}` : ''}\n`);
      return;
    }
    const cipher = new FieldCipher(keyring);
    const service = new ConnectService({
      connections: new ConnectionsRepository(db, cipher),
      flows: new OAuthFlowsRepository(db, cipher),
      audit: new AuditRepository(db),
      grants,
      ...(config.connect.appKey ? { app: { appKey: config.connect.appKey, ...(config.connect.appSecret ? { appSecret: config.connect.appSecret } : {}) } } : {}),
      apiBaseUrl: config.dropbox.apiBaseUrl,
      createDropboxClient: (accessToken, addressing) => new DropboxClient({ accessToken, ...addressing, ...config.dropbox }),
      sync: temporalSyncControl(new WorkspaceSyncClient(new Client({ connection: temporal!, namespace: config.temporal.namespace, dataConverter: createDataConverter(keyring) })), {
        taskQueue: config.temporal.taskQueue,
        schedule: { frequencyMs: config.sync.frequencyMs, fullRelistIntervalMs: config.sync.fullRelistIntervalMs },
        heartbeatTimeoutMs: config.sync.heartbeatTimeoutMs,
        credentialProbeIntervalMs: config.sync.credentialProbeIntervalMs,
      }),
      clock: () => new Date(),
      flowTtlMs: config.connect.flowTtlMs,
    });
    await run(command, service, config);
  } finally {
    await temporal?.close();
    await mongo.close();
  }
}

async function run(command: Exclude<ConnectCommand, { command: 'grant' }>, service: ConnectService, config: Config): Promise<void> {
  if (command.command === 'disconnect') {
    const result = await service.disconnect({ ref: { tenantId: command.tenant, workspaceId: command.workspace }, userId: command.actor });
    process.stdout.write(`${result.disconnected ? 'Disconnected' : 'Was not connected:'} ${command.tenant}/${command.workspace}; sync workflow ${result.workflowStopped ? 'stopped' : 'was not running'}. Records are kept.\n`);
    return;
  }
  if (command.command === 'serve') {
    const logger = createLogger(config.logLevel, 'fostr-dropbox-connect');
    const server = await ConnectServer.start({ service, apiTokens: config.connect.apiTokens, redirectUri: config.connect.redirectUri, port: config.connect.port, logger });
    logger.info({ baseUrl: server.baseUrl, redirectUri: server.redirectUri, users: config.connect.apiTokens.size }, 'connect server listening');
    await new Promise<void>((resolveStop) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolveStop());
    });
    await server.stop();
    return;
  }
  const ref = { tenantId: command.tenant, workspaceId: command.workspace };
  const { authorizeUrl, state, expiresAt } = await service.begin({ ref, userId: command.actor, ...(command.member ? { selectUser: command.member } : {}), ...(command.root !== undefined ? { rootPath: command.root } : {}) });
  process.stdout.write(`1. Open this URL and approve the app:\n${authorizeUrl}\n2. Paste the code Dropbox shows (before ${expiresAt.toISOString()}):\n`);
  const code = await readLine();
  const result = await service.finish({ state, ...(code ? { code } : { error: 'no code pasted' }) });
  process.stdout.write(`${describe(result)}\n`);
}

function describe(result: ConnectResult): string {
  const signalled = result.workflowSignalled ? `sync runs with them (workflow ${workspaceSyncWorkflowId(result.ref)}, task queue of the workers)` : 'sync is not running (see the warnings)';
  const warnings = result.warnings.map((warning) => `\nWarning: ${warning}`).join('');
  return `${result.action === 'reconnect' ? 'Reconnected' : 'Connected'} ${result.ref.tenantId}/${result.ref.workspaceId} to Dropbox: ${result.kind} account ${result.accountId}, credentials version ${result.credentialsVersion}; ${signalled}.${warnings}`;
}

/** The first non-empty line on stdin (the pasted code), or '' at end of input. */
async function readLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) if (line.trim() !== '') return line.trim();
    return '';
  } finally {
    lines.close();
  }
}

function requireConfig(config: Config, needsTemporal: boolean): void {
  const problems = [
    ...(config.mongo.uri ? [] : ['MONGODB_URI: required by npm run connect']),
    ...(needsTemporal && !config.temporal.address ? ['TEMPORAL_ADDRESS: required to tell the sync workflow about new credentials'] : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Known failures are shown by message (built without secrets); anything else by type only. */
function reportFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof NotAuthorisedError || error instanceof ConnectRefusedError || error instanceof ConnectFlowError || error instanceof FostrDropboxError) return `Refused: ${error.message}`;
  if (error instanceof UsageError) return `${error.message}\n\n${CONNECT_USAGE}`;
  // Key errors name the key and version, never key material (src/crypto/keyring.ts).
  if (error instanceof KeyringError) return error.message;
  return `Failed: ${error instanceof Error ? error.name : 'error'} (details withheld: they may hold a secret); see the server logs`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${reportFailure(error)}\n`);
  process.exitCode = 1;
});
