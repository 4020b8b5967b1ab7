import { parseConnectArgs, UsageError } from '../../../src/connect/cli-args';
import { missingForSync, optionalScopeWarnings } from '../../../src/services/connect-workspace';

describe('missingForSync', () => {
  const complete = { appKey: 'k', accessToken: 'a', refreshToken: 'r', scopes: ['files.metadata.read', 'account_info.read'] };

  it('accepts what sync needs, with or without the optional scope', () => {
    expect(missingForSync(complete, { requireRefreshToken: true })).toEqual([]);
    expect(optionalScopeWarnings(complete.scopes)).toEqual(['scope sharing.read not granted: records will have no sharing info']);
    expect(optionalScopeWarnings([...complete.scopes, 'sharing.read'])).toEqual([]);
  });

  it('names every missing piece', () => {
    expect(missingForSync({ accessToken: 'a', scopes: ['sharing.read'] }, { requireRefreshToken: true })).toEqual([
      'app key (DROPBOX_APP_KEY)',
      'refresh token (authorize with token_access_type=offline)',
      'scope files.metadata.read',
      'scope account_info.read',
    ]);
    expect(missingForSync({ appKey: 'k', accessToken: 'a' }, { requireRefreshToken: false })).toEqual([]);
  });
});

describe('parseConnectArgs', () => {
  it('reads the connect, disconnect and grant commands', () => {
    expect(parseConnectArgs(['--tenant', 't', '--workspace', 'w', '--actor', 'ada', '--member', 'dbmid:abc'])).toEqual({ command: 'connect', tenant: 't', workspace: 'w', actor: 'ada', member: 'dbmid:abc' });
    expect(parseConnectArgs(['disconnect', '--tenant', 't', '--workspace', 'w', '--actor', 'ada'])).toEqual({ command: 'disconnect', tenant: 't', workspace: 'w', actor: 'ada' });
    expect(parseConnectArgs(['grant', '--tenant', 't', '--user', 'sam', '--role', 'stakeholder', '--workspace', 'w'])).toEqual({ command: 'grant', tenant: 't', user: 'sam', role: 'stakeholder', workspace: 'w' });
  });

  it('names what is wrong', () => {
    expect(() => parseConnectArgs(['--tenant', 't', '--workspace', 'w'])).toThrow(UsageError);
    expect(() => parseConnectArgs(['--tenant', 't', '--workspace', 'w'])).toThrow(/--actor/);
    expect(() => parseConnectArgs(['--tenant', 't', '--workspace', 'w', '--actor', 'a', '--member', 'bob'])).toThrow(/--member: must be a team member id/);
    expect(() => parseConnectArgs(['grant', '--tenant', 't', '--user', 'sam', '--role', 'stakeholder'])).toThrow(/--workspace/);
    expect(() => parseConnectArgs(['--bogus'])).toThrow(UsageError);
  });
});
