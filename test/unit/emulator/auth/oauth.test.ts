import { createHash, randomBytes } from 'node:crypto';
import { DropboxAuth } from 'dropbox';
import { DEFAULT_APP, DropboxEmulator } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';
import { api, control, newAccount, send, tokenForm } from './support';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'auth-oauth-test' });
});

afterAll(async () => {
  await emulator.stop();
});

const REDIRECT = DEFAULT_APP.redirectUris[0]!;

function authorizeUrl(params: Record<string, string>): string {
  return `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: DEFAULT_APP.appKey, ...params }).toString()}`;
}

/** Runs the authorize step as `email` and returns the redirect's query. */
async function approve(email: string, params: Record<string, string>): Promise<URLSearchParams> {
  emulator.signIn(email);
  const reply = await send(emulator, authorizeUrl({ redirect_uri: REDIRECT, ...params }));
  expect(reply.status).toBe(302);
  const location = new URL(reply.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code grant', () => {
  it('redirects with code and state, and exchanges the code (with the secret) for an offline token family', async () => {
    const { email, accountId } = newAccount(emulator);
    const query = await approve(email, { state: 'csrf|abc', token_access_type: 'offline', scope: 'files.metadata.read account_info.read' });
    expect(query.get('state')).toBe('csrf|abc');
    const code = query.get('code')!;
    const reply = await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret });
    expect(reply.status).toBe(200);
    const body = reply.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'account_id', 'expires_in', 'refresh_token', 'scope', 'token_type', 'uid']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 14400, scope: 'account_info.read files.metadata.read', account_id: accountId });
    expect(body['uid']).toMatch(/^\d+$/);
    expect((await api(emulator, 'check/user', body['access_token'] as string, { query: 'ok' })).json()).toEqual({ result: 'ok' });

    // Codes are single-use.
    const again = await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret });
    expect(again.status).toBe(400);
    expect(again.json()).toEqual({ error: 'invalid_grant', error_description: "code doesn't exist or has expired" });
  });

  it('gives online authorizations no refresh token, and grants every app scope when none is asked', async () => {
    const { email } = newAccount(emulator);
    const code = (await approve(email, {})).get('code')!;
    const body = (await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret })).json();
    expect(body['refresh_token']).toBeUndefined();
    expect(String(body['scope']).split(' ')).toEqual(expect.arrayContaining(['account_info.read', 'files.metadata.read', 'sharing.read']));
  });

  it('requires the same redirect_uri at the token endpoint', async () => {
    const { email } = newAccount(emulator);
    const code = (await approve(email, {})).get('code')!;
    const reply = await tokenForm(emulator, { grant_type: 'authorization_code', code, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret });
    expect(reply.json()).toEqual({ error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
  });

  it('checks the PKCE verifier (S256) and needs no secret with it', async () => {
    const { email } = newAccount(emulator);
    const { verifier, challenge } = pkcePair();
    const wrongCode = (await approve(email, { code_challenge: challenge, code_challenge_method: 'S256' })).get('code')!;
    const wrong = await tokenForm(emulator, { grant_type: 'authorization_code', code: wrongCode, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, code_verifier: pkcePair().verifier });
    expect(wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

    const code = (await approve(email, { code_challenge: challenge, code_challenge_method: 'S256', token_access_type: 'offline' })).get('code')!;
    const ok = await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, code_verifier: verifier });
    expect(ok.status).toBe(200);
    // A PKCE family refreshes with the app key alone.
    const refreshed = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: ok.json()['refresh_token'] as string, client_id: DEFAULT_APP.appKey });
    expect(refreshed.status).toBe(200);
  });

  it('accepts a plain PKCE challenge', async () => {
    const { email } = newAccount(emulator);
    const verifier = randomBytes(40).toString('base64url');
    const code = (await approve(email, { code_challenge: verifier, code_challenge_method: 'plain' })).get('code')!;
    const reply = await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, code_verifier: verifier });
    expect(reply.status).toBe(200);
  });

  it('refuses a code grant with neither secret nor verifier, or for another app', async () => {
    const { email } = newAccount(emulator);
    const code = (await approve(email, {})).get('code')!;
    const bare = await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey });
    expect(bare.json()).toEqual({ error: 'invalid_request', error_description: 'No auth function available for given request' });

    emulator.registerApp({ appKey: 'other-app', appSecret: 'other-secret', redirectUris: [REDIRECT] });
    const code2 = (await approve(email, {})).get('code')!;
    const foreign = await tokenForm(emulator, { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, client_id: 'other-app', client_secret: 'other-secret' });
    expect(foreign.json()['error']).toBe('invalid_grant');
  });

  it('issues tokens for the signed-in user, switched through the control interface', async () => {
    const first = newAccount(emulator, 'First User');
    const second = newAccount(emulator, 'Second User');
    expect((await control(emulator, 'oauth/sign-in', { email: second.email })).status).toBe(200);
    const reply = await send(emulator, authorizeUrl({ redirect_uri: REDIRECT }));
    const code = new URL(reply.headers.get('location')!).searchParams.get('code')!;
    const body = (await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret })).json();
    expect(body['account_id']).toBe(second.accountId);
    expect(body['account_id']).not.toBe(first.accountId);
    const unknown = await control(emulator, 'oauth/sign-in', { email: 'nobody@example.com' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe('no emulator account nobody@example.com');
  });

  it('adds earlier grants with include_granted_scopes', async () => {
    const { email } = newAccount(emulator);
    const exchange = async (params: Record<string, string>): Promise<string> => {
      const code = (await approve(email, params)).get('code')!;
      return (await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret })).json()['scope'] as string;
    };
    expect(await exchange({ scope: 'files.metadata.read' })).toBe('files.metadata.read');
    expect(await exchange({ scope: 'sharing.read' })).toBe('sharing.read');
    expect(await exchange({ scope: 'account_info.read', include_granted_scopes: 'user' })).toBe('account_info.read files.metadata.read sharing.read');
  });
});

