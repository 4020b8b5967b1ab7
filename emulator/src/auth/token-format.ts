import { createHash, randomBytes } from 'node:crypto';

// Dropbox's current user tokens start `sl.u.`; only tokens with this prefix are checked for damage,
// so hand-made test tokens (`sl.anything`) stay merely unknown.
const SHORT_LIVED_PREFIX = 'sl.u.';
const BODY_BYTES = 96;
const CHECK_CHARS = 10;
const SHORT_LIVED_LENGTH = SHORT_LIVED_PREFIX.length + Math.ceil((BODY_BYTES * 4) / 3) + CHECK_CHARS;

/**
 * A new short-lived access token: `sl.u.`, a random body and a check suffix. The suffix lets the
 * emulator tell a damaged token (truncated, edited) from a well-formed unknown one, the way Dropbox
 * answers the first with 400 "malformed" and the second with 401 (scenario 31).
 */
export function newShortLivedToken(): string {
  const body = randomBytes(BODY_BYTES).toString('base64url');
  return `${SHORT_LIVED_PREFIX}${body}${checkSuffix(body)}`;
}

/** False for an `sl.u.` token that the emulator cannot have issued in that shape. Other tokens pass. */
export function isWellFormedAccessToken(token: string): boolean {
  if (!token.startsWith(SHORT_LIVED_PREFIX)) return true;
  if (token.length !== SHORT_LIVED_LENGTH) return false;
  const body = token.slice(SHORT_LIVED_PREFIX.length, -CHECK_CHARS);
  return token.endsWith(checkSuffix(body));
}

const REFRESH_SHAPE = /^[A-Za-z0-9_-]{64}$/;

/** A new refresh token: 64 URL-safe characters, never rotated. */
export function newRefreshToken(): string {
  return randomBytes(48).toString('base64url');
}

/** Whether a string could be a refresh token this emulator issued (else: "refresh token is malformed"). */
export function isWellFormedRefreshToken(token: string): boolean {
  return REFRESH_SHAPE.test(token);
}

function checkSuffix(body: string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, CHECK_CHARS);
}
