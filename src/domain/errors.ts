import { redactSecrets } from './redact-secrets';

/**
 * The error catalogue. Each class says when it is thrown; activities turn them into Temporal
 * failures (retryable or not) by `type`, so the names are part of the contract with workflows.
 */

/** Base of every error this connector raises on purpose. */
export abstract class FostrDropboxError extends Error {
  /** Whether trying the same operation again later can succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    // Messages reach logs, API answers and Temporal failures: nothing token-like may ride along.
    super(redactSecrets(message), options);
    this.name = new.target.name;
  }
}

/** Dropbox answered 429; `retryAfterMs` comes from `Retry-After` (header first, then body). */
export class DropboxRateLimitedError extends FostrDropboxError {
  readonly retryable = true;
  constructor(
    readonly retryAfterMs: number,
    readonly route: string,
  ) {
    super(`Dropbox rate-limited ${route}; retry after ${Math.round(retryAfterMs / 1000)} s`);
  }
}

/** Dropbox answered 5xx, or the request failed in transit (timeout, reset connection). */
export class DropboxUnavailableError extends FostrDropboxError {
  readonly retryable = true;
  constructor(
    readonly route: string,
    readonly status: number | null,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Dropbox ${route} failed${status === null ? '' : ` with HTTP ${status}`}: ${detail}`, options);
  }
}

/**
 * What exactly Dropbox refused, so callers branch on a value instead of on message text:
 * - `expired_access_token`: 401; a refresh can fix it (the token session refreshes once).
 * - `invalid_access_token`: 401; the token is unknown or its authorization was revoked.
 * - `invalid_grant`: the refresh grant was refused (revoked or unknown refresh token).
 * - `missing_scope`: 401; `requiredScope` names the scope.
 * - `invalid_select_user`: 401; the selected team member is no longer on the team.
 * - `invalid_root` / `no_permission`: 422; the asserted path root is stale or not ours.
 * - `path_root_refused`: 400; an App-folder app was sent a path root.
 * - `malformed_token`: 400; the access token is damaged (Dropbox says so only in text).
 * - `missing_refresh_token`: the access token expired and there is nothing to refresh it with.
 * - `other`: any other refusal (suspended user, access denied).
 */
export type CredentialFailureKind =
  | 'expired_access_token'
  | 'invalid_access_token'
  | 'invalid_grant'
  | 'missing_scope'
  | 'invalid_select_user'
  | 'invalid_root'
  | 'no_permission'
  | 'path_root_refused'
  | 'malformed_token'
  | 'missing_refresh_token'
  | 'other';

/**
 * The connection's credentials do not work: invalid or expired token that refresh cannot fix,
 * missing scope, suspended user. Retrying cannot help until an admin reconnects.
 */
export class DropboxCredentialError extends FostrDropboxError {
  readonly retryable = false;
  constructor(
    readonly reason: string,
    readonly route: string,
    readonly requiredScope?: string,
    readonly kind: CredentialFailureKind = 'other',
  ) {
    super(`Dropbox refused the connection's credentials on ${route}: ${reason}${requiredScope ? ` (needs scope ${requiredScope})` : ''}`);
  }
}

/** Dropbox answered 400: our request is wrong. The plain-text reason is kept for the operator. */
export class DropboxBadRequestError extends FostrDropboxError {
  readonly retryable = false;
  constructor(
    readonly route: string,
    readonly reason: string,
  ) {
    super(`Dropbox rejected ${route} as bad input: ${reason}`);
  }
}

/** `list_folder/continue` answered 409 `reset`: the cursor is dead and a full re-listing is due. */
export class CursorResetError extends FostrDropboxError {
  readonly retryable = true;
  constructor() {
    super('Dropbox invalidated the saved cursor (reset); a full re-listing is needed');
  }
}

/** The configured listing root is gone (409 `path/not_found` or `path/not_folder`). */
export class ListingRootUnavailableError extends FostrDropboxError {
  readonly retryable = false;
  constructor(readonly lookupError: string) {
    super(`the Dropbox folder this workspace syncs is unavailable: ${lookupError}`);
  }
}

/** Dropbox answered something we cannot interpret (wrong shape, unexpected status). */
export class UnexpectedDropboxResponseError extends FostrDropboxError {
  readonly retryable = true;
  constructor(
    readonly route: string,
    detail: string,
  ) {
    super(`unexpected response from Dropbox ${route}: ${detail}`);
  }
}

/** The workspace has no Dropbox connection, so there is nothing to sync. */
export class WorkspaceNotConnectedError extends FostrDropboxError {
  readonly retryable = false;
  constructor(
    readonly tenantId: string,
    readonly workspaceId: string,
  ) {
    super(`workspace ${tenantId}/${workspaceId} has no Dropbox connection`);
  }
}

/** Pages keep coming with an unchanged cursor and nothing new; the cycle stops instead of spinning. */
export class ListingStalledError extends FostrDropboxError {
  readonly retryable = false;
  constructor(readonly pages: number) {
    super(`Dropbox returned ${pages} pages in a row without advancing the cursor; stopping this cycle`);
  }
}

/** Input to the library API (or a workflow message) failed validation; `problems` names each bad field. */
export class InvalidInputError extends FostrDropboxError {
  readonly retryable = false;
  constructor(
    readonly operation: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${operation} input: ${problems.join('; ')}`);
  }
}
