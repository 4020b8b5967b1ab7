import { randomUUID } from 'node:crypto';
import { Dropbox, DropboxAuth, DropboxResponseError } from 'dropbox';
import { DEFAULT_APP, DropboxEmulator } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';

/** Scenarios E (tokens and credential health) of dropbox-scenarios.md: the API's side of each. */
let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'scenarios-tokens' });
});

afterAll(async () => {
  await emulator.stop();
});

function account(name = 'Scenario User'): { email: string; accountId: string } {
  const email = `scenario-${randomUUID()}@example.com`;
  const { accountId } = emulator.createAccount({ email, displayName: name });
  emulator.applyBatch(email, { seq: 1, at: '2026-03-01T09:00:00Z', ops: [{ op: 'add', path: '/Docs/a.txt', size: 10 }] });
  return { email, accountId };
}

function client(options: { accessToken?: string; auth?: DropboxAuth; selectUser?: string }): Dropbox {
  return new Dropbox({ ...options, fetch: createHostMappingFetch(emulator.baseUrl) });
}

/** The status and AuthError tag (or raw body) of a failed SDK call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; error: unknown }> {
  const caught = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(caught instanceof DropboxResponseError)) throw new Error(`expected a DropboxResponseError, got ${String(caught)}`);
  return { status: caught.status, error: caught.error };
}

async function tokenForm(params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('scenario 27 (jschneier/django-storages#1244): an access token without refresh credentials expires', () => {
  it('answers list_folder with 401 expired_access_token, and nothing can refresh it', async () => {
    const { email } = account();
    const issued = emulator.issueTokens({ email, accessType: 'online' });
    expect(issued.refreshToken).toBeUndefined();
    const dbx = client({ accessToken: issued.accessToken });
    expect((await dbx.filesListFolder({ path: '' })).status).toBe(200);

    emulator.expireAccessToken(issued.accessToken);
    const expired = await failure(dbx.filesListFolder({ path: '' }));
    expect(expired).toEqual({ status: 401, error: { error_summary: expect.stringMatching(/^expired_access_token\//), error: { '.tag': 'expired_access_token' } } });
    // A retry without new credentials gets the same answer: there is no way back but reconnecting.
    expect((await failure(dbx.filesListFolder({ path: '' }))).status).toBe(401);
  });
});

describe('scenario 29 (nextcloud/integration_dropbox#34): the app is unlinked; refresh is refused', () => {
  it('answers continue with 401 invalid_access_token and the refresh with 400 invalid_grant; a new authorization resumes the cursor', async () => {
    const { email } = account();
    const first = emulator.issueTokens({ email });
    const dbx = client({ accessToken: first.accessToken });
    const c1 = (await dbx.filesListFolder({ path: '', recursive: true })).result.cursor;

    await dbx.authTokenRevoke();
    const continued = await failure(dbx.filesListFolderContinue({ cursor: c1 }));
    expect(continued.status).toBe(401);
    expect((continued.error as { error: { '.tag': string } }).error['.tag']).toBe('invalid_access_token');
    const refresh = await tokenForm({ grant_type: 'refresh_token', refresh_token: first.refreshToken!, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret });
    expect(refresh).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' } });

    // Reconnecting gives a new family; the saved cursor still works for the account.
    const second = emulator.issueTokens({ email });
    const resumed = await client({ accessToken: second.accessToken }).filesListFolderContinue({ cursor: c1 });
    expect(resumed.result).toMatchObject({ entries: [], has_more: false });
  });
});

describe('scenario 31 (dropbox/dropbox-sdk-python#100): a truncated token is malformed, not unauthorized', () => {
  it('answers get_current_account with 400 text/plain naming the malformed token', async () => {
    const { email } = account();
    const { accessToken } = emulator.issueTokens({ email });
    const response = await fetch(`${emulator.baseUrl}/2/users/get_current_account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken.slice(0, -40)}` },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Error in call to API function "users/get_current_account": The given OAuth 2 access token is malformed.');
  });
});

describe('scenario 33 (n8n-io/n8n#1542): a token lacks the scope a new health probe needs', () => {
  it('answers get_current_account with 401 missing_scope while list_folder/continue keeps working', async () => {
    const { email } = account();
    const { accessToken } = emulator.issueTokens({ email, scopes: ['files.metadata.read'] });
    const dbx = client({ accessToken });
    const c1 = (await dbx.filesListFolder({ path: '' })).result.cursor;

    const probe = await failure(dbx.usersGetCurrentAccount());
    expect(probe.status).toBe(401);
    expect((probe.error as { error: unknown }).error).toEqual({ '.tag': 'missing_scope', required_scope: 'account_info.read' });
    expect((await dbx.filesListFolderContinue({ cursor: c1 })).status).toBe(200);
  });
});

describe('scenario 37 (dropbox/dropbox-sdk-python#213): per-member clients of a team connection share one refresh path', () => {
  it('answers the member client with 401 expired, then the shared refresh serves every member client', async () => {
    const admin = account('Team Admin');
    const member = account('Team Member');
    const { teamId } = emulator.createTeam({ name: `Team ${randomUUID()}` });
    const adminId = emulator.addTeamMember({ teamId, email: admin.email, admin: true }).teamMemberId;
    const memberId = emulator.addTeamMember({ teamId, email: member.email }).teamMemberId;
    emulator.registerApp({ appKey: 'scenario-team-app', appSecret: 'scenario-team-secret', teamLinked: true });
    const issued = emulator.issueTokens({ email: admin.email, appKey: 'scenario-team-app' });

    const auth = new DropboxAuth({ refreshToken: issued.refreshToken, clientId: 'scenario-team-app', clientSecret: 'scenario-team-secret', fetch: createHostMappingFetch(emulator.baseUrl) });
    const asMember = client({ auth, selectUser: memberId });
    const asAdmin = client({ auth, selectUser: adminId });
    expect((await asMember.usersGetCurrentAccount()).result.account_id).toBe(member.accountId);

    emulator.expireAccessToken(auth.getAccessToken());
    const expired = await failure(asMember.filesListFolder({ path: '' }));
    expect(expired.status).toBe(401);
    expect((expired.error as { error: { '.tag': string } }).error['.tag']).toBe('expired_access_token');

    await auth.refreshAccessToken();
    expect((await asMember.filesListFolder({ path: '' })).status).toBe(200);
    expect((await asAdmin.usersGetCurrentAccount()).result.account_id).toBe(admin.accountId);
  });
});
