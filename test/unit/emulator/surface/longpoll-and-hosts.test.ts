import { Dropbox } from 'dropbox';
import { DropboxEmulator } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';
import { send, WireClient } from './wire-client';

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'surface-longpoll', longpoll: { msPerTimeoutSecond: 2 } });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
  Object.assign(emulator.switches.longpoll, { falsePositives: true, backoffSeconds: undefined, msPerTimeoutSecond: 2 });
});

const LP = 'files/list_folder/longpoll';

async function cursorFor(token: string, path: string): Promise<string> {
  return (await wire.api('files/list_folder', token, { path })).json().cursor;
}

describe('notify host', () => {
  it('serves longpoll on its own listener and refuses it on the api host', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/w/a.txt', size: 1 }]);
    const cursor = await cursorFor(token, '/w');
    expect(emulator.notifyBaseUrl).not.toBe(emulator.baseUrl);
    const onApi = await wire.api(LP, undefined, { cursor });
    expect(onApi.status).toBe(400);
    expect(onApi.text).toBe('Error in call to API function "files/list_folder/longpoll": This function is served on notify.dropboxapi.com, not on this host.');
    const onNotify = await wire.notify(LP, { cursor, timeout: 30 });
    expect(onNotify.status).toBe(200);
    expect(onNotify.headers.get('content-type')).toBe('application/json');
    expect(onNotify.json()).toEqual({ changes: false });
  });

  it('refuses api routes and the control interface on the notify host', async () => {
    const { token } = wire.newAccount();
    const reply = await wire.notify('files/list_folder', { path: '' }, token);
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "files/list_folder": This function is not served on notify.dropboxapi.com; use api.dropboxapi.com.');
    expect((await send(`${emulator.notifyBaseUrl}/_control/requests`, { method: 'GET' })).status).toBe(400);
  });

  it('answers 400 when longpoll carries an Authorization header (dropbox-sdk-java#35)', async () => {
    const { token } = wire.newAccount();
    const cursor = await cursorFor(token, '');
    const reply = await wire.notify(LP, { cursor }, token);
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "files/list_folder/longpoll": Your request includes an Authorization header, but this function does not use it.');
  });

  it.each([
    [{ timeout: 29 }, 'request body: timeout: 29 is not greater than or equal to 30'],
    [{ timeout: 481 }, 'request body: timeout: 481 is not less than or equal to 480'],
    [{ cursor: 'not-a-cursor' }, 'request body: cursor: Invalid "cursor" parameter'],
    [{ page: 1 }, "request body: unknown field 'page'"],
  ])('validates its argument: %j', async (patch, reason) => {
    const { token } = wire.newAccount();
    const cursor = await cursorFor(token, '');
    const reply = await wire.notify(LP, { cursor, ...patch });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe(`Error in call to API function "files/list_folder/longpoll": ${reason}`);
  });

  it('refuses cursors made with include_media_info (files.stone ListFolderLongpollArg)', async () => {
    const { token } = wire.newAccount();
    const { cursor } = (await wire.api('files/list_folder', token, { path: '', include_media_info: true })).json();
    const reply = await wire.notify(LP, { cursor });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('include_media_info');
  });
});

