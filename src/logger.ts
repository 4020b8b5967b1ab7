import pino, { DestinationStream, Logger } from 'pino';

/**
 * Paths the logger censors wherever they appear, so a secret passed to a log call by mistake is
 * never written. Redaction lives here, not in the memory of whoever writes the log line.
 */
const SECRET_KEYS = [
  'accessToken',
  'refreshToken',
  'token',
  'cursor',
  'credentials',
  'authorization',
  // OAuth wire names and the connect flow's secrets.
  'access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'codeVerifier',
  'verifier',
  'client_secret',
  'appSecret',
  'state',
  // The codec server's tokens and payloads.
  'tokens',
  'payloads',
];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  // HTTP requests and responses logged whole.
  'headers.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
];

/** The structured logger for code outside workflows and activities. */
export function createLogger(level: string, name = 'fostr-dropbox', destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