describe('authorize page errors', () => {
  it('shows a 400 page for an unknown client_id or an unregistered redirect_uri', async () => {
    newAccount(emulator);
    const badClient = await send(emulator, authorizeUrl({ client_id: 'nope', redirect_uri: REDIRECT }));
    expect(badClient.status).toBe(400);
    expect(badClient.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(badClient.text).toContain('Invalid client_id');
    const badRedirect = await send(emulator, authorizeUrl({ redirect_uri: 'https://evil.example/cb' }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.text).toContain('Invalid redirect_uri');
    expect(badRedirect.headers.get('location')).toBeNull();
  });

  it('sends other problems back to the app as error and error_description', async () => {
    const { email } = newAccount(emulator);
    const badScope = await approve(email, { scope: 'files.metadata.read team_info.read', state: 's1' });
    expect(badScope.get('error')).toBe('invalid_scope');
    expect(badScope.get('error_description')).toContain('team_info.read');
    expect(badScope.get('state')).toBe('s1');
    expect(badScope.get('code')).toBeNull();
    expect((await approve(email, { token_access_type: 'forever' })).get('error')).toBe('invalid_request');
    expect((await approve(email, { code_challenge: pkcePair().challenge, code_challenge_method: 'S512' })).get('error')).toBe('invalid_request');
    const implicit = await send(emulator, authorizeUrl({ redirect_uri: REDIRECT, response_type: 'token' }));
    expect(new URL(implicit.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('refuses a team-linked app for a user who administers no team', async () => {
    const { email } = newAccount(emulator);
    emulator.registerApp({ appKey: 'team-app', appSecret: 'team-secret', redirectUris: [REDIRECT], teamLinked: true });
    const query = await approve(email, { client_id: 'team-app' });
    expect(query.get('error')).toBe('access_denied');
  });
});

describe('team-linked apps', () => {
  it('issue a team token to a team admin: team_id in the response, members chosen with Select-User', async () => {
    const admin = newAccount(emulator, 'Team Admin');
    const { teamId } = emulator.createTeam({ name: 'OAuth Team' });
    const adminMemberId = emulator.addTeamMember({ teamId, email: admin.email, admin: true }).teamMemberId;
    emulator.registerApp({ appKey: 'team-linked-app', appSecret: 'team-linked-secret', redirectUris: [REDIRECT], teamLinked: true });
    const code = (await approve(admin.email, { client_id: 'team-linked-app', token_access_type: 'offline' })).get('code')!;
    const body = (await tokenForm(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'team-linked-app', client_secret: 'team-linked-secret' })).json();
    expect(body).toMatchObject({ team_id: teamId, account_id: admin.accountId });
    expect(String(body['scope']).split(' ')).toContain('team_info.read');
    const token = body['access_token'] as string;

    const unselected = await api(emulator, 'users/get_current_account', token);
    expect(unselected.status).toBe(400);
    expect(unselected.text).toContain('Dropbox-API-Select-User');
    const selected = await send(emulator, '/2/users/get_current_account', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Dropbox-API-Select-User': adminMemberId } });
    expect(selected.json()['account_id']).toBe(admin.accountId);

    // Even revoking needs a member selected (watermint/toolbox#18); then it kills the team family.
    expect((await api(emulator, 'auth/token/revoke', token)).status).toBe(400);
    const revoke = await send(emulator, '/2/auth/token/revoke', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Dropbox-API-Select-User': adminMemberId } });
    expect(revoke.text).toBe('null');
    const refresh = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: body['refresh_token'] as string, client_id: 'team-linked-app', client_secret: 'team-linked-secret' });
    expect(refresh.json()['error']).toBe('invalid_grant');
  });
});

describe('the no-redirect flow with the official JS SDK (PKCE, offline)', () => {
  it('shows the code on a page; the SDK exchanges it with its verifier and refreshes with the app key only', async () => {
    const { email, accountId } = newAccount(emulator);
    emulator.signIn(email);
    const fetch = createHostMappingFetch(emulator.baseUrl);
    const auth = new DropboxAuth({ clientId: DEFAULT_APP.appKey, fetch });
    const url = new URL(await auth.getAuthenticationUrl(undefined as unknown as string, undefined, 'code', 'offline', undefined, undefined, true));
    expect(url.pathname).toBe('/oauth2/authorize');
    const page = await send(emulator, `${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const code = /<pre id="auth-code">([^<]+)<\/pre>/.exec(page.text)![1]!;

    const result = (await auth.getAccessTokenFromCode(undefined as unknown as string, code)).result as Record<string, unknown>;
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 14400, account_id: accountId });
    expect(result['refresh_token']).toEqual(expect.any(String));
    auth.setRefreshToken(result['refresh_token'] as string);
    await auth.refreshAccessToken();
    expect(auth.getAccessToken()).toMatch(/^sl\./);
    expect(auth.getAccessToken()).not.toBe(result['access_token']);
  });
});

describe('app registration through the control interface', () => {
  it('registers an App-folder app and names bad fields', async () => {
    const ok = await control(emulator, 'apps', { appKey: 'sandbox-app', appSecret: 'sandbox-secret', permission: 'app_folder', scopes: ['files.metadata.read'] });
    expect(ok.json()).toEqual({ appKey: 'sandbox-app', appFolder: true, teamLinked: false, scopes: ['files.metadata.read'] });
    const { email } = newAccount(emulator);
    const issued = emulator.issueTokens({ email, appKey: 'sandbox-app' });
    expect(emulator.tokens.authenticate(`Bearer ${issued.accessToken}`, 'check/user').app).toMatchObject({ appKey: 'sandbox-app', appFolder: true });

    const bad = await control(emulator, 'apps', { appKey: 'x', appSecret: 'short', scopes: ['files.everything'] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('appKey');
    expect(bad.text).toContain('appSecret');
    expect(bad.text).toContain('scopes');
  });
});
