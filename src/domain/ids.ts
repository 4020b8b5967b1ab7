import { z } from 'zod';

/**
 * Tenant and workspace ids are Fostr's business keys. They appear in workflow ids and MongoDB
 * keys, so they are limited to characters that need no escaping anywhere.
 */
export const TenantId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit');
export const WorkspaceId = TenantId;

export const WorkspaceRef = z.object({ tenantId: TenantId, workspaceId: WorkspaceId }).strict();
export type WorkspaceRef = z.infer<typeof WorkspaceRef>;

/** The sync workflow's id: one workflow per workspace, named by its business key. */
export function workspaceSyncWorkflowId(ref: WorkspaceRef): string {
  return `dropbox-sync:${ref.tenantId}:${ref.workspaceId}`;
}
