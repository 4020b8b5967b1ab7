import { randomUUID } from 'node:crypto';
import { Dropbox, DropboxResponseError } from 'dropbox';
import type { DropboxEmulator, HistoryBatch } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';

/** A personal account with a unique email. */
export function newUser(emulator: DropboxEmulator, displayName: string): { email: string; accountId: string; accessToken: string } {
  const email = `world-${randomUUID()}@example.com`;
  return { email, ...emulator.createAccount({ email, displayName }) };
}

/** The official SDK pointed at the emulator. */
export function sdk(emulator: DropboxEmulator, options: { accessToken: string; pathRoot?: unknown; selectUser?: string }): Dropbox {
  return new Dropbox({
    accessToken: options.accessToken,
    fetch: createHostMappingFetch(emulator.baseUrl),
    pathRoot: options.pathRoot === undefined ? undefined : JSON.stringify(options.pathRoot),
    selectUser: options.selectUser,
  });
}

/** The SDK's error for a call that must fail: HTTP status and the parsed body (or text). */
export async function failure(call: Promise<unknown>): Promise<{ status: number; error: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DropboxResponseError) return { status: error.status, error: error.error as unknown };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** One batch adding files (sizes fixed) at `at`. */
export function adds(paths: readonly string[], seq = 1): HistoryBatch {
  return { seq, at: '2026-05-01T10:00:00Z', ops: paths.map((path) => ({ op: 'add' as const, path, size: 100 })) };
}

export type Entry = Record<string, unknown> & { '.tag': string; path_lower?: string; name: string; id?: string };

/** A full recursive listing of `path` (every page), with the final cursor. */
export async function listAll(dbx: Dropbox, path: string, extra: Record<string, unknown> = {}): Promise<{ entries: Entry[]; cursor: string }> {
  let page = (await dbx.filesListFolder({ path, recursive: true, ...extra })).result;
  const entries = [...(page.entries as unknown as Entry[])];
  while (page.has_more) {
    page = (await dbx.filesListFolderContinue({ cursor: page.cursor })).result;
    entries.push(...(page.entries as unknown as Entry[]));
  }
  return { entries, cursor: page.cursor };
}

/** Every change after `cursor` (continue until `has_more` is false). */
export async function changesSince(dbx: Dropbox, cursor: string): Promise<{ entries: Entry[]; cursor: string }> {
  const entries: Entry[] = [];
  let next = cursor;
  for (;;) {
    const page = (await dbx.filesListFolderContinue({ cursor: next })).result;
    entries.push(...(page.entries as unknown as Entry[]));
    next = page.cursor;
    if (!page.has_more) return { entries, cursor: next };
  }
}

const LETTER: Record<string, string> = { file: 'F', folder: 'D', deleted: 'X' };

/** Each entry in the scenarios' notation: `F(path)` file, `D(path)` folder, `X(path)` deleted. */
export function brief(entries: readonly Entry[]): string[] {
  return entries.map((entry) => `${LETTER[entry['.tag']] ?? entry['.tag']}(${entry.path_lower ?? entry.name})`);
}
