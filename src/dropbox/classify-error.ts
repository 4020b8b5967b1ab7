import {
  CursorResetError,
  DropboxBadRequestError,
  DropboxCredentialError,
  DropboxRateLimitedError,
  DropboxUnavailableError,
  FostrDropboxError,
  ListingRootUnavailableError,
  UnexpectedDropboxResponseError,
} from '../domain/errors';
import { redactSecrets } from '../domain/redact-secrets';

/** What the SDK gives us for a failed call: its `DropboxResponseError`, or a transport error. */
interface ResponseErrorLike {
  readonly status: number;
  readonly headers?: { get(name: string): string | null } | undefined;
  readonly error: unknown;
}

/** Spec default and floor for `retry_after` (auth.stone RateLimitError). */
const MIN_RETRY_AFTER_MS = 1000;

/**
 * Maps a failed Dropbox call to the error catalogue. Branches on `error['.tag']` and the status,
 * never on `error_summary` text (dropbox-api-notes.md §2).
 */
export function classifyDropboxError(route: string, thrown: unknown): FostrDropboxError {
  if (thrown instanceof FostrDropboxError) return thrown;
  if (!isResponseError(thrown)) {
    const detail = redactSecrets(thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown));
    return new DropboxUnavailableError(route, null, detail, { cause: thrown });
  }
  const { status } = thrown;
  const body = thrown.error;
  const errorUnion = isObject(body) && isObject(body['error']) ? body['error'] : undefined;
  const tag = errorUnion && typeof errorUnion['.tag'] === 'string' ? errorUnion['.tag'] : undefined;

  if (status === 429) return new DropboxRateLimitedError(retryAfterMs(thrown.headers, errorUnion), route);
  if (status >= 500) return new DropboxUnavailableError(route, status, typeof body === 'string' && body ? redactSecrets(body).slice(0, 200) : 'server error');
  // A 400 body can quote the Authorization header it rejected; the kept reason is redacted.
  if (status === 400) return new DropboxBadRequestError(route, redactSecrets(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 500));
  if (status === 401) {
    const scope = errorUnion && typeof errorUnion['required_scope'] === 'string' ? errorUnion['required_scope'] : undefined;
    return new DropboxCredentialError(tag ?? 'unauthorized', route, scope);
  }
  if (status === 403) return new DropboxCredentialError(`access_denied/${tag ?? 'unknown'}`, route);
  if (status === 422) return new DropboxCredentialError(`path_root/${tag ?? 'unknown'}`, route);
  if (status === 409) {
    if (tag === 'reset') return new CursorResetError();
    if (tag === 'path' && errorUnion && isObject(errorUnion['path'])) {
      return new ListingRootUnavailableError(`path/${String(errorUnion['path']['.tag'])}`);
    }
    return new UnexpectedDropboxResponseError(route, `409 with error tag ${tag ?? '(none)'}`);
  }
  return new UnexpectedDropboxResponseError(route, `HTTP ${status}`);
}

/** `Retry-After` header first, then the body's `retry_after`, then the spec default; never below 1 s. */
function retryAfterMs(headers: ResponseErrorLike['headers'], errorUnion: Record<string, unknown> | undefined): number {
  const header = headers?.get('retry-after');
  const fromHeader = header !== null && header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : undefined;
  const fromBody = errorUnion && typeof errorUnion['retry_after'] === 'number' ? errorUnion['retry_after'] * 1000 : undefined;
  return Math.max(MIN_RETRY_AFTER_MS, fromHeader ?? fromBody ?? MIN_RETRY_AFTER_MS);
}

function isResponseError(value: unknown): value is ResponseErrorLike {
  return isObject(value) && typeof value['status'] === 'number' && 'error' in value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
