import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, CliOptions, parseCliOptions } from './cli-options';
import { USAGE } from './cli-usage';
import { readHistory } from './history';
import { DropboxEmulator } from './server';

const EMAIL = 'demo@fostr.example';

/** Standalone emulator for manual use and for other tools (the composition root of `npm run emulator`). */
async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await DropboxEmulator.start({
    port: options.port,
    notifyPort: options.notifyPort,
    seed: options.seed,
    defaultPageLimit: options.pageLimit,
    faultProfile: options.faultProfile,
    tls: options.https,
    childTombstones: options.childTombstones,
    reemitSubtreeOnUnshare: options.reemitSubtreeOnUnshare,
  });
  const { accessToken, accountId } = emulator.createAccount({ email: EMAIL, displayName: 'Fostr Demo', accessToken: options.token });
  fill(emulator, options);
  console.log(`Dropbox emulator listening on ${emulator.baseUrl} (notify host ${emulator.notifyBaseUrl}), fault profile ${options.faultProfile}`);
  if (options.https) {
    // Clients must trust the self-signed certificate; a file is what curl and both SDKs take.
    const certFile = options.certFile ?? join(tmpdir(), `dropbox-emulator-${process.pid}.pem`);
    emulator.writeCaCertificate(certFile);
    console.log(`certificate ${certFile}`);
  }
  console.log(`account ${accountId} (${EMAIL}), access token ${accessToken}`);
  const stop = (): void => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Gives the demo account its tree: a generated one or a replayed history. */
function fill(emulator: DropboxEmulator, options: CliOptions): void {
  if (options.entries !== undefined) {
    const report = emulator.generate(EMAIL, { entries: options.entries, seed: options.treeSeed });
    console.log(`generated ${report.entries} entries in ${(report.millis / 1000).toFixed(2)} s`);
  }
  if (options.history !== undefined) {
    const batches = readHistory(options.history).filter((batch) => options.through === undefined || batch.seq <= options.through);
    for (const batch of batches) emulator.applyBatch(EMAIL, batch);
    console.log(`applied ${batches.length} batches: ${emulator.groundTruth(EMAIL).length} entries`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliError) {
    console.error(`emulator: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`emulator: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
