import { DropboxResponseError } from 'dropbox';
import {
  CursorResetError,
  DropboxBadRequestError,
  DropboxCredentialError,
  DropboxRateLimitedError,
  DropboxUnavailableError,
  ListingRootUnavailableError,
  UnexpectedDropboxResponseError,
} from '../../../src/domain/errors';
import { classifyDropboxError } from '../../../src/dropbox/classify-error';

const ROUTE = 'files/list_folder/continue';

/** What the SDK throws for a non-2xx answer: status, the fetch Headers, and the body (JSON-parsed, or text). */
function responseError(status: number, body: unknown, headers: Record<string, string> = {}): DropboxResponseError<unknown> {
  return new DropboxResponseError(status, new Headers(headers), body);
}

function rateLimitBody(retryAfter?: number): unknown {
  const error: Record<string, unknown> = { reason: { '.tag': 'too_many_requests' } };
  if (retryAfter !== undefined) error['retry_after'] = retryAfter;
  return { error_summary: 'too_many_requests/..', error };
}

describe('classifyDropboxError, 429', () => {
  it.each([
    ['the Retry-After header wins over the body', { 'Retry-After': '7' }, rateLimitBody(300), 7000],
    ['the body retry_after is used when there is no header', {}, rateLimitBody(300), 300_000],
    ['a non-numeric header falls back to the body', { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' }, rateLimitBody(12), 12_000],
    ['a plain-text body with a header uses the header', { 'Retry-After': '4' }, 'Too many requests', 4000],
    ['neither header nor body gives the spec default of 1 s', {}, 'Too many requests', 1000],
    ['a JSON body without retry_after and no header gives 1 s', {}, rateLimitBody(), 1000],
    ['header "0" is raised to the 1 s floor', { 'Retry-After': '0' }, rateLimitBody(300), 1000],
    ['body retry_after 0 is raised to the 1 s floor', {}, rateLimitBody(0), 1000],
  ])('%s', (_label, headers, body, expectedMs) => {
    const classified = classifyDropboxError(ROUTE, responseError(429, body, headers));
    expect(classified).toBeInstanceOf(DropboxRateLimitedError);
    expect(classified).toMatchObject({ retryAfterMs: expectedMs, route: ROUTE, retryable: true });
  });

  it('says how long to wait in its message', () => {
    expect(classifyDropboxError(ROUTE, responseError(429, rateLimitBody(), { 'Retry-After': '30' })).message).toBe(
      'Dropbox rate-limited files/list_folder/continue; retry after 30 s',
    );
  });
});

describe('classifyDropboxError, unavailable', () => {
  it.each([500, 502, 503, 504])('HTTP %i with an empty body is DropboxUnavailableError', (status) => {
    // The SDK turns an empty body into the empty string.
    const classified = classifyDropboxError(ROUTE, responseError(status, ''));
    expect(classified).toBeInstanceOf(DropboxUnavailableError);
    expect(classified).toMatchObject({ status, route: ROUTE, retryable: true });
    expect(classified.message).toBe(`Dropbox files/list_folder/continue failed with HTTP ${status}: server error`);
  });

  it('keeps a text body of a 5xx as the detail', () => {
    expect(classifyDropboxError(ROUTE, responseError(502, 'Bad Gateway')).message).toBe('Dropbox files/list_folder/continue failed with HTTP 502: Bad Gateway');
  });

  it('a network failure (TypeError: fetch failed) is DropboxUnavailableError without a status, keeping the cause', () => {
    const cause = new TypeError('fetch failed');
    const classified = classifyDropboxError(ROUTE, cause);
    expect(classified).toBeInstanceOf(DropboxUnavailableError);
    expect(classified).toMatchObject({ status: null, retryable: true, cause });
    expect(classified.message).toBe('Dropbox files/list_folder/continue failed: TypeError: fetch failed');
  });
});

describe('classifyDropboxError, 400', () => {
  it('is DropboxBadRequestError keeping the plain-text reason', () => {
    const text = 'Error in call to API function "files/list_folder/continue": request body: unknown field \'path\'';
    const classified = classifyDropboxError(ROUTE, responseError(400, text));
    expect(classified).toBeInstanceOf(DropboxBadRequestError);
    expect(classified).toMatchObject({ reason: text, route: ROUTE, retryable: false });
  });
});

describe('classifyDropboxError, 401', () => {
  it.each(['expired_access_token', 'invalid_access_token', 'user_suspended'])('%s is a DropboxCredentialError with that reason', (tag) => {
    const classified = classifyDropboxError(ROUTE, responseError(401, { error_summary: `${tag}/..`, error: { '.tag': tag } }, { 'WWW-Authenticate': 'Bearer realm="Dropbox-API"' }));
    expect(classified).toBeInstanceOf(DropboxCredentialError);
    expect(classified).toMatchObject({ reason: tag, requiredScope: undefined, retryable: false });
  });

  it('missing_scope carries the required scope', () => {
    const classified = classifyDropboxError(
      ROUTE,
      responseError(401, { error_summary: 'missing_scope/.', error: { '.tag': 'missing_scope', required_scope: 'files.metadata.read' } }),
    );
    expect(classified).toBeInstanceOf(DropboxCredentialError);
    expect(classified).toMatchObject({ reason: 'missing_scope', requiredScope: 'files.metadata.read' });
    expect(classified.message).toBe('Dropbox refused the connection\'s credentials on files/list_folder/continue: missing_scope (needs scope files.metadata.read)');
  });
});

describe('classifyDropboxError, 409', () => {
  it('reset is CursorResetError', () => {
    const classified = classifyDropboxError(ROUTE, responseError(409, { error_summary: 'reset/...', error: { '.tag': 'reset' } }));
    expect(classified).toBeInstanceOf(CursorResetError);
    expect(classified.retryable).toBe(true);
  });

  it.each(['not_found', 'not_folder'])('path/%s is ListingRootUnavailableError naming the lookup error', (lookup) => {
    const classified = classifyDropboxError(ROUTE, responseError(409, { error_summary: `path/${lookup}/.`, error: { '.tag': 'path', path: { '.tag': lookup } } }));
    expect(classified).toBeInstanceOf(ListingRootUnavailableError);
    expect(classified).toMatchObject({ lookupError: `path/${lookup}`, retryable: false });
  });

  it('an unknown tag is UnexpectedDropboxResponseError naming it', () => {
    const classified = classifyDropboxError(ROUTE, responseError(409, { error_summary: 'other/..', error: { '.tag': 'other' } }));
    expect(classified).toBeInstanceOf(UnexpectedDropboxResponseError);
    expect(classified.message).toBe('unexpected response from Dropbox files/list_folder/continue: 409 with error tag other');
  });
});

describe('classifyDropboxError ignores error_summary', () => {
  it('the same error with different dots classifies the same', () => {
    const results = ['reset/', 'reset/.', 'reset/..', 'reset/...'].map((summary) =>
      classifyDropboxError(ROUTE, responseError(409, { error_summary: summary, error: { '.tag': 'reset' } })),
    );
    for (const result of results) expect(result).toBeInstanceOf(CursorResetError);
  });

  it('a misleading summary does not change the decision', () => {
    const classified = classifyDropboxError(ROUTE, responseError(409, { error_summary: 'reset/...', error: { '.tag': 'path', path: { '.tag': 'not_found' } } }));
    expect(classified).toBeInstanceOf(ListingRootUnavailableError);
  });

  it('a summary claiming missing_scope on a plain invalid token still gives no scope', () => {
    const classified = classifyDropboxError(ROUTE, responseError(401, { error_summary: 'missing_scope/files.content.read', error: { '.tag': 'invalid_access_token' } }));
    expect(classified).toMatchObject({ reason: 'invalid_access_token', requiredScope: undefined });
  });
});

describe('classifyDropboxError, other', () => {
  it('passes an error of the catalogue through unchanged', () => {
    const original = new CursorResetError();
    expect(classifyDropboxError(ROUTE, original)).toBe(original);
  });

  it('an unexpected status is UnexpectedDropboxResponseError', () => {
    expect(classifyDropboxError(ROUTE, responseError(418, 'teapot')).message).toBe('unexpected response from Dropbox files/list_folder/continue: HTTP 418');
  });
});

describe('classifyDropboxError, credential kinds', () => {
  it.each([
    ['expired_access_token', 'expired_access_token'],
    ['invalid_access_token', 'invalid_access_token'],
    ['invalid_select_user', 'invalid_select_user'],
    ['invalid_select_admin', 'invalid_select_user'],
    ['missing_scope', 'missing_scope'],
    ['user_suspended', 'other'],
  ])('401 %s has kind %s', (tag, kind) => {
    expect(classifyDropboxError(ROUTE, responseError(401, { error_summary: `${tag}/`, error: { '.tag': tag } }))).toMatchObject({ kind, reason: tag });
  });

  it.each([
    ['invalid_root', 'invalid_root'],
    ['no_permission', 'no_permission'],
  ])('422 %s is a credential error of kind %s', (tag, kind) => {
    const classified = classifyDropboxError(ROUTE, responseError(422, { error_summary: `${tag}/..`, error: { '.tag': tag } }));
    expect(classified).toBeInstanceOf(DropboxCredentialError);
    expect(classified).toMatchObject({ kind, reason: `path_root/${tag}` });
  });

  it('a 400 saying the token is malformed is a credential error (Dropbox gives only text)', () => {
    const classified = classifyDropboxError(ROUTE, responseError(400, 'Error in call to API function "files/list_folder/continue": The given OAuth 2 access token is malformed.'));
    expect(classified).toBeInstanceOf(DropboxCredentialError);
    expect(classified).toMatchObject({ kind: 'malformed_token', retryable: false });
  });

  it('a 400 refusing a path root from an App-folder app is path_root_refused', () => {
    const classified = classifyDropboxError(ROUTE, responseError(400, 'Error in call to API function "files/list_folder/continue": Path root is not supported for sandbox app.'));
    expect(classified).toMatchObject({ kind: 'path_root_refused' });
  });

  it('other 400s stay bad requests', () => {
    expect(classifyDropboxError(ROUTE, responseError(400, 'Error in call to API function "x": Invalid select user id format'))).toBeInstanceOf(DropboxBadRequestError);
  });
});
