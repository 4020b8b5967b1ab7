import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The Big List of Naughty Strings shipped with the team's shared corpora. */
export const DEFAULT_BLNS_FILE = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpora', 'blns', 'blns.json');

/**
 * Turns a corpus string into a name Dropbox would store, or undefined when it cannot be one.
 * Only what Dropbox itself refuses is changed: `/` separates components, so it becomes U+2215
 * (DIVISION SLASH, what desktop clients show for it); `""`, `.` and `..` are not names at all.
 * Names arrive NFC-normalised, as the server normalises them. Trailing spaces and dots, control
 * characters and very long names are kept: the notes do not say Dropbox refuses them over the
 * API (they are only "incompatible" with some desktop file systems), so the seed keeps the
 * harsher case.
 */
export function sanitiseName(raw: string): string | undefined {
  const name = raw.normalize('NFC').replaceAll('/', '\u2215');
  if (name === '' || name === '.' || name === '..') return undefined;
  return name;
}

/**
 * Every distinct usable name of a BLNS file (a JSON array of strings), in file order. A missing
 * default file gives no names, so the generator still works outside this repository's layout.
 */
export function loadNaughtyNames(file: string | null = DEFAULT_BLNS_FILE): string[] {
  if (file === null) return [];
  if (file === DEFAULT_BLNS_FILE && !existsSync(file)) return [];
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${file}: expected a JSON array of strings`);
  }
  const names = new Set<string>();
  for (const raw of parsed as string[]) {
    const name = sanitiseName(raw);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}