describe('longpoll', () => {
  it('returns changes:true as soon as the cursor scope changes, not at the timeout', async () => {
    const { email, token } = wire.newAccount();
    const cursor = await cursorFor(token, '');
    emulator.switches.longpoll.msPerTimeoutSecond = 1000;
    const started = Date.now();
    const pending = wire.notify(LP, { cursor, timeout: 30 });
    setTimeout(() => wire.apply(email, [{ op: 'add', path: '/new.txt', size: 1 }]), 100);
    const reply = await pending;
    expect(reply.json()).toEqual({ changes: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('waits out timeout × msPerTimeoutSecond and adds the configured backoff', async () => {
    const { token } = wire.newAccount();
    const cursor = await cursorFor(token, '');
    emulator.switches.longpoll.msPerTimeoutSecond = 10;
    emulator.switches.longpoll.backoffSeconds = 60;
    const started = Date.now();
    expect((await wire.notify(LP, { cursor, timeout: 30 })).json()).toEqual({ changes: false, backoff: 60 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('wakes on changes elsewhere in the account by default, and not with falsePositives off', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/Watched/a.txt', size: 1 }, { op: 'add', path: '/Other/b.txt', size: 1 }]);
    const cursor = await cursorFor(token, '/Watched');
    wire.apply(email, [{ op: 'modify', path: '/Other/b.txt', size: 2 }], 2);
    expect((await wire.notify(LP, { cursor })).json()).toEqual({ changes: true });
    emulator.switches.longpoll.falsePositives = false;
    expect((await wire.notify(LP, { cursor })).json()).toEqual({ changes: false });
    wire.apply(email, [{ op: 'modify', path: '/Watched/a.txt', size: 3 }], 3);
    expect((await wire.notify(LP, { cursor })).json()).toEqual({ changes: true });
  });

  it('answers 409 reset for an invalidated cursor, also while held', async () => {
    const { email, token } = wire.newAccount();
    const cursor = await cursorFor(token, '');
    emulator.switches.longpoll.msPerTimeoutSecond = 1000;
    const pending = wire.notify(LP, { cursor, timeout: 30 });
    setTimeout(() => emulator.invalidateCursors(email), 100);
    const reply = await pending;
    expect(reply.status).toBe(409);
    expect(reply.json().error).toEqual({ '.tag': 'reset' });
  });

  it('is reached by the official JS SDK through createHostMappingFetch with the notify base URL', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/sdk/a.txt', size: 1 }]);
    const dbx = new Dropbox({ accessToken: token, fetch: createHostMappingFetch(emulator.baseUrl, fetch, emulator.notifyBaseUrl) });
    const listed = await dbx.filesListFolder({ path: '/sdk' });
    wire.apply(email, [{ op: 'add', path: '/sdk/b.txt', size: 1 }], 2);
    const polled = await dbx.filesListFolderLongpoll({ cursor: listed.result.cursor, timeout: 30 });
    expect(polled.result).toEqual({ changes: true });
  });
});

describe('createHostMappingFetch', () => {
  it('maps notify.dropboxapi.com to notifyBaseUrl and the other hosts to baseUrl', async () => {
    const seen: string[] = [];
    const inner = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response('null');
    }) as typeof fetch;
    const mapped = createHostMappingFetch('http://api.local', inner, 'http://notify.local/');
    await mapped('https://notify.dropboxapi.com/2/files/list_folder/longpoll');
    await mapped('https://api.dropboxapi.com/2/files/list_folder');
    await createHostMappingFetch('http://api.local', inner)('https://notify.dropboxapi.com/2/files/list_folder/longpoll');
    expect(seen).toEqual(['http://notify.local/2/files/list_folder/longpoll', 'http://api.local/2/files/list_folder', 'http://api.local/2/files/list_folder/longpoll']);
  });
});

describe('cursor expiry (dropbox-api-notes.md §6.3)', () => {
  it('answers 409 reset on continue and longpoll for a cursor unused longer than cursorTtlSeconds', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/e.txt', size: 1 }]);
    emulator.switches.cursorTtlSeconds = 1;
    try {
      const { cursor } = (await wire.api('files/list_folder', token, { path: '' })).json();
      const fresh = await wire.api('files/list_folder/continue', token, { cursor });
      expect(fresh.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const continued = await wire.api('files/list_folder/continue', token, { cursor });
      expect(continued.status).toBe(409);
      expect(continued.json().error).toEqual({ '.tag': 'reset' });
      expect((await wire.notify(LP, { cursor })).status).toBe(409);
      const sameAge = (await wire.api('files/list_folder/continue', token, { cursor: fresh.json().cursor })).status;
      expect(sameAge).toBe(409);
    } finally {
      emulator.switches.cursorTtlSeconds = undefined;
    }
  });
});
