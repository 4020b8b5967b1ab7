import pino, { Logger } from 'pino';

/**
 * Paths the logger censors wherever they appear, so a secret passed to a log call by mistake is
 * never written. Redaction lives here, not in the memory of whoever writes the log line.
 */
const REDACT_PATHS = [
  'accessToken',
  'refreshToken',
  'token',
  'cursor',
  'credentials',
  'authorization',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.cursor',
  '*.credentials',
  '*.authorization',
  // Raw OAuth fields, HTTP request headers and the codec server's tokens and payloads.
  'access_token',
  'refresh_token',
  '*.access_token',
  '*.refresh_token',
  'headers.authorization',
  '*.headers.authorization',
  'tokens',
  '*.tokens',
  'payloads',
  '*.payloads',
];

/** The structured logger for code outside workflows and activities. */
export function createLogger(level: string, name = 'fostr-dropbox'): Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
