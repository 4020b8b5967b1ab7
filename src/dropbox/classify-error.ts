import {
  CredentialFailureKind,
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
  if (status === 400) {
    // A 400 body can quote the Authorization header it rejected; the kept reason is redacted.
    const text = redactSecrets(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 500);
    const credentialKind = typeof body === 'string' ? credentialKindOf400(body) : undefined;
    return credentialKind ? new DropboxCredentialError(credentialKind, route, undefined, credentialKind) : new DropboxBadRequestError(route, text);
  }
  if (status === 401) {
    const scope = errorUnion && typeof errorUnion['required_scope'] === 'string' ? errorUnion['required_scope'] : undefined;
    return new DropboxCredentialError(tag ?? 'unauthorized', route, scope, AUTH_ERROR_KINDS.get(tag ?? '') ?? 'other');
  }
  if (status === 403) return new DropboxCredentialError(`access_denied/${tag ?? 'unknown'}`, route);
  if (status === 422) return new DropboxCredentialError(`path_root/${tag ?? 'unknown'}`, route, undefined, tag === 'no_permission' ? 'no_permission' : 'invalid_root');
  if (status === 409) {
    if (tag === 'reset') return new CursorResetError();
    if (tag === 'path' && errorUnion && isObject(errorUnion['path'])) {
      return new ListingRootUnavailableError(`path/${String(errorUnion['path']['.tag'])}`);
    }
    return new UnexpectedDropboxResponseError(route, `409 with error tag ${tag ?? '(none)'}`);
  }
  return new UnexpectedDropboxResponseError(route, `HTTP ${status}`);
}

/** AuthError (401) tags with a kind of their own (auth.stone); the rest are `other`. */
const AUTH_ERROR_KINDS: ReadonlyMap<string, CredentialFailureKind> = new Map<string, CredentialFailureKind>([
  ['expired_access_token', 'expired_access_token'],
  ['invalid_access_token', 'invalid_access_token'],
  ['missing_scope', 'missing_scope'],
  ['invalid_select_user', 'invalid_select_user'],
  ['invalid_select_admin', 'invalid_select_user'],
]);

/**
 * The two credential problems Dropbox reports only as 400 plain text (dropbox-api-notes.md §2,
 * scenario 31 and rclone#5089): a damaged access token, and a path root sent by an App-folder app.
 * Matching text is a last resort here because these answers carry no tag.
 */
function credentialKindOf400(text: string): CredentialFailureKind | undefined {
  if (/access token is malformed/i.test(text) || /Invalid authorization value in HTTP header "Authorization"/i.test(text)) return 'malformed_token';
  if (/Path root is not supported for sandbox app/i.test(text)) return 'path_root_refused';
  return undefined;
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
