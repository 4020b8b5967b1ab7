import { Account } from '../../../../emulator/src/account';
import { TokenStore } from '../../../../emulator/src/auth/token-store';
import { AppRegistry } from '../../../../emulator/src/auth/apps';
import { AuthorizationCodes, CODE_LIFETIME_MS } from '../../../../emulator/src/oauth/codes';
import { verifierMatches } from '../../../../emulator/src/oauth/pkce';
import { ApiError } from '../../../../emulator/src/api-error';

const account = new Account('Clock User', 'clock@example.com', 'token-store-test', false);

function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('TokenStore', () => {
  it('expires short-lived tokens after their lifetime, and never long-lived ones', () => {
    let now = 1_000_000;
    const store = new TokenStore({ accessTokenLifetimeSeconds: 60, now: () => now });
    const { access } = store.authorize({ subject: { kind: 'user', account }, scopes: ['files.metadata.read'], offline: true });
    const legacy = store.issue(account);
    now += 59_999;
    expect(store.authenticate(`Bearer ${access.token}`, 'files/list_folder')).toBe(access);
    now += 1;
    const expired = failure(() => store.authenticate(`Bearer ${access.token}`, 'files/list_folder'));
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { '.tag': 'expired_access_token' } });
    now += 10 * 365 * 86_400_000;
    expect(store.authenticate(`Bearer ${legacy.token}`, 'files/list_folder')).toBe(legacy);
  });

  it('answers a revoked token as invalid even when it has also expired', () => {
    let now = 0;
    const store = new TokenStore({ now: () => now });
    const { family, access } = store.authorize({ subject: { kind: 'user', account }, offline: false });
    expect(family.refreshToken).toBeUndefined();
    now += 14_400_000;
    family.revoke();
    expect(failure(() => store.authenticate(`Bearer ${access.token}`, 'check/user')).body).toMatchObject({ error: { '.tag': 'invalid_access_token' } });
  });

  it('refuses a lifetime that is not a whole number of seconds', () => {
    expect(() => new TokenStore({ accessTokenLifetimeSeconds: 0 })).toThrow('accessTokenLifetimeSeconds must be a whole number >= 1, got 0');
  });
});

describe('AuthorizationCodes', () => {
  it('are single-use and expire after their lifetime', () => {
    let now = 0;
    const codes = new AuthorizationCodes(() => now);
    const app = new AppRegistry().get('emulator-test-app')!;
    const pending = { app, subject: { kind: 'user' as const, account }, approver: account, scopes: [], accessType: 'online' as const };
    const once = codes.issue(pending);
    expect(codes.redeem(once)).toBe(pending);
    expect(codes.redeem(once)).toBeUndefined();
    const late = codes.issue(pending);
    now += CODE_LIFETIME_MS;
    expect(codes.redeem(late)).toBeUndefined();
  });
});

describe('PKCE', () => {
  // RFC 7636 appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  it('matches the RFC example for S256 and compares plain verbatim', () => {
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', verifier)).toBe(true);
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', `${verifier}x`)).toBe(false);
    expect(verifierMatches(verifier, 'plain', verifier)).toBe(true);
    expect(verifierMatches('short', 'plain', 'short')).toBe(false);
  });
});
