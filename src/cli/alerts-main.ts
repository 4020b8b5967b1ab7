import { createAlertsApi } from '../api/alerts-api';
import { ConfigError, loadConfig } from '../config';
import { connectMongo } from '../store/mongo';
import { ALERTS_USAGE, formatAlerts, parseAlertsArgs } from './alerts-args';

/**
 * Composition root of `npm run alerts`: lists a tenant's credential alerts from MongoDB (needs
 * MONGODB_URI). Reads no credential and prints none.
 */
async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${ALERTS_USAGE}\n`);
    return;
  }
  const { input, json } = parseAlertsArgs(process.argv.slice(2));
  const config = loadConfig();
  if (!config.mongo.uri) throw new ConfigError(['MONGODB_URI: required to list alerts']);
  const mongo = await connectMongo(config.mongo.uri);
  try {
    const alerts = await createAlertsApi({ db: mongo.db(config.mongo.dbName) }).listAlerts(input);
    // --json prints one object per line, so no alert prints nothing at all.
    const text = json ? alerts.map((alert) => `${JSON.stringify(alert)}\n`).join('') : `${formatAlerts(alerts)}\n`;
    process.stdout.write(text);
  } finally {
    await mongo.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
