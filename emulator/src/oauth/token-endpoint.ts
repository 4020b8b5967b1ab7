import { createHash } from 'node:crypto';
import type { AppRegistry, RegisteredApp } from '../auth/apps';
import { formatScopes, parseScopeList } from '../auth/scopes';
import { isWellFormedRefreshToken } from '../auth/token-format';
import type { AccessToken, TokenFamily } from '../auth/token-family';
import type { TokenStore } from '../auth/token-store';
import type { AuthorizationCodes, PendingAuthorization } from './codes';
import { OAuthError } from './oauth-error';
import { verifierMatches } from './pkce';
import type { TokenRequest } from './token-request';

/** What `/oauth2/token` needs from the rest of the emulator. */
export interface TokenContext {
  readonly apps: AppRegistry;
  readonly codes: AuthorizationCodes;
  readonly tokens: TokenStore;
  /** Remembers what a user granted an app, for a later `include_granted_scopes`. */
  recordGrant(authorization: PendingAuthorization): void;
  /** Families whose authorization used PKCE: their refresh needs no client secret. */
  readonly publicClientFamilies: WeakSet<TokenFamily>;
}

/**
 * `POST /oauth2/token` (https://www.dropbox.com/developers/documentation/http/documentation#oauth2-token):
 * the authorization-code grant and the refresh grant. Answers the JSON body of a 200, or throws an
 * `OAuthError`.
 */
export function exchangeToken(request: TokenRequest, context: TokenContext): Record<string, unknown> {
  const grantType = request.param('grant_type');
  if (grantType === undefined) throw OAuthError.invalidRequest('missing grant_type');
  if (grantType === 'authorization_code') return redeemCode(request, context);
  if (grantType === 'refresh_token') return refresh(request, context);
  throw OAuthError.unsupportedGrantType(grantType);
}

function redeemCode(request: TokenRequest, context: TokenContext): Record<string, unknown> {
  const code = request.param('code');
  if (code === undefined) throw OAuthError.invalidRequest('missing code');
  const app = identifyClient(request, context.apps);
  const authorization = context.codes.redeem(code);
  if (!authorization || authorization.app.appKey !== app.appKey) throw OAuthError.invalidGrant("code doesn't exist or has expired");
  if (request.param('redirect_uri') !== authorization.redirectUri) throw OAuthError.invalidGrant('redirect_uri mismatch');
  const verifier = request.param('code_verifier');
  if (authorization.challenge) {
    if (verifier === undefined) throw OAuthError.invalidRequest('missing code_verifier (the authorization used PKCE)');
    if (!verifierMatches(authorization.challenge.value, authorization.challenge.method, verifier)) throw OAuthError.invalidGrant('invalid code verifier');
  } else if (request.clientSecret === undefined) {
    throw OAuthError.invalidRequest('No auth function available for given request');
  }

  const { family, access } = context.tokens.authorize({
    subject: authorization.subject,
    app,
    scopes: authorization.scopes,
    offline: authorization.accessType === 'offline',
  });
  if (authorization.challenge) context.publicClientFamilies.add(family);
  context.recordGrant(authorization);
  const approver = authorization.approver;
  return {
    ...accessTokenFields(access, context.tokens),
    ...(family.refreshToken === undefined ? {} : { refresh_token: family.refreshToken }),
    uid: legacyUid(approver.accountId),
    account_id: approver.accountId,
    ...(authorization.subject.kind === 'team' ? { team_id: authorization.subject.teamId } : {}),
  };
}

function refresh(request: TokenRequest, context: TokenContext): Record<string, unknown> {
  const refreshToken = request.param('refresh_token');
  if (refreshToken === undefined) throw OAuthError.invalidRequest('missing refresh_token');
  const app = identifyClient(request, context.apps);
  if (!isWellFormedRefreshToken(refreshToken)) throw OAuthError.invalidGrant('refresh token is malformed');
  const family = context.tokens.familyOfRefreshToken(refreshToken);
  if (!family || family.revoked || family.app?.appKey !== app.appKey) throw OAuthError.invalidGrant('refresh token is invalid or revoked');
  if (request.clientSecret === undefined && !context.publicClientFamilies.has(family)) {
    throw OAuthError.invalidRequest('No auth function available for given request');
  }
  const narrowTo = narrowing(request.param('scope'), family);
  return accessTokenFields(context.tokens.mint(family, narrowTo), context.tokens);
}

/** The app named by the request; a secret, when given, must be the app's. */
function identifyClient(request: TokenRequest, apps: AppRegistry): RegisteredApp {
  if (request.clientId === undefined) throw OAuthError.invalidRequest('missing client_id');
  const app = apps.get(request.clientId);
  if (!app) throw OAuthError.invalidClient('Invalid client_id or client_secret');
  if (request.clientSecret !== undefined && request.clientSecret !== app.appSecret) throw OAuthError.invalidClient('Invalid client_id or client_secret');
  return app;
}

/** A refresh's `scope`: a subset of what the authorization holds, or nothing. */
function narrowing(raw: string | undefined, family: TokenFamily): string[] | undefined {
  if (raw === undefined) return undefined;
  const asked = parseScopeList(raw);
  const held = family.scopes;
  const extra = held === undefined ? [] : asked.filter((scope) => !held.has(scope));
  if (asked.length === 0 || extra.length > 0) throw OAuthError.invalidScope(`scope must be a subset of the granted scopes; not granted: ${extra.join(', ') || '(none asked)'}`);
  return asked;
}

function accessTokenFields(access: AccessToken, tokens: TokenStore): Record<string, unknown> {
  return {
    access_token: access.token,
    token_type: 'bearer',
    expires_in: tokens.accessTokenLifetimeSeconds,
    ...(access.scopes === undefined ? {} : { scope: formatScopes(access.scopes) }),
  };
}

/** The deprecated numeric user id (`uid`) that token responses still carry; the Python SDK reads it. */
export function legacyUid(accountId: string): string {
  return String(createHash('sha256').update(accountId).digest().readUInt32BE(0));
}
