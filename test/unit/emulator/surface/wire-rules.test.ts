import { DropboxEmulator } from '../../../../emulator/src';
import { replyJson } from '../../../../emulator/src/fault-reply';
import { WireClient } from './wire-client';

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'surface-wire' });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

const EXPECTING = 'Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".';

describe('request Content-Type (dropbox-api-notes.md §1.3)', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack'])('accepts %s', async (contentType) => {
    const { token } = wire.newAccount();
    const reply = await wire.api('files/list_folder', token, { path: '' }, { 'Content-Type': contentType });
    expect(reply.status).toBe(200);
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain'])('refuses %s with 400 text naming it', async (contentType) => {
    const { token } = wire.newAccount();
    const reply = await wire.api('files/list_folder', token, { path: '' }, { 'Content-Type': contentType });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe(`Error in call to API function "files/list_folder": Bad HTTP "Content-Type" header: "${contentType}".  ${EXPECTING}`);
  });
});

describe('Void arguments and results (§1.3, §1.5)', () => {
  it('accepts no body without Content-Type (JS SDK) and a literal null with application/json (Python SDK)', async () => {
    const { token, accountId } = wire.newAccount();
    const js = await wire.api('users/get_current_account', token, undefined);
    const py = await wire.api('users/get_current_account', token, 'null');
    expect([js.status, py.status]).toEqual([200, 200]);
    expect(js.json()['account_id']).toBe(accountId);
    expect(py.json()['account_id']).toBe(accountId);
  });

  it('refuses an empty body sent as application/json', async () => {
    const { token } = wire.newAccount();
    const reply = await wire.api('users/get_current_account', token, '');
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "users/get_current_account": request body: could not decode input as JSON');
  });

  it('answers a void result as 200 with the body null, application/json, and a request id', async () => {
    const { token } = wire.newAccount();
    const reply = await wire.api('auth/token/revoke', token, undefined);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('null');
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('replyJson', () => {
  it('omits null fields at any depth, keeps null array items and a null result', () => {
    expect(replyJson({ a: 1, b: null, c: { d: null, e: [null, { f: null, g: 2 }] } })).toBe('{"a":1,"c":{"e":[null,{"g":2}]}}');
    expect(replyJson(null)).toBe('null');
    expect(replyJson(undefined)).toBe('null');
  });
});

describe('error replies', () => {
  it('carry X-Dropbox-Request-Id on 400 text and 409 JSON alike', async () => {
    const { token } = wire.newAccount();
    const bad = await wire.api('files/list_folder', token, { path: '/' });
    const missing = await wire.api('files/list_folder', token, { path: '/nope' });
    expect([bad.status, missing.status]).toEqual([400, 409]);
    expect(bad.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(missing.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(missing.headers.get('content-type')).toBe('application/json');
  });
});
