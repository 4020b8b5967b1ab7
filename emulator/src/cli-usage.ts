/** `npm run emulator -- --help`: the flags, then the control interface in brief (bodies are JSON). */
export const USAGE = `Usage: npm run emulator -- [options]

Runs the Dropbox API v2 emulator on 127.0.0.1 (api host and notify host) with one personal account,
demo@fostr.example, and prints its base URLs and access token.

Options
  --port N                      api host port (default: a free one)
  --notify-port N               notify host port, longpoll only (default: a free one)
  --seed S                      seed for ids, revisions, hashes and fault draws (default: fostr)
  --entries N                   generate a realistic tree of N entries (up to 2000000) into the account
  --tree-seed S                 seed of the generated tree (default: from --seed and the account)
  --history FILE [--through SEQ]  apply change batches from a JSONL history (as shared/corpora/history-papers.jsonl)
  --faults PROFILE              fault profile from the start: none, flaky, slow, hostile (default: none)
  --https                       serve HTTPS with a self-signed loopback certificate
  --cert-file FILE              write that certificate here (default: a temp file), for --cacert,
                                NODE_EXTRA_CA_CERTS or REQUESTS_CA_BUNDLE
  --token T                     the account's access token (default: a random long-lived token)
  --page-limit N                page size when list_folder has no limit (default: 500)
  --child-tombstones            a folder delete also reports every descendant (Dropbox: the folder once)
  --reemit-subtree-on-unshare   unsharing re-reports every item below the folder
  -h, --help                    this text

Control interface: /_control/<action> on the api host (POST with a JSON body unless GET)
  accounts {email, displayName, accessToken?}     batches {email, batches}     ground-truth {email}
  seed {email, entries, seed?}                    GET requests                 latency {latencyMs}
  faults <rule>  GET faults  faults/clear {seed?}  faults/profile {name, seed?}  GET|POST switches
    rule kinds: rate_limit (reason, retryAfterSeconds, style json|json_without_retry_after|text),
    server_error (status, body empty|text), latency, timeout, truncated_body, malformed_body,
    cursor_reset, empty_page, page_limit, stuck_cursor; fired by times / everyNth / probability,
    scoped by route and account
  invalidate-cursors {email}                      tokens/expire {accessToken}
  tokens/revoke {token}                           tokens/remove-scope {token, scope}
  apps {appKey, appSecret, …}  oauth/sign-in {email}  tokens {email, appKey?, scopes?, accessType?}
  teams {name}  teams/members {teamId, email, admin?}  teams/members/remove {teamId, email}
  teams/root-namespace {teamId}  teams/tokens {teamId}  teams/team-folders {teamId, name}
  tokens/app-folder {email, appKey}  shared-folders {ownerEmail, path}
  shared-folders/members {sharedFolderId, email, accessLevel, mountPath?}  shared-folders/members/remove
  shared-folders/mount  shared-folders/unmount  shared-folders/unshare {sharedFolderId}
  shared-folders/batches {sharedFolderId, batches, actorEmail?}
OAuth: GET /oauth2/authorize (auto-approved by the signed-in user), POST /oauth2/token;
  default app emulator-test-app / emulator-test-secret`;
