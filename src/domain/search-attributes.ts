import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes that the sync workflow keeps current so ops can filter workspaces in the
 * Temporal UI. The dev server is started with these registered; an external server is checked for
 * them at start-up.
 */
export const SEARCH_ATTRIBUTES = {
  tenantId: { name: 'FostrTenantId', type: 'Keyword' },
  workspaceId: { name: 'FostrWorkspaceId', type: 'Keyword' },
  syncState: { name: 'FostrSyncState', type: 'Keyword' },
  lastSyncedAt: { name: 'FostrLastSyncedAt', type: 'Datetime' },
  credentialHealth: { name: 'FostrCredentialHealth', type: 'Keyword' },
} as const;

export type SearchAttributeSpec = (typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES];

export const ALL_SEARCH_ATTRIBUTES: readonly SearchAttributeSpec[] = Object.values(SEARCH_ATTRIBUTES);

/** Typed keys for workflow code and clients (`upsertSearchAttributes`, `typedSearchAttributes`). */
export const SEARCH_ATTRIBUTE_KEYS = {
  tenantId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.tenantId.name, SearchAttributeType.KEYWORD),
  workspaceId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.workspaceId.name, SearchAttributeType.KEYWORD),
  syncState: defineSearchAttributeKey(SEARCH_ATTRIBUTES.syncState.name, SearchAttributeType.KEYWORD),
  lastSyncedAt: defineSearchAttributeKey(SEARCH_ATTRIBUTES.lastSyncedAt.name, SearchAttributeType.DATETIME),
  credentialHealth: defineSearchAttributeKey(SEARCH_ATTRIBUTES.credentialHealth.name, SearchAttributeType.KEYWORD),
};
