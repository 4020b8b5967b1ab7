import { randomUUID } from 'node:crypto';
import { DropboxEmulator } from '../../../emulator/src';
import { DEFAULT_APP } from '../../../emulator/src/auth/apps';
import { StoredCredentials } from '../../../src/domain/connection';
import { DropboxCredentialError } from '../../../src/domain/errors';
import { DropboxClient } from '../../../src/dropbox/dropbox-client';
import { createHostMappingFetch } from '../../../src/dropbox/host-mapping-fetch';
import { TokenSession } from '../../../src/dropbox/token-session';

/** The token lifecycle against the emulator's real `/oauth2/token`, through the official SDK. */
describe('TokenSession', () => {
  let emulator: DropboxEmulator;

  beforeAll(async () => {
    emulator = await DropboxEmulator.start();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function offlineCredentials(email: string, options: { appKey?: string; appSecret?: string; expiresInMs?: number } = {}): StoredCredentials {
    const issued = emulator.issueTokens({ email, ...(options.appKey ? { appKey: options.appKey } : {}) });
    return {
      appKey: options.appKey ?? DEFAULT_APP.appKey,
      appSecret: options.appSecret ?? DEFAULT_APP.appSecret,
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + (options.expiresInMs ?? issued.expiresIn * 1000)).toISOString(),
    };
  }

  function newUser(): string {
    const email = `session-${randomUUID()}@example.com`;
    emulator.createAccount({ email, displayName: 'Session tester' });
    return email;
  }

  function session(credentials: StoredCredentials, saved: StoredCredentials[] = [], persistResult = true): TokenSession {
    return new TokenSession({
      credentials,
      persist: async (next) => {
        saved.push(next);
        return persistResult;
      },
      fetch: createHostMappingFetch(emulator.baseUrl),
      clock: () => new Date(),
      refreshMarginMs: 5 * 60_000,
    });
  }

  function client(tokens: TokenSession, selectUser?: string): DropboxClient {
    return new DropboxClient({ tokens, selectUser, apiBaseUrl: emulator.baseUrl, requestTimeoutMs: 10_000 });
  }

  it('uses a token far from expiry as it is', async () => {
    const credentials = offlineCredentials(newUser());
    const tokens = session(credentials);
    expect(await tokens.accessToken()).toBe(credentials.accessToken);
    expect(tokens.refreshes).toBe(0);
  });

  it('refreshes once inside the margin, for concurrent callers too, and saves the new token with the stored refresh token', async () => {
    const credentials = offlineCredentials(newUser(), { expiresInMs: 60_000 });
    const saved: StoredCredentials[] = [];
    const tokens = session(credentials, saved);
    const before = emulator.countRequests('oauth2/token');
    const [a, b, c] = await Promise.all([tokens.accessToken(), tokens.accessToken(), tokens.accessToken()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(a).not.toBe(credentials.accessToken);
    expect(emulator.countRequests('oauth2/token') - before).toBe(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ accessToken: a, refreshToken: credentials.refreshToken, appKey: credentials.appKey, appSecret: credentials.appSecret });
    expect(Date.parse(saved[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + 3 * 3600_000);
    expect(await tokens.accessToken()).toBe(a);
  });

  it('after a 401 expired_access_token refreshes once and retries the call once', async () => {
    const email = newUser();
    const credentials = offlineCredentials(email);
    const tokens = session(credentials);
    emulator.expireAccessToken(credentials.accessToken!);
    const page = await client(tokens).listFolder({ path: '', limit: 10 });
    expect(page.hasMore).toBe(false);
    expect(tokens.refreshes).toBe(1);
  });

  it('gives per-member clients of a team connection one refresh path and one new token', async () => {
    const suffix = randomUUID().slice(0, 8);
    emulator.registerApp({ appKey: `team-${suffix}`, appSecret: `team-secret-${suffix}`, teamLinked: true });
    const team = emulator.createTeam({ name: `Team ${suffix}` });
    const admin = newUser();
    emulator.addTeamMember({ teamId: team.teamId, email: admin, admin: true });
    const members = [newUser(), newUser()].map((email) => emulator.addTeamMember({ teamId: team.teamId, email }).teamMemberId);
    const credentials = offlineCredentials(admin, { appKey: `team-${suffix}`, appSecret: `team-secret-${suffix}` });
    const tokens = session(credentials);
    emulator.expireAccessToken(credentials.accessToken!);
    const before = emulator.countRequests('oauth2/token');

    const pages = await Promise.all(members.map((member) => client(tokens, member).listFolder({ path: '', limit: 10 })));

    expect(pages).toHaveLength(2);
    expect(emulator.countRequests('oauth2/token') - before).toBe(1);
  });

  it('a revoked authorization is invalid_grant, a credential error', async () => {
    const credentials = offlineCredentials(newUser());
    emulator.revokeTokens(credentials.refreshToken!);
    const error = await client(session(credentials)).listFolder({ path: '', limit: 1 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DropboxCredentialError);
    expect(error).toMatchObject({ kind: 'invalid_grant', route: 'oauth2/token' });
    expect((error as Error).message).not.toContain(credentials.refreshToken!);
  });

  it('an expired token without a refresh token is missing_refresh_token, before and after a 401', async () => {
    const email = newUser();
    const issued = emulator.issueTokens({ email, accessType: 'online' });
    const lapsed = session({ appKey: DEFAULT_APP.appKey, accessToken: issued.accessToken, accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
    await expect(lapsed.accessToken()).rejects.toMatchObject({ kind: 'missing_refresh_token' });
    emulator.expireAccessToken(issued.accessToken);
    const unknownExpiry = session({ appKey: DEFAULT_APP.appKey, accessToken: issued.accessToken });
    await expect(client(unknownExpiry).listFolder({ path: '', limit: 1 })).rejects.toMatchObject({ kind: 'missing_refresh_token' });
  });

  it('keeps working with the refreshed token when a reconnect refused the save', async () => {
    const credentials = offlineCredentials(newUser(), { expiresInMs: 1000 });
    const tokens = session(credentials, [], false);
    const token = await tokens.accessToken();
    expect(token).not.toBe(credentials.accessToken);
    expect((await client(tokens).listFolder({ path: '', limit: 1 })).hasMore).toBe(false);
  });
});
