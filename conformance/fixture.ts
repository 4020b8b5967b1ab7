import type { DropboxEmulator } from '../emulator/src';

/**
 * What a client suite needs to know about the emulator it drives: where it listens, whom to trust,
 * and the accounts, tokens and tree prepared for it. Written to a JSON file for the child process.
 */
export interface Fixture {
  /** `127.0.0.1:<port>` of the api listener (DROPBOX_API_HOST and the content host). */
  readonly apiHost: string;
  /** `127.0.0.1:<port>` of the notify listener (DROPBOX_API_NOTIFY_HOST). */
  readonly notifyHost: string;
  readonly apiBaseUrl: string;
  readonly notifyBaseUrl: string;
  /** `https://127.0.0.1:<port>/_control`: how a suite changes the world mid-run. */
  readonly controlUrl: string;
  /** The emulator's certificate (PEM file) to trust. */
  readonly caFile: string;
  readonly email: string;
  readonly accountId: string;
  /** A long-lived full-access token for `email`. */
  readonly accessToken: string;
  readonly app: { readonly appKey: string; readonly appSecret: string };
  /** OAuth tokens of `app` for `email`: a refresh token and its short-lived access token. */
  readonly refreshToken: string;
  readonly shortLivedToken: string;
  /** A token of `app` for `email` that lacks `account_info.read`. */
  readonly metadataOnlyToken: string;
  /** A folder with `folderFileCount` files (and one deleted file, `deletedPath`). */
  readonly folderPath: string;
  readonly folderFileCount: number;
  readonly filePath: string;
  readonly deletedPath: string;
  /** Every live entry of the account (listing the root recursively returns exactly these). */
  readonly entryCount: number;
  readonly sharedFolderId: string;
  /** A second account, a member of the shared folder. */
  readonly memberEmail: string;
}

const FOLDER_FILES = 23;

/** Prepares one emulator for a client suite: accounts, a tree with history, an app and its tokens, a shared folder. */
export function buildFixture(emulator: DropboxEmulator, caFile: string, client: string): Fixture {
  const email = `${client}@conformance.example`;
  const memberEmail = `${client}-member@conformance.example`;
  const { accountId, accessToken } = emulator.createAccount({ email, displayName: 'Conformance Owner' });
  emulator.createAccount({ email: memberEmail, displayName: 'Conformance Member' });

  const folderPath = '/Conformance';
  const adds = Array.from({ length: FOLDER_FILES }, (_, index) => ({ op: 'add' as const, path: `${folderPath}/file-${String(index).padStart(2, '0')}.txt`, size: 100 + index }));
  emulator.applyBatch(email, {
    seq: 1,
    at: '2026-01-05T10:00:00Z',
    ops: [...adds, { op: 'add', path: `${folderPath}/Gone.txt`, size: 5 }, { op: 'add', path: '/Notes/Ümlaut café.md', size: 42 }],
  });
  emulator.applyBatch(email, { seq: 2, at: '2026-01-05T11:00:00Z', ops: [{ op: 'delete', path: `${folderPath}/Gone.txt` }] });

  const { sharedFolderId } = emulator.createSharedFolder({ ownerEmail: email, path: '/Shared Plans' });
  emulator.applySharedFolderBatch({ sharedFolderId, batch: { seq: 3, at: '2026-01-05T12:00:00Z', ops: [{ op: 'add', path: '/plan.txt', size: 10 }] } });
  emulator.addFolderMember({ sharedFolderId, email: memberEmail, accessLevel: 'editor' });
  // A second shared folder, so listing shared folders one per page needs `continue`.
  emulator.createSharedFolder({ ownerEmail: email, path: '/Archive' });

  const app = { appKey: `conformance-${client}`, appSecret: 'conformance-secret' };
  emulator.registerApp(app);
  const offline = emulator.issueTokens({ email, appKey: app.appKey, accessType: 'offline' });
  const metadataOnly = emulator.issueTokens({ email, appKey: app.appKey, accessType: 'online', scopes: ['files.metadata.read'] });

  return {
    apiHost: new URL(emulator.baseUrl).host,
    notifyHost: new URL(emulator.notifyBaseUrl).host,
    apiBaseUrl: emulator.baseUrl,
    notifyBaseUrl: emulator.notifyBaseUrl,
    controlUrl: `${emulator.baseUrl}/_control`,
    caFile,
    email,
    accountId,
    accessToken,
    app,
    refreshToken: offline.refreshToken!,
    shortLivedToken: offline.accessToken,
    metadataOnlyToken: metadataOnly.accessToken,
    folderPath,
    folderFileCount: FOLDER_FILES,
    filePath: `${folderPath}/file-00.txt`,
    deletedPath: `${folderPath}/Gone.txt`,
    entryCount: emulator.groundTruth(email).length,
    sharedFolderId,
    memberEmail,
  };
}
