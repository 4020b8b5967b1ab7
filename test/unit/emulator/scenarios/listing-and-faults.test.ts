import { Dropbox } from 'dropbox';
import { DropboxEmulator, EmulatorOptions } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';
import { files, WireClient } from '../surface/wire-client';

/**
 * The API's side of scenarios 1–11, 17–25, 41–47 of dropbox-scenarios.md: each drives the emulator
 * over HTTP and checks the responses come back in the order the scenario states.
 */

const LF = 'files/list_folder';
const LFC = 'files/list_folder/continue';
const LP = 'files/list_folder/longpoll';
const GM = 'files/get_metadata';

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'scenarios-listing', longpoll: { msPerTimeoutSecond: 2 } });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
  Object.assign(emulator.switches.longpoll, { falsePositives: true, backoffSeconds: undefined, msPerTimeoutSecond: 2 });
});

/** A separate emulator for scenarios that need a start-time switch. */
async function withEmulator(options: EmulatorOptions, body: (other: DropboxEmulator, client: WireClient) => Promise<void>): Promise<void> {
  const other = await DropboxEmulator.start({ seed: 'scenarios-listing-switch', ...options });
  try {
    await body(other, new WireClient(other));
  } finally {
    await other.stop();
  }
}

function tagged(entries: Array<Record<string, unknown>>): string[] {
  return entries.map((entry) => `${String(entry['.tag'])}:${String(entry['path_lower'])}`);
}

describe('scenario 1 (dropbox/dropbox-sdk-java#281): empty pages while has_more', () => {
  it('answers 100, 0, 0 and 401 entries, has_more true until the last page', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, files('/A', 500));
    emulator.injectFault({ kind: 'empty_page', route: LFC, times: 2 });
    emulator.injectFault({ kind: 'page_limit', route: LFC, times: 1, limit: 2000 });
    const pages = [(await wire.api(LF, token, { path: '', recursive: true, limit: 100 })).json()];
    while (pages.at(-1)!.has_more) pages.push((await wire.api(LFC, token, { cursor: pages.at(-1)!.cursor })).json());
    expect(pages.map((page) => [page.entries.length, page.has_more])).toEqual([
      [100, true],
      [0, true],
      [0, true],
      [401, false],
    ]);
    expect(tagged(pages[0]!.entries).slice(0, 2)).toEqual(['folder:/a', 'file:/a/f001.txt']);
    expect(new Set(pages.flatMap((page) => tagged(page.entries))).size).toBe(501);
    expect(new Set(pages.map((page) => page.cursor)).size).toBe(4);
  });
});

describe('scenario 3 (spatie/flysystem-dropbox#57): a cursor that never advances', () => {
  it('repeats the listed folder and the same cursor with has_more true on every continue', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Stuck/inner.txt', size: 1 }]);
    emulator.injectFault({ kind: 'stuck_cursor', probability: 1 });
    const first = (await wire.api(LF, token, { path: '/Stuck' })).json();
    expect(tagged(first.entries)).toEqual(['folder:/stuck']);
    expect(first.has_more).toBe(true);
    const id = first.entries[0]!['id'];
    for (let call = 0; call < 5; call += 1) {
      const page = (await wire.api(LFC, token, { cursor: first.cursor })).json();
      expect(page).toEqual({ entries: [expect.objectContaining({ '.tag': 'folder', id, path_lower: '/stuck' })], cursor: first.cursor, has_more: true });
    }
  });
});

describe('scenario 5 (fl4p/DropPHP#32): continue called with list_folder arguments', () => {
  it('answers 400 text naming the unknown field path', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/x/a.txt', size: 1 }]);
    const { cursor } = (await wire.api(LF, token, { path: '/x' })).json();
    const reply = await wire.api(LFC, token, { cursor, path: '/x', recursive: false });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(`Error in call to API function "files/list_folder/continue": request body: unknown field 'path'`);
  });
});

