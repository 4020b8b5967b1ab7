import type { IncomingHttpHeaders } from 'node:http';
import type { Account } from '../account';
import { AppRegistry, RegisteredApp } from '../auth/apps';
import { formatScopes } from '../auth/scopes';
import type { TokenFamily } from '../auth/token-family';
import type { GrantSubject, TokenStore } from '../auth/token-store';
import { authorize } from './authorize';
import { AuthorizationCodes, PendingAuthorization } from './codes';
import { OAuthError } from './oauth-error';
import { OAuthReply, renderAuthorizeOutcome } from './reply';
import { exchangeToken } from './token-endpoint';
import { readTokenRequest } from './token-request';

/** Who the users are, as the OAuth side needs to know them. */
export interface UserDirectory {
  /** The account for an email; throws a control error when there is none. */
  account(email: string): Account;
  /** The team `user` administers, for team-linked apps; `undefined` when not a team admin. */
  teamAdministeredBy?(user: Account): string | undefined;
}

/** Input of `issueTokens`: an authorization made without the browser dance. */
export interface IssueTokensInput {
  readonly email: string;
  /** @default the default test app */
  readonly appKey?: string;
  /** @default every scope the app may request */
  readonly scopes?: readonly string[];
  /** `offline` also returns a refresh token. @default 'offline' */
  readonly accessType?: 'offline' | 'online';
}

export interface IssuedTokensResult {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly scope: string;
  readonly appKey: string;
}

/**
 * The OAuth side of the emulator: registered apps, the signed-in user who approves every
 * authorization, and the `/oauth2/authorize` and `/oauth2/token` endpoints.
 */
export class OAuthServer {
  readonly apps = new AppRegistry();
  private readonly codes: AuthorizationCodes;
  private signedInEmail?: string;
  private readonly grants = new Map<string, Set<string>>();
  private readonly publicClientFamilies = new WeakSet<TokenFamily>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly users: UserDirectory,
  ) {
    this.codes = new AuthorizationCodes(tokens.now);
  }

  /** Makes `email` the user who approves authorizations. */
  signIn(email: string): void {
    this.users.account(email);
    this.signedInEmail = email;
  }

  /** Signs in `email` unless someone already is (the first account created becomes the signed-in user). */
  signInIfNobodyIs(email: string): void {
    if (this.signedInEmail === undefined) this.signIn(email);
  }

  /** Serves `/oauth2/<endpoint>`. */
  handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer): OAuthReply {
    const url = new URL(rawUrl, 'http://emulator.invalid');
    if (url.pathname === '/oauth2/authorize' && (method === 'GET' || method === 'POST')) {
      return renderAuthorizeOutcome(authorize(url.searchParams, this.authorizeContext()));
    }
    if (url.pathname === '/oauth2/token' && method === 'POST') {
      try {
        const request = readTokenRequest(url, headers['content-type'], body, headers['authorization']);
        return { status: 200, contentType: 'application/json', body: JSON.stringify(exchangeToken(request, this.tokenContext())) };
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return { status: error.status, contentType: 'application/json', body: JSON.stringify(error.body) };
      }
    }
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: `Unknown OAuth endpoint: ${method} ${url.pathname}` };
  }

  /** Authorizes `email` for an app directly (what approving in a browser would give), for tests. */
  issueTokens(input: IssueTokensInput): IssuedTokensResult {
    const user = this.users.account(input.email);
    const app = this.apps.get(input.appKey ?? 'emulator-test-app');
    if (!app) throw new RangeError(`no app ${input.appKey ?? ''}`);
    const unknown = (input.scopes ?? []).filter((scope) => !app.scopes.has(scope));
    if (unknown.length > 0) throw new RangeError(`app ${app.appKey} may not request ${unknown.join(', ')}`);
    const subject = this.subjectFor(app, user);
    if ('refused' in subject) throw new RangeError(subject.refused);
    const { family, access } = this.tokens.authorize({ subject, app, scopes: input.scopes ?? [...app.scopes], offline: (input.accessType ?? 'offline') === 'offline' });
    return {
      accessToken: access.token,
      ...(family.refreshToken === undefined ? {} : { refreshToken: family.refreshToken }),
      expiresIn: this.tokens.accessTokenLifetimeSeconds,
      scope: formatScopes(access.scopes ?? []),
      appKey: app.appKey,
    };
  }

  private subjectFor(app: RegisteredApp, user: Account): GrantSubject | { refused: string } {
    if (!app.teamLinked) return { kind: 'user', account: user };
    const teamId = this.users.teamAdministeredBy?.(user);
    if (teamId === undefined) return { refused: `${user.email} is not an admin of a Dropbox team, which the team-linked app ${app.appKey} needs` };
    return { kind: 'team', teamId };
  }

  private authorizeContext(): Parameters<typeof authorize>[1] {
    return {
      apps: this.apps,
      codes: this.codes,
      signedIn: () => (this.signedInEmail === undefined ? undefined : this.users.account(this.signedInEmail)),
      subjectFor: (app, user) => this.subjectFor(app, user),
      grantedBefore: (app, user) => this.grants.get(grantKey(app, user)) ?? new Set(),
    };
  }

  private tokenContext(): Parameters<typeof exchangeToken>[1] {
    return {
      apps: this.apps,
      codes: this.codes,
      tokens: this.tokens,
      publicClientFamilies: this.publicClientFamilies,
      recordGrant: (authorization: PendingAuthorization) => {
        const key = grantKey(authorization.app, authorization.approver);
        this.grants.set(key, new Set([...(this.grants.get(key) ?? []), ...authorization.scopes]));
      },
    };
  }
}

function grantKey(app: RegisteredApp, user: Account): string {
  return `${app.appKey}\n${user.accountId}`;
}
