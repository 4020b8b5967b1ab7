/**
 * Drives the emulator with the official JS SDK (`dropbox` 10.47.0) over HTTPS, the way the connector
 * does: Dropbox's hosts mapped by `createHostMappingFetch`, the emulator's certificate trusted through
 * NODE_EXTRA_CA_CERTS (set by the runner before this process starts, as Node reads it only then).
 * Usage: tsx conformance/js/sdk-suite.ts <fixture.json> <results.json>
 */
import { Dropbox, DropboxAuth, DropboxResponseError, files } from 'dropbox';
import { createHostMappingFetch } from '../../src/dropbox/host-mapping-fetch';
import { DropboxClient } from '../../src/dropbox/dropbox-client';
import type { Fixture } from '../fixture';
import { ClientCheck, control, expect, expectRejection, runSuiteFromArgs } from './client-check';

type Fetch = typeof fetch;

/** api and content hosts go to the api listener, notify to its own listener. */
function emulatorFetch(fixture: Fixture): Fetch {
  const api = createHostMappingFetch(fixture.apiBaseUrl);
  const notify = createHostMappingFetch(fixture.notifyBaseUrl);
  return ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return url.startsWith('https://notify.dropboxapi.com/') ? notify(input, init) : api(input, init);
  }) as Fetch;
}

/** The SDK's auth object: present at run time, missing from its type declarations. */
function authOf(client: Dropbox): DropboxAuth {
  return (client as unknown as { auth: DropboxAuth }).auth;
}

/** The SDK's error for a non-2xx answer, checked to be one. */
function responseError(error: unknown): DropboxResponseError<{ error_summary?: string; error?: { '.tag'?: string } & Record<string, unknown> }> {
  expect(error instanceof DropboxResponseError, `expected a DropboxResponseError, got ${String(error)}`);
  return error as DropboxResponseError<{ error_summary?: string; error?: { '.tag'?: string } & Record<string, unknown> }>;
}

