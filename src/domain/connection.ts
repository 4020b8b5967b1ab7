import { z } from 'zod';

/**
 * How the connected Dropbox account is laid out, detected at connect time:
 * - `personal`: a user account (or a team member whose root is their own folder); paths from the home.
 * - `team_space`: a team member in a team space; every call sends `Dropbox-API-Path-Root` with the
 *   root namespace, so the sync sees the team space, not just the member folder.
 * - `team_token`: a token for the whole team; every call selects one member (`Dropbox-API-Select-User`).
 *   The member's own layout then applies (its root namespace is set when it is in a team space).
 * - `app_folder`: an app-folder app; paths are relative to `/Apps/<app>` and no path root may be sent.
 */
export const AccountKind = z.enum(['personal', 'team_space', 'team_token', 'app_folder']);
export type AccountKind = z.infer<typeof AccountKind>;

/** Who the connection reads as, and how calls must address it. No secrets. */
export const ConnectionAccount = z
  .object({
    /** `dbid:...` of the user whose view is synced (for a team token: the selected member's). */
    accountId: z.string().min(1),
    kind: AccountKind,
    /** Team space root namespace id, sent as `Dropbox-API-Path-Root` `{".tag":"root","root":...}`. */
    rootNamespaceId: z.string().regex(/^\d+$/).optional(),
    /** Team tokens: the member id (`dbmid:...`) sent as `Dropbox-API-Select-User`. */
    selectUser: z.string().regex(/^dbmid:/).optional(),
    teamId: z.string().min(1).optional(),
  })
  .strict();
export type ConnectionAccount = z.infer<typeof ConnectionAccount>;

/**
 * Credentials as sealed in `connections.credentials`. They are opened only inside the worker and
 * the connect flow; no read path returns them. `refreshToken` is optional only so connections
 * saved before refresh tokens were required still load (and are reported unhealthy).
 */
export const StoredCredentials = z
  .object({
    appKey: z.string().min(1),
    /** Confidential apps only; PKCE apps have none. */
    appSecret: z.string().min(1).optional(),
    refreshToken: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    /** ISO time the access token stops working. */
    accessTokenExpiresAt: z.iso.datetime().optional(),
    /** Scopes granted at connect time, as Dropbox reported them. */
    scopes: z.array(z.string()).optional(),
  })
  .strict();
export type StoredCredentials = z.infer<typeof StoredCredentials>;

/** Who did an admin act on a connection (connect, reconnect, disconnect); stored for the audit. */
export interface Actor {
  readonly userId: string;
  readonly role: 'admin' | 'stakeholder';
}

/**
 * Health of a connection's credentials, a state machine driven by every cycle and probe:
 * `healthy` -> `expiring` (access token near expiry, refresh pending) -> `healthy` after a refresh;
 * `expired` (refresh failing transiently) ; terminal until reconnect or recovery: `revoked`
 * (invalid_grant), `insufficient_scope`, `member_removed` (invalid_select_user), `root_changed`,
 * `path_root_refused` (app-folder apps), `malformed_token`, `missing_refresh_token`.
 */
export const CredentialHealthState = z.enum([
  'unknown',
  'healthy',
  'expiring',
  'expired',
  'revoked',
  'insufficient_scope',
  'member_removed',
  'root_changed',
  'path_root_refused',
  'malformed_token',
  'missing_refresh_token',
]);
export type CredentialHealthState = z.infer<typeof CredentialHealthState>;

export interface CredentialHealthRecord {
  readonly state: CredentialHealthState;
  readonly since: Date;
  /** Human-readable reason (never a token); e.g. which scope is missing. */
  readonly detail?: string;
  readonly missingScope?: string;
  readonly checkedAt: Date;
}

/** The admin acts on a connection, as the audit names them. */
export type ConnectAction = 'connect' | 'reconnect' | 'disconnect';

/**
 * Scopes sync cannot work without: listing (`files.metadata.read`) and telling the account kind at
 * connect time and in health probes (`account_info.read`).
 */
export const REQUIRED_SCOPES = ['files.metadata.read', 'account_info.read'] as const;
/** Scopes sync uses when granted: `sharing.read` adds sharing info to records; without it they have none. */
export const OPTIONAL_SCOPES = ['sharing.read'] as const;

/**
 * A connection was refused because it lacks what sync needs, or addresses the account wrongly.
 * `missing` names each missing piece (e.g. `refresh token`, `scope files.metadata.read`,
 * `member (selectUser)`); the message never contains a secret.
 */
export class ConnectRefusedError extends Error {
  constructor(
    message: string,
    readonly missing: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ConnectRefusedError';
  }
}

/** The user may not connect, reconnect or disconnect this workspace (no admin or stakeholder grant). */
export class NotAuthorisedError extends Error {
  constructor(
    readonly userId: string,
    readonly action: ConnectAction,
    readonly tenantId: string,
    readonly workspaceId: string,
  ) {
    super(`${userId} may not ${action} workspace ${workspaceId} of tenant ${tenantId}: only admins of the tenant and stakeholders authorised for the workspace may`);
    this.name = 'NotAuthorisedError';
  }
}

/** The OAuth dance failed: unknown, used or expired state, or Dropbox refused the code. Never holds a secret. */
export class ConnectFlowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectFlowError';
  }
}

/** A user's right over connections: admin of a whole tenant, or stakeholder of one workspace. */
export type AccessGrant =
  | { readonly tenantId: string; readonly userId: string; readonly role: 'admin' }
  | { readonly tenantId: string; readonly workspaceId: string; readonly userId: string; readonly role: 'stakeholder' };
