/**
 * An error response in Dropbox's wire format. Thrown by route handlers and rendered by the server,
 * so every error body, status and content type comes from one place.
 */
export class ApiError extends Error {
  private constructor(
    readonly status: number,
    readonly body: string | { error_summary: string; error: unknown } | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : body === null ? `HTTP ${status}` : body.error_summary);
    this.name = 'ApiError';
  }

  /** 400, plain text: bad input, malformed tokens, unknown fields. */
  static badInput(route: string, reason: string): ApiError {
    return new ApiError(400, `Error in call to API function "${route}": ${reason}`);
  }

  /** 400 plain text without the route prefix (transport-level problems). */
  static badRequestText(text: string): ApiError {
    return new ApiError(400, text);
  }

  /** 401 with an `AuthError` union value. */
  static auth(error: { '.tag': string } & Record<string, unknown>): ApiError {
    return new ApiError(401, { error_summary: summary([error['.tag']]), error }, {
      'WWW-Authenticate': 'Bearer realm="Dropbox-API"',
    });
  }

  /** 409 with the route's error union; `tags` is the tag chain for `error_summary`. */
  static route(tags: string[], error: unknown): ApiError {
    return new ApiError(409, { error_summary: summary(tags), error });
  }

  /** 422 with a `PathRootError` (`Dropbox-API-Path-Root` names a root the user cannot use). */
  static pathRoot(error: { '.tag': string } & Record<string, unknown>, tags: string[]): ApiError {
    return new ApiError(422, { error_summary: summary(tags), error });
  }

  /** 429 in one of the shapes Dropbox uses: JSON with or without `retry_after`, or plain text. */
  static rateLimited(
    retryAfterSeconds: number,
    style: 'json' | 'json_without_retry_after' | 'text',
    reason: 'too_many_requests' | 'too_many_write_operations' = 'too_many_requests',
  ): ApiError {
    const headers = { 'Retry-After': String(retryAfterSeconds) };
    if (style === 'text') return new ApiError(429, 'Too many requests', headers);
    const error: Record<string, unknown> = { reason: { '.tag': reason } };
    if (style === 'json') error['retry_after'] = retryAfterSeconds;
    return new ApiError(429, { error_summary: summary([reason]), error }, headers);
  }

  /** 5xx with an empty body, as Dropbox's front ends often send, or a short plain-text page. */
  static server(status: number, body: 'empty' | 'text' = 'empty'): ApiError {
    return new ApiError(status, body === 'empty' ? null : `Internal Server Error (HTTP ${status}). Please try again later.`);
  }

  /** 409 `reset`: the cursor has been invalidated (ListFolderContinueError, ListFolderLongpollError). */
  static reset(): ApiError {
    return ApiError.route(['reset'], { '.tag': 'reset' });
  }

  /** 409 `path/<tag>` (LookupError nested under `path`). */
  static lookup(tag: 'not_found' | 'not_folder' | 'not_file' | 'malformed_path'): ApiError {
    return ApiError.route(['path', tag], { '.tag': 'path', path: { '.tag': tag } });
  }
}

let summaryCounter = 0;

/**
 * `error_summary` is the tag chain plus a varying run of dots. Varying them makes a client that
 * string-matches summaries fail in tests, as it would against Dropbox.
 */
function summary(tags: string[]): string {
  summaryCounter = (summaryCounter + 1) % 4;
  return `${tags.join('/')}/${'.'.repeat(summaryCounter)}`;
}