describe('scenario 7 (NangoHQ/integration-templates#460): deletions whatever include_deleted says', () => {
  it('reports X(/p/q) on continue with include_deleted false', async () => {
    const { email, token } = wire.newAccount();
    emulator.account(email).namespace.addFolder('/p/q');
    const first = (await wire.api(LF, token, { path: '', recursive: true, include_deleted: false })).json();
    expect(tagged(first.entries)).toEqual(['folder:/p', 'folder:/p/q']);
    wire.apply(email, [{ op: 'delete', path: '/p/q' }], 2);
    const next = (await wire.api(LFC, token, { cursor: first.cursor })).json();
    expect(next.entries).toEqual([{ '.tag': 'deleted', name: 'q', path_lower: '/p/q', path_display: '/p/q' }]);
  });

  it('with include_deleted true, the initial pages also show X(/old) deleted before the listing', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/old', size: 1 }, { op: 'add', path: '/p/q/keep.txt', size: 1 }]);
    wire.apply(email, [{ op: 'delete', path: '/old' }], 2);
    const first = (await wire.api(LF, token, { path: '', recursive: true, include_deleted: true })).json();
    expect(tagged(first.entries)).toEqual(['deleted:/old', 'folder:/p', 'folder:/p/q', 'file:/p/q/keep.txt']);
    wire.apply(email, [{ op: 'delete', path: '/p/q' }], 3);
    expect(tagged((await wire.api(LFC, token, { cursor: first.cursor })).json().entries)).toEqual(['deleted:/p/q']);
  });
});

describe('scenario 9 (samschott/maestral#463): one 500 on continue', () => {
  it('answers 500 once, then 200 with the 3 changes for the same cursor', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/s/a.txt', size: 1 }]);
    const { cursor } = (await wire.api(LF, token, { path: '/s' })).json();
    wire.apply(email, [{ op: 'add', path: '/s/b.txt', size: 1 }, { op: 'add', path: '/s/c.txt', size: 1 }, { op: 'modify', path: '/s/a.txt', size: 2 }], 2);
    emulator.injectFault({ kind: 'server_error', route: LFC, times: 1, status: 500 });
    const failed = await wire.api(LFC, token, { cursor });
    expect(failed.status).toBe(500);
    const retried = await wire.api(LFC, token, { cursor });
    expect(retried.status).toBe(200);
    expect(tagged(retried.json().entries)).toEqual(['file:/s/b.txt', 'file:/s/c.txt', 'file:/s/a.txt']);
  });
});

describe('scenario 11 (PipedreamHQ/pipedream#3407): an upload seen in two change rounds', () => {
  it('wakes longpoll twice and delivers 26 + 26 files across two continues', async () => {
    const { email, token } = wire.newAccount();
    emulator.account(email).namespace.addFolder('/Inbox');
    const c1 = (await wire.api(LF, token, { path: '/Inbox' })).json().cursor;
    wire.apply(email, files('/Inbox', 26, 'a'), 2);
    expect((await wire.notify(LP, { cursor: c1 })).json()).toEqual({ changes: true });
    const round1 = (await wire.api(LFC, token, { cursor: c1 })).json();
    expect([round1.entries.length, round1.has_more]).toEqual([26, false]);
    wire.apply(email, files('/Inbox', 26, 'b'), 3);
    expect((await wire.notify(LP, { cursor: round1.cursor })).json()).toEqual({ changes: true });
    const round2 = (await wire.api(LFC, token, { cursor: round1.cursor })).json();
    expect([round2.entries.length, round2.has_more]).toEqual([26, false]);
    expect(new Set([...tagged(round1.entries), ...tagged(round2.entries)]).size).toBe(52);
  });
});

