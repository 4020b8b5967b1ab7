import { ConfigError, loadConfig } from '../config';
import { Keyring } from '../crypto/keyring';
import { createLogger } from '../logger';
import { startCodecServer } from './codec-server';
import { EncryptionCodec } from './payload-codec';

/**
 * Composition root of the codec server (`npm run codec-server`): the payload codec behind Temporal's
 * remote codec protocol on 127.0.0.1:CODEC_SERVER_PORT, for the namespace TEMPORAL_NAMESPACE.
 * Needs the same keys as the worker and CODEC_SERVER_TOKEN.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'fostr-dropbox-codec-server');
  if (!config.codecServer.tokens || config.codecServer.tokens.length === 0) {
    throw new ConfigError(['CODEC_SERVER_TOKEN: required for the codec server (one token, or name:token pairs separated by commas)']);
  }
  const keyring = Keyring.load(config.keys);
  const server = await startCodecServer({
    codec: new EncryptionCodec(keyring),
    tokens: config.codecServer.tokens,
    corsOrigins: config.codecServer.corsOrigins,
    namespaces: [config.temporal.namespace],
    logger,
    port: config.codecServer.port,
  });
  logger.info(
    { url: server.url, namespace: config.temporal.namespace, corsOrigins: config.codecServer.corsOrigins, operators: config.codecServer.tokens.map((entry) => entry.name) },
    'codec server started',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => logger.info('codec server stopped'));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
