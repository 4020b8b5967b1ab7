import { parseArgs } from 'node:util';
import { readHistory } from './history';
import { DropboxEmulator } from './server';

const USAGE = `Usage: npm run emulator -- [--port N] [--seed S] [--history FILE [--through SEQ]] [--token T] [--page-limit N]

Runs the Dropbox API v2 emulator on 127.0.0.1 with one personal account (demo@fostr.example).
  --port N         port to listen on (default: a free one)
  --seed S         seed for ids, revisions and hashes (default: fostr)
  --history FILE   apply change batches from a history file (JSONL, as shared/corpora/history-papers.jsonl)
  --through SEQ    apply batches up to this seq only
  --token T        the account's access token (default: a random sl.* token)
  --page-limit N   page size when list_folder has no limit (default: 500)
Control interface: POST /_control/{accounts,batches,ground-truth,invalidate-cursors,faults,latency}, GET /_control/requests
OAuth: GET /oauth2/authorize (auto-approved by the signed-in user), POST /oauth2/token; default app emulator-test-app / emulator-test-secret
  POST /_control/apps {appKey, appSecret, redirectUris?, permission?: full_dropbox|app_folder, teamLinked?, scopes?}   register an app
  POST /_control/oauth/sign-in {email}                 the user who approves /oauth2/authorize (default: the first account)
  POST /_control/tokens {email, appKey?, scopes?, accessType?: offline|online}   access + refresh token without the browser step
  POST /_control/tokens/expire {accessToken}           fault: 401 expired_access_token from now on
  POST /_control/tokens/revoke {token}                 fault: revoke the whole token family (access or refresh token)
  POST /_control/tokens/remove-scope {token, scope}    fault: 401 missing_scope for routes needing that scope`;

/** Standalone emulator for manual use and for other tools. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      history: { type: 'string' },
      through: { type: 'string' },
      token: { type: 'string' },
      'page-limit': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = wholeNumber('--port', values.port, 0, 65535) ?? 0;
  const through = wholeNumber('--through', values.through, 1, Number.MAX_SAFE_INTEGER);
  const pageLimit = wholeNumber('--page-limit', values['page-limit'], 1, 2000);
  if (through !== undefined && !values.history) throw new Error('--through needs --history');

  const emulator = await DropboxEmulator.start({ port, seed: values.seed, defaultPageLimit: pageLimit });
  const email = 'demo@fostr.example';
  const { accessToken, accountId } = emulator.createAccount({ email, displayName: 'Fostr Demo', accessToken: values.token });
  if (values.history) {
    const batches = readHistory(values.history).filter((batch) => through === undefined || batch.seq <= through);
    for (const batch of batches) emulator.applyBatch(email, batch);
    console.log(`applied ${batches.length} batches: ${emulator.groundTruth(email).length} entries`);
  }
  console.log(`Dropbox emulator listening on ${emulator.baseUrl}`);
  console.log(`account ${accountId} (${email}), access token ${accessToken}`);
  process.once('SIGINT', () => void emulator.stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
}

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

main().catch((error: unknown) => {
  console.error(`emulator: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
});
