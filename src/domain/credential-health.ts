import type { CredentialHealthRecord, CredentialHealthState } from './connection';
import { CredentialFailureKind, DropboxCredentialError, DropboxRateLimitedError, DropboxUnavailableError } from './errors';

/** The route name token refreshes are reported under (`POST /oauth2/token`). */
export const TOKEN_ROUTE = 'oauth2/token';

/** States that mean an admin must act: each raises one alert and pauses the workspace's sync. */
export const ALERTING_STATES: ReadonlySet<CredentialHealthState> = new Set<CredentialHealthState>([
  'revoked',
  'insufficient_scope',
  'member_removed',
  'root_changed',
  'path_root_refused',
  'malformed_token',
  'missing_refresh_token',
]);

/** Whether `state` raises an alert and pauses sync. */
export function isAlertingState(state: CredentialHealthState): boolean {
  return ALERTING_STATES.has(state);
}

/**
 * What one cycle or probe learned about the credentials:
 * - `ok`: Dropbox accepted them; `expiring` when an early refresh failed but the token still works.
 * - `refresh_failing`: the access token expired and the refresh endpoint failed transiently.
 * - `refused`: Dropbox refused them for a reason only an admin can fix.
 * - `inconclusive`: anything else (5xx, 429, timeouts, our own bugs): says nothing about credentials.
 */
export type HealthObservation =
  | { readonly kind: 'ok'; readonly expiring?: boolean }
  | { readonly kind: 'refresh_failing' }
  | { readonly kind: 'refused'; readonly state: CredentialHealthState; readonly detail: string; readonly missingScope?: string }
  | { readonly kind: 'inconclusive' };

/** Credential refusals by kind; `expired_access_token` is absent because only a failed refresh leaves one behind. */
const REFUSAL_STATES: Readonly<Record<Exclude<CredentialFailureKind, 'expired_access_token'>, CredentialHealthState>> = {
  invalid_access_token: 'revoked',
  invalid_grant: 'revoked',
  other: 'revoked',
  missing_scope: 'insufficient_scope',
  invalid_select_user: 'member_removed',
  invalid_root: 'root_changed',
  no_permission: 'root_changed',
  path_root_refused: 'path_root_refused',
  malformed_token: 'malformed_token',
  missing_refresh_token: 'missing_refresh_token',
};

/** Classifies a failed cycle or probe. Transient failures are `inconclusive` or, on the token route, `refresh_failing`. */
export function observationFromError(error: unknown): HealthObservation {
  if (error instanceof DropboxCredentialError) {
    if (error.kind === 'expired_access_token') return { kind: 'refresh_failing' };
    const state = REFUSAL_STATES[error.kind];
    const detail = error.requiredScope ? `${error.route}: ${error.reason} (needs scope ${error.requiredScope})` : `${error.route}: ${error.reason}`;
    return { kind: 'refused', state, detail, ...(error.requiredScope ? { missingScope: error.requiredScope } : {}) };
  }
  if ((error instanceof DropboxUnavailableError || error instanceof DropboxRateLimitedError) && error.route === TOKEN_ROUTE) return { kind: 'refresh_failing' };
  return { kind: 'inconclusive' };
}

/** The health state a failure puts the connection in, or undefined when it says nothing about the credentials. */
export function healthStateForError(error: unknown): CredentialHealthState | undefined {
  const observation = observationFromError(error);
  if (observation.kind === 'refused') return observation.state;
  if (observation.kind === 'refresh_failing') return 'expired';
  return undefined;
}

/** What to do about the workspace's credential alert after an observation. */
export type AlertAction = 'open' | 'resolve' | 'none';

export interface HealthTransition {
  readonly next: CredentialHealthRecord;
  readonly alert: AlertAction;
}

/**
 * The state machine: the next health record and the alert action. A refusal moves to its state
 * and keeps an alert open; success moves to `healthy` (or `expiring`) and resolves any alert;
 * a transient refresh failure moves a working connection to `expired` but never replaces a state an
 * admin must act on; inconclusive failures change nothing but the time of the check. The actions
 * are idempotent wishes ("an alert should be open"), so repeating an observation is harmless.
 */
export function transitionHealth(current: CredentialHealthRecord | undefined, observation: HealthObservation, now: Date): HealthTransition {
  const previous: CredentialHealthRecord = current ?? { state: 'unknown', since: now, checkedAt: now };
  const moveTo = (state: CredentialHealthState, extra: { detail?: string; missingScope?: string } = {}): CredentialHealthRecord => ({
    state,
    since: previous.state === state ? previous.since : now,
    checkedAt: now,
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
    ...(extra.missingScope === undefined ? {} : { missingScope: extra.missingScope }),
  });
  switch (observation.kind) {
    case 'ok':
      return { next: moveTo(observation.expiring ? 'expiring' : 'healthy'), alert: 'resolve' };
    case 'refused':
      return { next: moveTo(observation.state, { detail: observation.detail, missingScope: observation.missingScope }), alert: 'open' };
    case 'refresh_failing':
      if (isAlertingState(previous.state)) return { next: { ...previous, checkedAt: now }, alert: 'none' };
      return { next: moveTo('expired', { detail: 'the access token expired and refreshing it fails for now; retrying' }), alert: 'none' };
    case 'inconclusive':
      return { next: { ...previous, checkedAt: now }, alert: 'none' };
  }
}
