import { OAuthError } from './oauth-error';

/** The parameters of a `/oauth2/token` call, wherever the client put them. */
export interface TokenRequest {
  param(name: string): string | undefined;
  /** From HTTP Basic when present, else the `client_id`/`client_secret` parameters. */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/**
 * Reads a token request. Parameters come from the query string (the JS SDK), a form body (the
 * Python SDK, curl) or both; client credentials may also come as HTTP Basic (dropbox-api-notes.md
 * §3.1). A parameter given twice with different values is refused rather than guessed.
 */
export function readTokenRequest(url: URL, contentType: string | undefined, body: Buffer, authorization: string | undefined): TokenRequest {
  const sources = [url.searchParams];
  // The JS SDK sends `Content-Type: application/json` with no body; only form bodies carry parameters.
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') && body.length > 0) {
    sources.push(new URLSearchParams(body.toString('utf8')));
  }
  const param = (name: string): string | undefined => {
    const values = new Set(sources.flatMap((source) => source.getAll(name)));
    if (values.size > 1) throw OAuthError.invalidRequest(`conflicting values for parameter ${name}`);
    return values.values().next().value;
  };
  for (const name of ['grant_type', 'code', 'refresh_token', 'client_id', 'client_secret', 'redirect_uri', 'code_verifier', 'scope']) param(name);

  const basic = readBasic(authorization);
  const clientId = agree('client_id', basic?.clientId, param('client_id'));
  const clientSecret = agree('client_secret', basic?.clientSecret, param('client_secret'));
  return { param, clientId, clientSecret };
}

function agree(name: string, fromHeader: string | undefined, fromParams: string | undefined): string | undefined {
  if (fromHeader !== undefined && fromParams !== undefined && fromHeader !== fromParams) {
    throw OAuthError.invalidRequest(`${name} differs between the Authorization header and the parameters`);
  }
  return fromHeader ?? fromParams;
}

function readBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) throw OAuthError.invalidRequest('the Authorization header must be HTTP Basic with the app key and secret');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw OAuthError.invalidClient('HTTP Basic credentials must be "<app key>:<app secret>"');
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}
