import { Dropbox, DropboxAuth, DropboxResponseError } from 'dropbox';
import { DEFAULT_APP, DropboxEmulator } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';
import { api, authTag, control, newAccount, send, tokenForm } from './support';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'auth-tokens-test' });
});

afterAll(async () => {
  await emulator.stop();
});

const CLIENT = { client_id: DEFAULT_APP.appKey, client_secret: DEFAULT_APP.appSecret };

function offline(email: string, scopes?: string[]): { accessToken: string; refreshToken: string } {
  const issued = emulator.issueTokens({ email, scopes });
  if (issued.refreshToken === undefined) throw new Error('expected a refresh token');
  return { accessToken: issued.accessToken, refreshToken: issued.refreshToken };
}

describe('short-lived tokens and the refresh grant', () => {
  it('refreshes with a form body: a new sl. token, bearer, 4 h, the scopes, and no new refresh token', async () => {
    const { email } = newAccount(emulator);
    const { accessToken, refreshToken } = offline(email, ['account_info.read', 'files.metadata.read']);
    const reply = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    const body = reply.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 14400, scope: 'account_info.read files.metadata.read' });
    expect(body['access_token']).toMatch(/^sl\./);
    expect(body['access_token']).not.toBe(accessToken);
    // Both access tokens of the family keep working.
    expect((await api(emulator, 'check/user', body['access_token'] as string, { query: 'new' })).json()).toEqual({ result: 'new' });
    expect((await api(emulator, 'check/user', accessToken, { query: 'old' })).json()).toEqual({ result: 'old' });
  });

  it('takes the parameters from the query string (JS SDK) or the credentials as HTTP Basic', async () => {
    const { email } = newAccount(emulator);
    const { refreshToken } = offline(email);
    const query = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT });
    const viaQuery = await send(emulator, `/oauth2/token?${query.toString()}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expect(viaQuery.status).toBe(200);
    const basic = `Basic ${Buffer.from(`${DEFAULT_APP.appKey}:${DEFAULT_APP.appSecret}`).toString('base64')}`;
    const viaBasic = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken }, { Authorization: basic });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.json()['token_type']).toBe('bearer');
  });

  it('narrows a refreshed token to the scopes asked for', async () => {
    const { email } = newAccount(emulator);
    const { refreshToken } = offline(email, ['account_info.read', 'files.metadata.read']);
    const reply = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'files.metadata.read', ...CLIENT });
    expect(reply.json()['scope']).toBe('files.metadata.read');
    const narrow = reply.json()['access_token'] as string;
    const gca = await api(emulator, 'users/get_current_account', narrow);
    expect(gca.status).toBe(401);
    expect(gca.json()).toMatchObject({ error: { '.tag': 'missing_scope', required_scope: 'account_info.read' } });
    expect((await api(emulator, 'files/list_folder', narrow, { path: '' })).status).toBe(200);

    const wider = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'sharing.read', ...CLIENT });
    expect(wider.status).toBe(400);
    expect(wider.json()['error']).toBe('invalid_scope');
  });

  it('answers refresh errors as JSON {error, error_description} with 400 or 401', async () => {
    const { email } = newAccount(emulator);
    const { refreshToken } = offline(email);
    const cases: Array<[Record<string, string>, number, string, string?]> = [
      [{ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: DEFAULT_APP.appKey, client_secret: 'wrong-secret' }, 401, 'invalid_client'],
      [{ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'no-such-app', client_secret: 'whatever1' }, 401, 'invalid_client'],
      [{ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: DEFAULT_APP.appKey }, 400, 'invalid_request', 'No auth function available for given request'],
      [{ grant_type: 'refresh_token', refresh_token: refreshToken.slice(0, 40), ...CLIENT }, 400, 'invalid_grant', 'refresh token is malformed'],
      [{ grant_type: 'refresh_token', refresh_token: 'A'.repeat(64), ...CLIENT }, 400, 'invalid_grant', 'refresh token is invalid or revoked'],
      [{ grant_type: 'refresh_token', ...CLIENT }, 400, 'invalid_request', 'missing refresh_token'],
      [{ grant_type: 'password', ...CLIENT }, 400, 'unsupported_grant_type'],
      [{ ...CLIENT }, 400, 'invalid_request', 'missing grant_type'],
    ];
    for (const [params, status, error, description] of cases) {
      const reply = await tokenForm(emulator, params);
      expect({ params, status: reply.status, type: reply.headers.get('content-type'), error: reply.json()['error'] }).toEqual({ params, status, type: 'application/json', error });
      if (description !== undefined) expect(reply.json()['error_description']).toBe(description);
    }
    // None of those consumed or damaged the refresh token.
    expect((await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT })).status).toBe(200);
  });

  it('honours accessTokenLifetimeSeconds in expires_in and expiry', async () => {
    const short = await DropboxEmulator.start({ seed: 'short-lived', accessTokenLifetimeSeconds: 60 });
    try {
      const { email } = newAccount(short);
      const issued = short.issueTokens({ email });
      expect(issued.expiresIn).toBe(60);
      const reply = await tokenForm(short, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, ...CLIENT });
      expect(reply.json()['expires_in']).toBe(60);
    } finally {
      await short.stop();
    }
  });
});

describe('token faults and token validity', () => {
  it('expires an access token now: 401 expired_access_token until a refresh gives a working one', async () => {
    const { email } = newAccount(emulator);
    const { accessToken, refreshToken } = offline(email);
    expect((await control(emulator, 'tokens/expire', { accessToken })).status).toBe(200);
    const expired = await api(emulator, 'files/list_folder', accessToken, { path: '' });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer realm="Dropbox-API"');
    expect(expired.json()).toEqual({ error_summary: expect.stringMatching(/^expired_access_token\/\.*$/), error: { '.tag': 'expired_access_token' } });
    const fresh = (await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT })).json()['access_token'] as string;
    expect((await api(emulator, 'files/list_folder', fresh, { path: '' })).status).toBe(200);
  });

  it('auth/token/revoke answers 200 null and kills every token of the family and its refresh token', async () => {
    const { email } = newAccount(emulator);
    const { accessToken, refreshToken } = offline(email);
    const sibling = (await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT })).json()['access_token'] as string;
    const other = offline(email);

    const revoke = await api(emulator, 'auth/token/revoke', sibling);
    expect(revoke.status).toBe(200);
    expect(revoke.headers.get('content-type')).toBe('application/json');
    expect(revoke.text).toBe('null');

    for (const token of [accessToken, sibling]) {
      const reply = await api(emulator, 'check/user', token, { query: '' });
      expect(reply.status).toBe(401);
      expect(authTag(reply)).toBe('invalid_access_token');
    }
    const refresh = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT });
    expect(refresh.status).toBe(400);
    expect(refresh.json()).toEqual({ error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' });
    // Another authorization of the same user is untouched.
    expect((await api(emulator, 'check/user', other.accessToken, { query: 'x' })).json()).toEqual({ result: 'x' });
  });

  it('revoke accepts the Python SDK\'s literal null body', async () => {
    const { email } = newAccount(emulator);
    const { accessToken } = offline(email);
    const reply = await send(emulator, '/2/auth/token/revoke', {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: 'null',
    });
    expect(reply.status).toBe(200);
    expect(authTag(await api(emulator, 'check/user', accessToken, {}))).toBe('invalid_access_token');
  });

  it('revokes a family from the control interface by its refresh token', async () => {
    const { email } = newAccount(emulator);
    const { accessToken, refreshToken } = offline(email);
    expect((await control(emulator, 'tokens/revoke', { token: refreshToken })).status).toBe(200);
    expect(authTag(await api(emulator, 'check/user', accessToken, {}))).toBe('invalid_access_token');
    expect((await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT })).json()['error']).toBe('invalid_grant');
  });

  it('tells an unknown token (401) from a damaged one (400 text)', async () => {
    const { email } = newAccount(emulator);
    const { accessToken } = offline(email);
    const unknown = await api(emulator, 'users/get_current_account', `sl.${'x'.repeat(20)}`.replace('sl.', 'zz.'));
    expect(unknown.status).toBe(401);
    expect(authTag(unknown)).toBe('invalid_access_token');
    const truncated = await api(emulator, 'users/get_current_account', accessToken.slice(0, -40));
    expect(truncated.status).toBe(400);
    expect(truncated.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(truncated.text).toBe('Error in call to API function "users/get_current_account": The given OAuth 2 access token is malformed.');
  });

  it('keeps createAccount tokens long-lived with every scope, and lets a scope be removed from them', async () => {
    const { accessToken } = newAccount(emulator);
    expect((await api(emulator, 'check/user', accessToken, { query: 'q' })).json()).toEqual({ result: 'q' });
    expect((await api(emulator, 'files/list_folder', accessToken, { path: '' })).status).toBe(200);
    expect(emulator.tokens.authenticate(`Bearer ${accessToken}`, 'check/user').expiresAt).toBeUndefined();

    expect((await control(emulator, 'tokens/remove-scope', { token: accessToken, scope: 'files.metadata.read' })).status).toBe(200);
    const list = await api(emulator, 'files/list_folder', accessToken, { path: '' });
    expect(list.status).toBe(401);
    expect(list.json()).toMatchObject({ error: { '.tag': 'missing_scope', required_scope: 'files.metadata.read' } });
    expect((await api(emulator, 'check/user', accessToken, {})).status).toBe(200);
  });

  it('removes a scope from every token of a live family, refreshed ones included', async () => {
    const { email } = newAccount(emulator);
    const { accessToken, refreshToken } = offline(email, ['account_info.read', 'files.metadata.read']);
    emulator.removeScope(refreshToken, 'account_info.read');
    const refreshed = await tokenForm(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, ...CLIENT });
    expect(refreshed.json()['scope']).toBe('files.metadata.read');
    for (const token of [accessToken, refreshed.json()['access_token'] as string]) {
      const reply = await api(emulator, 'users/get_current_account', token);
      expect(reply.json()).toMatchObject({ error: { '.tag': 'missing_scope', required_scope: 'account_info.read' } });
    }
  });

  it('refuses bad token control requests with a 400 naming the problem', async () => {
    const unknown = await control(emulator, 'tokens/expire', { accessToken: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe('no such access token');
    const missing = await control(emulator, 'tokens/remove-scope', { token: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('scope');
    const { email } = newAccount(emulator);
    const badApp = await control(emulator, 'tokens', { email, appKey: 'no-such-app' });
    expect(badApp.status).toBe(400);
    expect(badApp.text).toBe('no app no-such-app');
  });
});

describe('check/user', () => {
  it('echoes the query, defaulting to ""', async () => {
    const { accessToken } = newAccount(emulator);
    expect((await api(emulator, 'check/user', accessToken, { query: 'ping' })).json()).toEqual({ result: 'ping' });
    expect((await api(emulator, 'check/user', accessToken, {})).json()).toEqual({ result: '' });
  });

  it('refuses a query over 500 characters and unknown fields with 400 text', async () => {
    const { accessToken } = newAccount(emulator);
    const long = await api(emulator, 'check/user', accessToken, { query: 'q'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.text).toBe('Error in call to API function "check/user": request body: query: string is longer than 500');
    expect((await api(emulator, 'check/user', accessToken, { query: 'q'.repeat(500) })).status).toBe(200);
    const unknown = await api(emulator, 'check/user', accessToken, { q: 'x' });
    expect(unknown.text).toBe('Error in call to API function "check/user": request body: unknown field \'q\'');
  });

  it('needs account_info.read', async () => {
    const { email } = newAccount(emulator);
    const { accessToken } = offline(email, ['files.metadata.read']);
    const reply = await api(emulator, 'check/user', accessToken, { query: '' });
    expect(reply.json()).toMatchObject({ error: { '.tag': 'missing_scope', required_scope: 'account_info.read' } });
  });
});

describe('the official JS SDK', () => {
  function sdk(refreshToken: string): { dbx: Dropbox; auth: DropboxAuth } {
    const fetch = createHostMappingFetch(emulator.baseUrl);
    const auth = new DropboxAuth({ refreshToken, clientId: DEFAULT_APP.appKey, clientSecret: DEFAULT_APP.appSecret, fetch });
    return { dbx: new Dropbox({ auth, fetch }), auth };
  }

  it('refreshes first when given only a refresh token, then after an expiry on request', async () => {
    const { email, accountId } = newAccount(emulator);
    const { refreshToken } = offline(email);
    const { dbx, auth } = sdk(refreshToken);
    const before = emulator.countRequests('oauth2/token');
    const account = await dbx.usersGetCurrentAccount();
    expect(account.result.account_id).toBe(accountId);
    expect(emulator.countRequests('oauth2/token')).toBe(before + 1);

    const first = auth.getAccessToken();
    emulator.expireAccessToken(first);
    // The SDK does not refresh on 401: the caller sees it and refreshes.
    const error = await dbx.filesListFolder({ path: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DropboxResponseError);
    expect((error as DropboxResponseError<{ error: { '.tag': string } }>).status).toBe(401);
    expect((error as DropboxResponseError<{ error: { '.tag': string } }>).error.error['.tag']).toBe('expired_access_token');
    await auth.refreshAccessToken();
    expect(auth.getAccessToken()).not.toBe(first);
    expect((await dbx.filesListFolder({ path: '' })).status).toBe(200);
    expect(emulator.countRequests('oauth2/token')).toBe(before + 2);
  });

  it('gets invalid_grant from a revoked refresh token', async () => {
    const { email } = newAccount(emulator);
    const { refreshToken } = offline(email);
    await sdk(refreshToken).dbx.authTokenRevoke();
    const error = await sdk(refreshToken).dbx.checkUser({ query: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DropboxResponseError);
    expect((error as DropboxResponseError<unknown>).status).toBe(400);
    expect((error as DropboxResponseError<unknown>).error).toEqual({ error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' });
  });
});
