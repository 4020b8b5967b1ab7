/** What replaces a secret in text. */
export const REDACTED = '[redacted]';

/**
 * Rules for secrets that may be echoed inside text we do not write ourselves (a Dropbox 400 body
 * quotes the Authorization header it rejected; an OAuth error may quote the request). Each rule keeps
 * the label and replaces the value, so the message still says what was wrong.
 */
const RULES: readonly (readonly [RegExp, string | ((match: string) => string)])[] = [
  // "Bearer sl.xxx", "Basic abc=": the credential of an Authorization header.
  [/\b(Bearer|Basic)(\s+)[^\s"',;]+/gi, `$1$2${REDACTED}`],
  // JSON or form fields that carry credentials: "access_token": "…", refresh_token=… (short values such as
  // an HTTP status after "code:" are left alone).
  [/(["']?(?:access_token|refresh_token|id_token|client_secret|code_verifier|code|token|password|secret|authorization)["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic)\b|\[redacted\])[^"'&\s,;}]{6,}/gi, `$1${REDACTED}`],
  // Dropbox short-lived access tokens: sl.<base64url>, sl.u.<...>, sl.B<...>.
  [/\bsl\.[A-Za-z0-9._-]{8,}/g, REDACTED],
  // Any other long opaque run (refresh tokens, OAuth codes, keys): 40+ base64/base64url characters
  // mixing upper case, lower case and digits, so ordinary ids and paths (lower case, words) survive.
  [/[A-Za-z0-9+/_-]{40,}={0,2}/g, (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) ? REDACTED : run)],
];

/**
 * Replaces anything token-like in a piece of text. Used for every message of the error catalogue,
 * because those messages reach logs, API answers and Temporal failures.
 */
export function redactSecrets(text: string): string {
  let result = text;
  // Two calls because TypeScript picks String.replace's overload by the replacement's type.
  for (const [pattern, replacement] of RULES) result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
  return result;
}
