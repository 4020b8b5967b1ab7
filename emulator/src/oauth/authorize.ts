import type { Account } from '../account';
import type { AppRegistry, RegisteredApp } from '../auth/apps';
import { parseScopeList } from '../auth/scopes';
import type { GrantSubject } from '../auth/token-store';
import type { AccessType, AuthorizationCodes, PendingAuthorization } from './codes';
import type { ChallengeMethod } from './pkce';

/** What `/oauth2/authorize` needs from the rest of the emulator. */
export interface AuthorizeContext {
  readonly apps: AppRegistry;
  readonly codes: AuthorizationCodes;
  /** The user "signed in to the website", who approves every request. */
  signedIn(): Account | undefined;
  /** Whom the app's tokens act for when `user` approves, or why `user` cannot approve it. */
  subjectFor(app: RegisteredApp, user: Account): GrantSubject | { readonly refused: string };
  /** Scopes this user granted the app before (for `include_granted_scopes`). */
  grantedBefore(app: RegisteredApp, user: Account): ReadonlySet<string>;
}

/** The page's answer: a redirect to the app, or a page (the code to paste, or an error). */
export type AuthorizeOutcome =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'page'; readonly status: 200 | 400; readonly title: string; readonly message: string; readonly code?: string };

const ACCESS_TYPES: Record<string, AccessType> = { offline: 'offline', online: 'online', legacy: 'online' };

/**
 * `GET /oauth2/authorize` (https://www.dropbox.com/developers/documentation/http/documentation#oauth2-authorize),
 * approved at once by the signed-in user. Without `redirect_uri` the code is shown on a page for
 * the user to paste (the CLI "no redirect" flow). A bad `client_id` or `redirect_uri` is a 400 page,
 * since redirecting to an unverified address is unsafe; other problems go back to the app as
 * `error`/`error_description` on the redirect, as RFC 6749 §4.1.2.1 says.
 */
export function authorize(query: URLSearchParams, context: AuthorizeContext): AuthorizeOutcome {
  const clientId = single(query, 'client_id');
  const app = clientId === undefined ? undefined : context.apps.get(clientId);
  if (!app) return errorPage('Invalid client_id', `No app has the key ${JSON.stringify(clientId ?? '')}.`);
  const redirectUri = single(query, 'redirect_uri');
  if (redirectUri !== undefined && !app.redirectUris.includes(redirectUri)) {
    return errorPage('Invalid redirect_uri', `${JSON.stringify(redirectUri)} is not a redirect URI registered for ${app.appKey}. It must exactly match one of the app's redirect URIs.`);
  }
  const state = single(query, 'state');
  const refuse = (error: string, description: string): AuthorizeOutcome =>
    redirectUri === undefined ? errorPage(error, description) : { kind: 'redirect', location: withParams(redirectUri, { error, error_description: description, state }) };

  const responseType = single(query, 'response_type');
  if (responseType !== 'code') return refuse('unsupported_response_type', `response_type must be "code", got ${JSON.stringify(responseType ?? '')}`);
  const rawAccessType = single(query, 'token_access_type');
  const accessType = rawAccessType === undefined ? 'online' : ACCESS_TYPES[rawAccessType];
  if (!accessType) return refuse('invalid_request', `token_access_type must be offline, online or legacy, got ${JSON.stringify(rawAccessType)}`);
  const challenge = readChallenge(query);
  if (typeof challenge === 'string') return refuse('invalid_request', challenge);

  const user = context.signedIn();
  if (!user) return errorPage('No user is signed in', 'Sign a user in to the emulator first: POST /_control/oauth/sign-in {"email": "..."}.');
  const subject = context.subjectFor(app, user);
  if ('refused' in subject) return refuse('access_denied', subject.refused);
  const scopes = requestedScopes(query, app, context.grantedBefore(app, user));
  if (typeof scopes === 'string') return refuse(scopes.startsWith('invalid_scope') ? 'invalid_scope' : 'invalid_request', scopes);

  const pending: PendingAuthorization = { app, subject, approver: user, scopes, accessType, redirectUri, challenge };
  const code = context.codes.issue(pending);
  if (redirectUri === undefined) {
    return { kind: 'page', status: 200, title: 'Enter this code into your app', message: `${app.appKey} is now connected to ${user.email}.`, code };
  }
  return { kind: 'redirect', location: withParams(redirectUri, { code, state }) };
}

/** The scopes to grant, or an error description (prefixed `invalid_scope` for unknown scopes). */
function requestedScopes(query: URLSearchParams, app: RegisteredApp, before: ReadonlySet<string>): string[] | string {
  const raw = single(query, 'scope');
  const include = single(query, 'include_granted_scopes');
  if (include !== undefined && include !== 'user' && include !== 'team') return `include_granted_scopes must be user or team, got ${JSON.stringify(include)}`;
  if (raw === undefined) {
    if (include !== undefined) return 'include_granted_scopes needs scope';
    return [...app.scopes];
  }
  const asked = parseScopeList(raw);
  const unknown = asked.filter((scope) => !app.scopes.has(scope));
  if (unknown.length > 0) return `invalid_scope: the app may not request ${unknown.join(', ')}`;
  return [...new Set([...asked, ...(include === undefined ? [] : before)])];
}

function readChallenge(query: URLSearchParams): PendingAuthorization['challenge'] | string {
  const value = single(query, 'code_challenge');
  const method = single(query, 'code_challenge_method');
  if (value === undefined) return method === undefined ? undefined : 'code_challenge_method without code_challenge';
  if (method !== undefined && method !== 'S256' && method !== 'plain') return `code_challenge_method must be S256 or plain, got ${JSON.stringify(method)}`;
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(value)) return 'code_challenge must be 43 to 128 characters of [A-Za-z0-9._~-]';
  // RFC 7636 §4.3: the method defaults to plain.
  return { value, method: (method ?? 'plain') as ChallengeMethod };
}

/** A parameter's value; a repeated parameter counts as absent-with-conflict and is refused by callers as missing. */
function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}

function errorPage(title: string, message: string): AuthorizeOutcome {
  return { kind: 'page', status: 400, title, message };
}