function sdkChecks(fixture: Fixture): ClientCheck[] {
  const fetch = emulatorFetch(fixture);
  const dbx = (accessToken = fixture.accessToken): Dropbox => new Dropbox({ accessToken, fetch });

  return [
    {
      name: 'current account',
      routes: ['users/get_current_account'],
      run: async () => {
        const { result } = await dbx().usersGetCurrentAccount();
        expect(result.account_id === fixture.accountId, `account_id ${result.account_id}`);
        expect(result.root_info['.tag'] === 'user', `root_info ${JSON.stringify(result.root_info)}`);
        return `account ${result.account_id}`;
      },
    },
    {
      name: 'list root recursively, paged',
      routes: ['files/list_folder', 'files/list_folder/continue'],
      run: async () => {
        const client = dbx();
        let page = (await client.filesListFolder({ path: '', recursive: true, limit: 5 })).result;
        const entries = [...page.entries];
        let pages = 1;
        while (page.has_more) {
          page = (await client.filesListFolderContinue({ cursor: page.cursor })).result;
          entries.push(...page.entries);
          pages += 1;
        }
        const live = entries.filter((entry) => entry['.tag'] !== 'deleted');
        expect(live.length === fixture.entryCount, `${live.length} live entries, expected ${fixture.entryCount}`);
        return `${live.length} entries in ${pages} pages`;
      },
    },
    {
      name: 'connector client: list and continue',
      routes: ['files/list_folder', 'files/list_folder/continue', 'users/get_current_account'],
      run: async () => {
        // The connector's own wrapper, which validates every page with zod before storing anything.
        const client = new DropboxClient({ accessToken: fixture.accessToken, apiBaseUrl: fixture.apiBaseUrl, requestTimeoutMs: 10_000 });
        const { accountId } = await client.currentAccount();
        expect(accountId === fixture.accountId, `account ${accountId}`);
        let page = await client.listFolder({ path: '', limit: 4 });
        let count = page.changes.length;
        while (page.hasMore) {
          page = await client.continueListing(page.cursor);
          count += page.changes.length;
        }
        expect(count === fixture.entryCount, `${count} entries, expected ${fixture.entryCount}`);
        return `${count} entries through the connector's client`;
      },
    },
    {
      name: 'get_metadata file/folder/id/deleted',
      routes: ['files/get_metadata'],
      run: async () => {
        const client = dbx();
        const file = (await client.filesGetMetadata({ path: fixture.filePath })).result;
        expect(file['.tag'] === 'file', `not a file: ${file['.tag']}`);
        const byId = (await client.filesGetMetadata({ path: (file as files.FileMetadataReference).id })).result;
        expect(byId.path_lower === file.path_lower, 'lookup by id disagrees');
        const deleted = (await client.filesGetMetadata({ path: fixture.deletedPath, include_deleted: true })).result;
        expect(deleted['.tag'] === 'deleted', `not deleted: ${deleted['.tag']}`);
        return 'file, id: and deleted lookups';
      },
    },
    {
      name: '409 not_found / not_folder',
      routes: ['files/get_metadata', 'files/list_folder'],
      run: async () => {
        const missing = responseError(await expectRejection(() => dbx().filesGetMetadata({ path: '/no/such/file.txt' }), '409'));
        expect(missing.status === 409, `status ${missing.status}`);
        expect(missing.error.error?.['.tag'] === 'path', `tag ${JSON.stringify(missing.error)}`);
        const notFolder = responseError(await expectRejection(() => dbx().filesListFolder({ path: fixture.filePath }), '409'));
        expect((notFolder.error.error?.['path'] as { '.tag': string })['.tag'] === 'not_folder', JSON.stringify(notFolder.error));
        return 'error at err.error.error, tag path';
      },
    },
    {
      name: '400 bad input',
      routes: ['files/list_folder'],
      run: async () => {
        const error = responseError(await expectRejection(() => dbx().filesListFolder({ path: '/' }), '400'));
        expect(error.status === 400 && typeof error.error === 'string', `status ${error.status}, body ${JSON.stringify(error.error)}`);
        return String(error.error).slice(0, 60);
      },
    },
    {
      name: '401 invalid token / missing_scope',
      routes: ['users/get_current_account'],
      run: async () => {
        const invalid = responseError(await expectRejection(() => dbx('sl.conformance-not-a-token').usersGetCurrentAccount(), '401'));
        expect(invalid.status === 401 && invalid.error.error?.['.tag'] === 'invalid_access_token', JSON.stringify(invalid.error));
        const scope = responseError(await expectRejection(() => dbx(fixture.metadataOnlyToken).usersGetCurrentAccount(), '401'));
        expect(scope.error.error?.['required_scope'] === 'account_info.read', JSON.stringify(scope.error));
        return 'invalid_access_token, missing_scope';
      },
    },
    {
      name: 'cursor reset',
      routes: ['files/list_folder/get_latest_cursor', 'files/list_folder/continue'],
      run: async () => {
        const { cursor } = (await dbx().filesListFolderGetLatestCursor({ path: fixture.folderPath })).result;
        await control(fixture, 'invalidate-cursors', { email: fixture.email });
        const error = responseError(await expectRejection(() => dbx().filesListFolderContinue({ cursor }), '409 reset'));
        expect(error.status === 409 && error.error.error?.['.tag'] === 'reset', JSON.stringify(error.error));
        return 'reset';
      },
    },
    {
      name: 'longpoll',
      routes: ['files/list_folder/longpoll'],
      run: async () => {
        const { cursor } = (await dbx().filesListFolderGetLatestCursor({ path: '', recursive: true })).result;
        const quiet = (await dbx().filesListFolderLongpoll({ cursor, timeout: 30 })).result;
        expect(!quiet.changes, 'changes without a change');
        await control(fixture, 'batches', { email: fixture.email, batches: [{ seq: 10, at: '2026-01-06T09:00:00Z', ops: [{ op: 'add', path: '/Longpoll/js.txt', size: 3 }] }] });
        const woke = (await dbx().filesListFolderLongpoll({ cursor, timeout: 30 })).result;
        expect(woke.changes, 'no changes after a change');
        const page = (await dbx().filesListFolderContinue({ cursor })).result;
        expect(page.entries.some((entry) => entry.path_lower === '/longpoll/js.txt'), 'the change is not on continue');
        return 'timeout without changes, then changes and the change on continue';
      },
    },
    {
      name: 'refresh token',
      routes: ['oauth2/token'],
      run: async () => {
        const client = new Dropbox({ refreshToken: fixture.refreshToken, clientId: fixture.app.appKey, clientSecret: fixture.app.appSecret, fetch });
        await client.usersGetCurrentAccount();
        const token = authOf(client).getAccessToken();
        expect(token && token !== fixture.shortLivedToken, 'no new access token');
        return 'refresh before the first call (query-string parameters)';
      },
    },
    {
      name: 'refresh after 401 expired',
      routes: ['oauth2/token', 'files/list_folder'],
      run: async () => {
        const client = new Dropbox({ refreshToken: fixture.refreshToken, clientId: fixture.app.appKey, clientSecret: fixture.app.appSecret, fetch });
        await authOf(client).refreshAccessToken();
        const token = authOf(client).getAccessToken();
        await control(fixture, 'tokens/expire', { accessToken: token });
        const expired = responseError(await expectRejection(() => client.filesListFolder({ path: fixture.folderPath, limit: 1 }), '401'));
        expect(expired.status === 401 && expired.error.error?.['.tag'] === 'expired_access_token', JSON.stringify(expired.error));
        // The JS SDK does not refresh on 401 (dropbox-api-notes.md §2.3): the caller does, then retries.
        await authOf(client).refreshAccessToken();
        await client.filesListFolder({ path: fixture.folderPath, limit: 1 });
        return 'expired_access_token, refreshed by the caller, retried';
      },
    },
    {
      name: '429 and 5xx surfaced',
      routes: ['files/list_folder', 'files/get_metadata'],
      run: async () => {
        await control(fixture, 'faults', { kind: 'rate_limit', route: 'files/list_folder', times: 1, retryAfterSeconds: 2, style: 'json' });
        const limited = responseError(await expectRejection(() => dbx().filesListFolder({ path: fixture.folderPath, limit: 1 }), '429'));
        expect(limited.status === 429 && limited.headers.get('retry-after') === '2', `status ${limited.status}`);
        await control(fixture, 'faults', { kind: 'server_error', route: 'files/get_metadata', times: 1, status: 503 });
        const failed = responseError(await expectRejection(() => dbx().filesGetMetadata({ path: fixture.filePath }), '503'));
        expect(failed.status === 503, `status ${failed.status}`);
        await dbx().filesListFolder({ path: fixture.folderPath, limit: 1 });
        return '429 with Retry-After, 503, then service again';
      },
    },
    {
      name: 'check/user',
      routes: ['check/user'],
      run: async () => {
        const { result } = await dbx().checkUser({ query: 'conformance' });
        expect(result.result === 'conformance', `echo ${result.result}`);
      },
    },
    {
      name: 'sharing',
      routes: ['sharing/list_folders', 'sharing/list_folders/continue', 'sharing/get_folder_metadata', 'sharing/list_folder_members', 'sharing/list_folder_members/continue'],
      run: async () => {
        const client = dbx();
        let folders = (await client.sharingListFolders({ limit: 1 })).result;
        const ids = folders.entries.map((folder) => folder.shared_folder_id);
        while (folders.cursor) {
          folders = (await client.sharingListFoldersContinue({ cursor: folders.cursor })).result;
          ids.push(...folders.entries.map((folder) => folder.shared_folder_id));
        }
        expect(ids.includes(fixture.sharedFolderId), `shared folder missing from ${ids.join(',')}`);
        const meta = (await client.sharingGetFolderMetadata({ shared_folder_id: fixture.sharedFolderId })).result;
        let members = (await client.sharingListFolderMembers({ shared_folder_id: fixture.sharedFolderId, limit: 1 })).result;
        let count = members.users.length;
        while (members.cursor) {
          members = (await client.sharingListFolderMembersContinue({ cursor: members.cursor })).result;
          count += members.users.length;
        }
        expect(count === 2, `${count} user members`);
        return `${meta.name}: ${count} members`;
      },
    },
    {
      name: 'token revoke',
      routes: ['auth/token/revoke'],
      run: async () => {
        const issued = (await control(fixture, 'tokens', { email: fixture.email, appKey: fixture.app.appKey, accessType: 'online' })) as { accessToken: string };
        const client = dbx(issued.accessToken);
        await client.authTokenRevoke();
        const error = responseError(await expectRejection(() => client.usersGetCurrentAccount(), '401'));
        expect(error.status === 401 && error.error.error?.['.tag'] === 'invalid_access_token', JSON.stringify(error.error));
        return 'revoked token answers invalid_access_token';
      },
    },
  ];
}

runSuiteFromArgs('js-sdk', sdkChecks).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