describe('scenario 17 (dropbox/dropbox-sdk-python#63): stale ancestor casing in path_display', () => {
  it('lists ccc with its new name while its child keeps the old ancestor casing', async () => {
    await withEmulator({ staleAncestorCasing: true }, async (other, client) => {
      const { email, token } = client.newAccount();
      other.account(email).namespace.addFolder('/AAA/BBB/CCC/DDD');
      client.apply(email, [{ op: 'move', from: '/AAA/BBB/CCC', to: '/AAA/BBB/CCC_', size: null }], 2);
      client.apply(email, [{ op: 'move', from: '/AAA/BBB/CCC_', to: '/AAA/BBB/ccc', size: null }], 3);
      const { entries } = (await client.api(LF, token, { path: '', recursive: true })).json();
      const byLower = new Map(entries.map((entry) => [entry['path_lower'], entry]));
      expect(byLower.get('/aaa/bbb/ccc')).toMatchObject({ name: 'ccc', path_display: '/AAA/BBB/ccc' });
      expect(byLower.get('/aaa/bbb/ccc/ddd')).toMatchObject({ name: 'DDD', path_display: '/AAA/BBB/CCC/DDD' });
      expect(entries).toHaveLength(4);
    });
  });
});

describe('scenario 19 (rclone/rclone#9692): root casing differs from the configured root', () => {
  it('reports /Docs/a.txt under the /docs cursor and leaves /DocsSub out', async () => {
    const { email, token } = wire.newAccount();
    emulator.account(email).namespace.addFolder('/Docs');
    const { cursor } = (await wire.api(LF, token, { path: '/docs', recursive: true })).json();
    wire.apply(email, [{ op: 'add', path: '/Docs/a.txt', size: 1 }, { op: 'add', path: '/DocsSub/x.txt', size: 1 }], 2);
    const { entries } = (await wire.api(LFC, token, { cursor })).json();
    expect(entries).toEqual([expect.objectContaining({ '.tag': 'file', path_lower: '/docs/a.txt', path_display: '/Docs/a.txt' })]);
  });
});

describe('scenario 21 (samschott/maestral#176): a case-only folder rename', () => {
  it('is not reported by continue; a fresh listing shows the new casing once', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, files('/Folder', 3));
    const { cursor } = (await wire.api(LF, token, { path: '', recursive: true })).json();
    wire.apply(email, [{ op: 'move', from: '/Folder', to: '/folder', size: null }], 2);
    const next = (await wire.api(LFC, token, { cursor })).json();
    expect([next.entries, next.has_more]).toEqual([[], false]);
    const fresh = (await wire.api(LF, token, { path: '', recursive: true })).json();
    expect(fresh.entries[0]).toMatchObject({ '.tag': 'folder', path_lower: '/folder', name: 'folder' });
    expect(tagged(fresh.entries)).toEqual(['folder:/folder', 'file:/folder/f001.txt', 'file:/folder/f002.txt', 'file:/folder/f003.txt']);
  });
});

describe('scenario 23 (dropbox/dropbox-sdk-go-unofficial#33): 429 without retry_after', () => {
  it('answers 429 with Retry-After: 3 and a body without retry_after, then 200', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/a.txt', size: 1 }]);
    const { cursor } = (await wire.api(LF, token, { path: '' })).json();
    emulator.injectFault({ kind: 'rate_limit', route: LFC, account: email, times: 1, retryAfterSeconds: 3, reason: 'too_many_write_operations', style: 'json_without_retry_after' });
    const limited = await wire.api(LFC, token, { cursor });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(limited.json().error).toEqual({ reason: { '.tag': 'too_many_write_operations' } });
    expect(limited.json().error_summary).toMatch(/^too_many_write_operations\/\.{0,3}$/);
    expect((await wire.api(LFC, token, { cursor })).status).toBe(200);
  });
});

