import { authorise } from '../../../src/connect/authorise';
import { AccessGrant } from '../../../src/domain/connection';

const ref = { tenantId: 't1', workspaceId: 'w1' };

describe('authorise', () => {
  const grants: AccessGrant[] = [
    { tenantId: 't1', userId: 'ada', role: 'admin' },
    { tenantId: 't1', workspaceId: 'w1', userId: 'sam', role: 'stakeholder' },
    { tenantId: 't1', workspaceId: 'w2', userId: 'wes', role: 'stakeholder' },
    { tenantId: 't2', userId: 'otto', role: 'admin' },
    { tenantId: 't1', workspaceId: 'w1', userId: 'both', role: 'stakeholder' },
    { tenantId: 't1', userId: 'both', role: 'admin' },
  ];

  it('lets a tenant admin act on any workspace of the tenant', () => {
    expect(authorise(grants, 'ada', ref)).toEqual({ userId: 'ada', role: 'admin' });
    expect(authorise(grants, 'ada', { tenantId: 't1', workspaceId: 'other' })).toEqual({ userId: 'ada', role: 'admin' });
  });

  it('lets a stakeholder act only on the workspace granted', () => {
    expect(authorise(grants, 'sam', ref)).toEqual({ userId: 'sam', role: 'stakeholder' });
    expect(authorise(grants, 'sam', { tenantId: 't1', workspaceId: 'w2' })).toBeUndefined();
    expect(authorise(grants, 'wes', ref)).toBeUndefined();
  });

  it('never counts grants of another tenant or another user', () => {
    expect(authorise(grants, 'otto', ref)).toBeUndefined();
    expect(authorise(grants, 'nobody', ref)).toBeUndefined();
    expect(authorise([{ tenantId: 't1', userId: 'ada', role: 'admin' }], 'ada2', ref)).toBeUndefined();
  });

  it('prefers admin when a user holds both roles', () => {
    expect(authorise(grants, 'both', ref)).toEqual({ userId: 'both', role: 'admin' });
  });
});
