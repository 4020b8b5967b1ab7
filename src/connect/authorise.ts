import { AccessGrant, Actor } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';

/**
 * The authorisation rule for connect, reconnect and disconnect: the user acts as admin when they
 * administer the workspace's tenant, as stakeholder when explicitly granted this workspace, and
 * not at all otherwise (grants of other tenants or workspaces never count). Admin wins over stakeholder.
 */
export function authorise(grants: readonly AccessGrant[], userId: string, ref: WorkspaceRef): Actor | undefined {
  const mine = grants.filter((grant) => grant.userId === userId && grant.tenantId === ref.tenantId);
  if (mine.some((grant) => grant.role === 'admin')) return { userId, role: 'admin' };
  if (mine.some((grant) => grant.role === 'stakeholder' && grant.workspaceId === ref.workspaceId)) return { userId, role: 'stakeholder' };
  return undefined;
}
