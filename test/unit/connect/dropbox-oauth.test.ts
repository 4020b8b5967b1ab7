import { createHash } from 'node:crypto';
import { DEFAULT_APP, DropboxEmulator } from '../../../emulator/src';
import { describeOAuthFailure, DropboxOAuth } from '../../../src/connect/dropbox-oauth';
import { ConnectFlowError } from '../../../src/domain/connection';

describe('DropboxOAuth', () => {
  let emulator: DropboxEmulator;

  beforeAll(async () => {
    emulator = await DropboxEmulator.start({ seed: 'connect-oauth-unit' });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('builds an authorize URL with state, offline access and an S256 challenge of a fresh verifier', async () => {
    const oauth = new DropboxOAuth({ appKey: 'my-app' });
    const first = await oauth.authorizeUrl({ state: 'state-1', redirectUri: 'http://127.0.0.1:9999/connect/callback' });
    const second = await oauth.authorizeUrl({ state: 'state-2' });
    const url = new URL(first.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://dropbox.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'my-app',
      redirect_uri: 'http://127.0.0.1:9999/connect/callback',
      state: 'state-1',
      token_access_type: 'offline',
      code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(first.verifier).digest('base64url'),
    });
    expect(first.verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(second.verifier).not.toBe(first.verifier);
    // The paste-the-code flow names no redirect URI.
    expect(new URL(second.url).searchParams.has('redirect_uri')).toBe(false);
  });

  it('encodes a redirect URI with a query of its own, and points the page at the API base URL when one is set', async () => {
    const oauth = new DropboxOAuth({ appKey: 'my-app' }, 'http://127.0.0.1:1234');
    const { url } = await oauth.authorizeUrl({ state: 'a+b/c=', redirectUri: 'https://fostr.example/cb?x=1&y=2' });
    const parsed = new URL(url);
    expect(parsed.origin).toBe('http://127.0.0.1:1234');
    expect(parsed.searchParams.get('redirect_uri')).toBe('https://fostr.example/cb?x=1&y=2');
    expect(parsed.searchParams.get('state')).toBe('a+b/c=');
    expect(parsed.searchParams.get('y')).toBeNull();
  });

  it('redeems a code with its verifier, and refuses a wrong verifier without echoing the code or the verifier', async () => {
    const { email, accountId } = ((label) => {
      const address = `${label}@fostr.example`;
      return { email: address, ...emulator.createAccount({ email: address, displayName: 'Unit User' }) };
    })('oauth-unit');
    emulator.signIn(email);
    const oauth = new DropboxOAuth({ appKey: DEFAULT_APP.appKey }, emulator.baseUrl);
    const codeFor = async (verifierUrl: string) => /<pre id="auth-code">([^<]+)<\/pre>/.exec(await (await fetch(verifierUrl)).text())![1]!;

    const good = await oauth.authorizeUrl({ state: 's' });
    const grant = await oauth.exchange({ code: await codeFor(good.url), verifier: good.verifier });
    expect(grant).toMatchObject({ accessToken: expect.stringMatching(/^sl\./), refreshToken: expect.any(String), expiresInSeconds: 14400, accountId });
    expect(grant.scopes).toEqual(expect.arrayContaining(['account_info.read', 'files.metadata.read']));

    const bad = await oauth.authorizeUrl({ state: 's2' });
    const code = await codeFor(bad.url);
    const wrongVerifier = (await oauth.authorizeUrl({ state: 's3' })).verifier;
    const error = await oauth.exchange({ code, verifier: wrongVerifier }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectFlowError);
    expect((error as Error).message).toBe('Dropbox refused the authorization code: HTTP 400 invalid_grant: invalid code verifier');
    expect((error as Error).message).not.toContain(code);
    expect((error as Error).message).not.toContain(wrongVerifier);
  });

  it('describes failures with the secrets blanked, and transport failures by kind only', () => {
    expect(describeOAuthFailure({ status: 400, error: { error: 'invalid_grant', error_description: 'code abc123 is unknown' } }, ['abc123'])).toBe('HTTP 400 invalid_grant: code abc123 is unknown'.replace('abc123', '[redacted]'));
    expect(describeOAuthFailure(new TypeError('fetch failed for https://api.dropboxapi.com/oauth2/token?code=abc123'), ['abc123'])).toBe('TypeError (request did not complete)');
    expect(describeOAuthFailure({ status: 500, error: 'oops' }, [])).toBe('HTTP 500 error: oops');
  });
});