describe('scenario 25 (dropbox/dropbox-sdk-js#190, dropbox/dropbox-sdk-python#39): ten 429s in a row', () => {
  it('answers 429 with Retry-After: 1 ten times, then 200; the JS SDK surfaces each as status 429', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/a.txt', size: 1 }]);
    const dbx = new Dropbox({ accessToken: token, fetch: createHostMappingFetch(emulator.baseUrl, fetch, emulator.notifyBaseUrl) });
    const { cursor } = (await dbx.filesListFolder({ path: '' })).result;
    emulator.injectFault({ kind: 'rate_limit', route: LFC, times: 10, retryAfterSeconds: 1 });
    const statuses: number[] = [];
    const retryAfter: Array<string | null> = [];
    for (let call = 0; call < 11; call += 1) {
      try {
        await dbx.filesListFolderContinue({ cursor });
        statuses.push(200);
      } catch (error) {
        const failure = error as { status: number; headers: Headers };
        statuses.push(failure.status);
        retryAfter.push(failure.headers.get('retry-after'));
      }
    }
    expect(statuses).toEqual([...Array<number>(10).fill(429), 200]);
    expect(retryAfter).toEqual(Array<string>(10).fill('1'));
  });
});

describe('scenario 41 (dropbox/dropbox-sdk-java#324): longpoll false positive', () => {
  it('answers changes:true for a change elsewhere, continue then returns nothing, the next longpoll backs off', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Watched/a.txt', size: 1 }, { op: 'add', path: '/Other/b.txt', size: 1 }]);
    emulator.switches.longpoll.backoffSeconds = 60;
    const c1 = (await wire.api(LF, token, { path: '/Watched' })).json().cursor;
    wire.apply(email, [{ op: 'modify', path: '/Other/b.txt', size: 2 }], 2);
    expect((await wire.notify(LP, { cursor: c1 })).json()).toEqual({ changes: true });
    const c2page = (await wire.api(LFC, token, { cursor: c1 })).json();
    expect([c2page.entries, c2page.has_more]).toEqual([[], false]);
    expect(c2page.cursor).not.toBe(c1);
    expect((await wire.notify(LP, { cursor: c2page.cursor, timeout: 30 })).json()).toEqual({ changes: false, backoff: 60 });
  });
});

describe('scenario 43 (dropbox/dropbox-sdk-js#308): longpoll through the pinned JS SDK', () => {
  it('sends longpoll without auth to the notify host, gets changes:true, then continue returns the change', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/w/a.txt', size: 1 }]);
    const dbx = new Dropbox({ accessToken: token, fetch: createHostMappingFetch(emulator.baseUrl, fetch, emulator.notifyBaseUrl) });
    const c1 = (await dbx.filesListFolder({ path: '/w' })).result.cursor;
    wire.apply(email, [{ op: 'add', path: '/w/b.txt', size: 1 }], 2);
    const before = emulator.countRequests(LP);
    expect((await dbx.filesListFolderLongpoll({ cursor: c1, timeout: 30 })).result).toEqual({ changes: true });
    expect(emulator.countRequests(LP)).toBe(before + 1);
    const next = (await dbx.filesListFolderContinue({ cursor: c1 })).result;
    expect(next.entries.map((entry) => entry.path_lower)).toEqual(['/w/b.txt']);
  });
});

describe('scenario 45 (jschneier/django-storages#567): get_metadata on the root', () => {
  it('answers 400 text "The root folder is unsupported." while list_folder of the root with limit 1 works', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, files('/r', 2));
    const reply = await wire.api(GM, token, { path: '' });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "files/get_metadata": request body: path: The root folder is unsupported.');
    const probe = await wire.api(LF, token, { path: '', limit: 1 });
    expect(probe.status).toBe(200);
    expect(probe.json().entries).toHaveLength(1);
  });
});

describe('scenario 47 (remotestorage/remotestorage.js#1035): listing a folder that does not exist, or a file', () => {
  it('answers 409 path/not_found and path/not_folder', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/report.pdf', size: 1 }]);
    const missing = await wire.api(LF, token, { path: '/legacy/2019' });
    expect(missing.status).toBe(409);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(missing.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_found' } });
    expect(missing.json().error_summary).toMatch(/^path\/not_found\/\.{0,3}$/);
    const file = await wire.api(LF, token, { path: '/report.pdf' });
    expect(file.status).toBe(409);
    expect(file.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_folder' } });
  });
});
