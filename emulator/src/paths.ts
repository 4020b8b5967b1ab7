/**
 * Dropbox path rules as the server applies them: NFC on the way in, case-insensitive identity
 * through `path_lower`, case-preserving display. Only the emulator (the server) may derive
 * `path_lower`; the connector always takes it from responses.
 */

/** Splits a display path (`/A/b.txt`) into NFC-normalised components; throws on a malformed path. */
export function splitPath(path: string): string[] {
  if (!path.startsWith('/')) throw new MalformedPathError(path, 'must start with "/"');
  const parts = path.normalize('NFC').split('/').slice(1);
  if (parts.some((part) => part.length === 0)) throw new MalformedPathError(path, 'has an empty component');
  if (parts.some((part) => part === '.' || part === '..')) {
    throw new MalformedPathError(path, 'has a "." or ".." component');
  }
  return parts;
}

/** The server's lower-casing of a display path or name. */
export function toLower(display: string): string {
  return display.normalize('NFC').toLowerCase();
}

/** `/a/b/c` -> `/a/b`; the root's children have parent `""`. */
export function parentOf(lower: string): string {
  return lower.slice(0, lower.lastIndexOf('/'));
}

/** True when `lower` is `ancestor` itself or lies below it (`""` is the root). */
export function isWithin(lower: string, ancestor: string): boolean {
  return ancestor === '' || lower === ancestor || lower.startsWith(`${ancestor}/`);
}

/** Thrown for a path that is well-formed JSON but not a usable Dropbox path. */
export class MalformedPathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`malformed path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'MalformedPathError';
  }
}
