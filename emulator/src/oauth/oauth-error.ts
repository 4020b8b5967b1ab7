/**
 * An error answer of the OAuth endpoints: JSON `{error, error_description}` as Dropbox sends it
 * (dropbox-api-notes.md §3.1). Client authentication failures are 401, everything else 400.
 */
export class OAuthError extends Error {
  private constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  /** A code or refresh token that is unknown, used, expired, revoked or bound to something else. */
  static invalidGrant(description: string): OAuthError {
    return new OAuthError(400, 'invalid_grant', description);
  }

  /** Unknown app key or wrong secret. */
  static invalidClient(description: string): OAuthError {
    return new OAuthError(401, 'invalid_client', description);
  }

  /** A parameter is missing, repeated differently or invalid. */
  static invalidRequest(description: string): OAuthError {
    return new OAuthError(400, 'invalid_request', description);
  }

  static invalidScope(description: string): OAuthError {
    return new OAuthError(400, 'invalid_scope', description);
  }

  static unsupportedGrantType(grantType: string): OAuthError {
    return new OAuthError(400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported`);
  }

  get body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
