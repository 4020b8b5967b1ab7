import { randomUUID } from 'node:crypto';
import { DropboxEmulator, HistoryBatch } from '../../../emulator/src';

const BAD_CONTENT_TYPE_HINT = 'Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'http-api-test' });
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
  emulator.latencyMs = 0;
});

/** The fields of Dropbox JSON bodies these tests read; anything else is `unknown`. */
interface WireJson {
  readonly [field: string]: unknown;
  readonly cursor: string;
  readonly has_more: boolean;
  readonly entries: Array<Record<string, unknown>>;
  readonly error_summary: string;
  readonly error: unknown;
  readonly account_id: string;
  readonly accessToken: string;
  readonly accountId: string;
  readonly root_info: { readonly root_namespace_id: string };
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): WireJson;
}

async function send(path: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(`${emulator.baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as WireJson };
}

/** An API call with a JSON body (`undefined` sends no body and no Content-Type). */
function api(route: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const allHeaders: Record<string, string> = { ...headers };
  if (token !== undefined) allHeaders['Authorization'] = `Bearer ${token}`;
  if (body !== undefined && allHeaders['Content-Type'] === undefined) allHeaders['Content-Type'] = 'application/json';
  return send(`/2/${route}`, { method: 'POST', headers: allHeaders, body: body === undefined ? undefined : JSON.stringify(body) });
}

function control(action: string, body: unknown, method = 'POST'): Promise<Reply> {
  return send(`/_control/${action}`, { method, headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** A fresh account per test, so tests never share state. */
function newAccount(displayName = 'Ada Lovelace'): { email: string; token: string; accountId: string } {
  const email = `http-${randomUUID()}@example.com`;
  const { accessToken, accountId } = emulator.createAccount({ email, displayName });
  return { email, token: accessToken, accountId };
}

function batch(seq: number, ops: HistoryBatch['ops'], at = '2026-03-01T09:15:00Z'): HistoryBatch {
  return { seq, at, ops };
}

/** Every key path holding `null` in a JSON value. */
function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullPaths(item, `${path}[${index}]`));
  if (typeof value === 'object') return Object.entries(value as object).flatMap(([key, item]) => nullPaths(item, `${path}.${key}`));
  return [];
}

describe('successful responses', () => {
  it('are JSON with Content-Type exactly application/json and a fresh X-Dropbox-Request-Id', async () => {
    const { token } = newAccount();
    const first = await api('files/list_folder', token, { path: '' });
    const second = await api('files/list_folder', token, { path: '' });

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(second.headers.get('x-dropbox-request-id')).not.toBe(first.headers.get('x-dropbox-request-id'));
    expect(first.json()).toEqual({ entries: [], cursor: expect.stringMatching(/.+/), has_more: false });
  });
});

describe('users/get_current_account', () => {
  it('accepts no body and no Content-Type (the JS SDK style)', async () => {
    const { token, accountId, email } = newAccount('Ada King Lovelace');
    const reply = await api('users/get_current_account', token, undefined);

    expect(reply.status).toBe(200);
    const account = reply.json();
    expect(account).toEqual({
      account_id: accountId,
      name: { given_name: 'Ada', surname: 'King Lovelace', familiar_name: 'Ada', display_name: 'Ada King Lovelace', abbreviated_name: 'AKL' },
      email,
      email_verified: true,
      disabled: false,
      locale: 'en',
      referral_link: `https://db.tt/${accountId.slice(5, 15)}`,
      is_paired: false,
      account_type: { '.tag': 'basic' },
      root_info: { '.tag': 'user', root_namespace_id: expect.stringMatching(/^\d+$/), home_namespace_id: account.root_info.root_namespace_id },
    });
    expect(account.account_id).toHaveLength(40);
    expect(account.account_id).toMatch(/^dbid:/);
  });

  it('accepts a literal null body with application/json (the Python SDK style)', async () => {
    const { token, accountId } = newAccount();
    const reply = await send('/2/users/get_current_account', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: 'null',
    });
    expect(reply.status).toBe(200);
    expect(reply.json().account_id).toBe(accountId);
  });

  it('refuses an empty body sent with application/json as undecodable JSON', async () => {
    const { token } = newAccount();
    const reply = await send('/2/users/get_current_account', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '',
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "users/get_current_account": request body: could not decode input as JSON');
  });
});

describe('400 plain-text errors for bad input', () => {
  it('refuses "/" as the root, pointing at the empty string', async () => {
    const { token } = newAccount();
    const reply = await api('files/list_folder', token, { path: '/' });

    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe('Error in call to API function "files/list_folder": request body: path: Specify the root folder as an empty string rather than as "/".');
  });

  it('refuses an unknown field in continue, naming it', async () => {
    const { token } = newAccount();
    const { cursor } = (await api('files/list_folder', token, { path: '' })).json();
    const reply = await api('files/list_folder/continue', token, { cursor, path: '' });

    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(`Error in call to API function "files/list_folder/continue": request body: unknown field 'path'`);
  });

  it.each([
    [0, 'request body: limit: 0 is not greater than or equal to 1'],
    [2001, 'request body: limit: 2001 is not less than or equal to 2000'],
    [1.5, 'request body: limit: expected integer, got number'],
  ])('refuses limit %p', async (limit, reason) => {
    const { token } = newAccount();
    const reply = await api('files/list_folder', token, { path: '', limit });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe(`Error in call to API function "files/list_folder": ${reason}`);
  });

  it.each([1, 2000])('accepts limit %p', async (limit) => {
    const { token } = newAccount();
    expect((await api('files/list_folder', token, { path: '', limit })).status).toBe(200);
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain'])('refuses Content-Type %p', async (contentType) => {
    const { token } = newAccount();
    const reply = await api('files/list_folder', token, { path: '' }, { 'Content-Type': contentType });

    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(`Error in call to API function "files/list_folder": Bad HTTP "Content-Type" header: "${contentType}".  ${BAD_CONTENT_TYPE_HINT}`);
  });

  it.each(['application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack'])('accepts Content-Type %p', async (contentType) => {
    const { token } = newAccount();
    expect((await api('files/list_folder', token, { path: '' }, { 'Content-Type': contentType })).status).toBe(200);
  });

  it('refuses a call without an Authorization header', async () => {
    const reply = await api('files/list_folder', undefined, { path: '' });

    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe('Error in call to API function "files/list_folder": Must provide HTTP header "Authorization" or URL parameter "authorization".');
  });

  it('refuses a malformed Authorization value as 400 text, not 401', async () => {
    const reply = await api('files/list_folder', undefined, { path: '' }, { Authorization: 'Basic x' });

    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(
      'Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Basic x".  Expecting "Bearer <oauth2-access-token>".',
    );
  });

  it('refuses an unknown route', async () => {
    const { token } = newAccount();
    const reply = await api('files/no_such_route', token, {});
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Unknown API function: "files/no_such_route"');
  });

  it('refuses a method other than POST', async () => {
    const reply = await send('/2/files/list_folder', { method: 'GET' });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Only POST is supported, got GET.');
  });
});

describe('401 for a well-formed but unknown token', () => {
  it('answers JSON invalid_access_token with WWW-Authenticate', async () => {
    const reply = await api('files/list_folder', `sl.unknown-${randomUUID()}`, { path: '' });

    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="Dropbox-API"');
    expect(reply.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(reply.json()).toEqual({ error_summary: expect.stringMatching(/^invalid_access_token\/\.*$/), error: { '.tag': 'invalid_access_token' } });
  });
});

describe('409 route errors', () => {
  it('continue after invalidateCursors answers reset', async () => {
    const { token, email } = newAccount();
    const { cursor } = (await api('files/list_folder', token, { path: '' })).json();
    emulator.invalidateCursors(email);
    const reply = await api('files/list_folder/continue', token, { cursor });

    expect(reply.status).toBe(409);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.json()).toEqual({ error_summary: expect.stringMatching(/^reset\/\.*$/), error: { '.tag': 'reset' } });
  });

  it('a cursor issued after invalidateCursors still works', async () => {
    const { token, email } = newAccount();
    emulator.invalidateCursors(email);
    const { cursor } = (await api('files/list_folder', token, { path: '' })).json();
    expect((await api('files/list_folder/continue', token, { cursor })).status).toBe(200);
  });

  it('list_folder on a missing folder answers path/not_found, nested', async () => {
    const { token } = newAccount();
    const reply = await api('files/list_folder', token, { path: '/does-not-exist' });

    expect(reply.status).toBe(409);
    expect(reply.json()).toEqual({ error_summary: expect.stringMatching(/^path\/not_found\/\.*$/), error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
  });

  it('list_folder on a file answers path/not_folder', async () => {
    const { token, email } = newAccount();
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/file.txt', size: 1 }]));
    const reply = await api('files/list_folder', token, { path: '/file.txt' });

    expect(reply.status).toBe(409);
    expect(reply.json().error).toEqual({ '.tag': 'path', path: { '.tag': 'not_folder' } });
  });

  it('get_latest_cursor gives a cursor that reports only later changes', async () => {
    const { token, email } = newAccount();
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/before.txt', size: 1 }]));
    const latest = await api('files/list_folder/get_latest_cursor', token, { path: '', recursive: true });
    expect(latest.status).toBe(200);
    expect(Object.keys(latest.json())).toEqual(['cursor']);
    emulator.applyBatch(email, batch(2, [{ op: 'add', path: '/after.txt', size: 1 }]));

    const changes = (await api('files/list_folder/continue', token, { cursor: latest.json().cursor })).json();
    expect(changes.entries.map((entry) => entry['path_lower'])).toEqual(['/after.txt']);
    expect(changes.has_more).toBe(false);
  });

  it('a cursor of another account is a 400, not data', async () => {
    const owner = newAccount();
    const stranger = newAccount();
    const { cursor } = (await api('files/list_folder', owner.token, { path: '' })).json();
    const reply = await api('files/list_folder/continue', stranger.token, { cursor });

    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Error in call to API function "files/list_folder/continue": request body: cursor: Invalid "cursor" parameter');
  });
});

describe('injected faults', () => {
  it.each([
    ['json', 'application/json', { error_summary: expect.stringMatching(/^too_many_requests\/\.*$/), error: { reason: { '.tag': 'too_many_requests' }, retry_after: 7 } }],
    ['json_without_retry_after', 'application/json', { error_summary: expect.stringMatching(/^too_many_requests\/\.*$/), error: { reason: { '.tag': 'too_many_requests' } } }],
  ] as const)('rate_limit in style %s answers 429 with Retry-After and the body', async (style, contentType, body) => {
    const { token } = newAccount();
    emulator.injectFault({ kind: 'rate_limit', route: 'files/list_folder', times: 1, retryAfterSeconds: 7, style });
    const reply = await api('files/list_folder', token, { path: '' });

    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.headers.get('content-type')).toBe(contentType);
    expect(reply.json()).toEqual(body);
  });

  it('rate_limit in style text answers 429 plain text with Retry-After', async () => {
    const { token } = newAccount();
    emulator.injectFault({ kind: 'rate_limit', route: 'files/list_folder', times: 1, retryAfterSeconds: 3, style: 'text' });
    const reply = await api('files/list_folder', token, { path: '' });

    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe('Too many requests');
  });

  it('a fault fires the given number of times on its route only, then the route is served again', async () => {
    const { token } = newAccount();
    emulator.injectFault({ kind: 'rate_limit', route: 'files/list_folder', times: 2, retryAfterSeconds: 1 });

    expect((await api('users/get_current_account', token, undefined)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api('files/list_folder', token, { path: '' })).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('server_error answers 503 with an empty body', async () => {
    const { token } = newAccount();
    emulator.injectFault({ kind: 'server_error', route: 'files/list_folder', times: 1 });
    const reply = await api('files/list_folder', token, { path: '' });

    expect(reply.status).toBe(503);
    expect(reply.text).toBe('');
    expect(reply.headers.get('content-type')).toBeNull();
  });

  it('server_error uses the given status', async () => {
    const { token } = newAccount();
    emulator.injectFault({ kind: 'server_error', times: 1, status: 504 });
    expect((await api('users/get_current_account', token, undefined)).status).toBe(504);
  });
});

describe('error_summary', () => {
  it('varies its trailing dots across calls, keeping the tag chain', async () => {
    const { token } = newAccount();
    const summaries: string[] = [];
    for (let i = 0; i < 4; i += 1) summaries.push((await api('files/list_folder', token, { path: `/missing-${i}` })).json().error_summary);

    for (const summary of summaries) expect(summary).toMatch(/^path\/not_found\/\.*$/);
    expect(new Set(summaries).size).toBeGreaterThan(1);
  });
});

describe('metadata on the wire', () => {
  it('serves timestamps to the second, without milliseconds', async () => {
    const { token, email } = newAccount();
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/Docs/report.pdf', size: 1234 }], '2026-03-01T09:15:42.987+02:00'));
    const { entries } = (await api('files/list_folder', token, { path: '', recursive: true })).json();

    expect(entries[1]).toMatchObject({ '.tag': 'file', client_modified: '2026-03-01T07:15:42Z', server_modified: '2026-03-01T07:15:42Z' });
  });

  it('gives files, folders and deleted entries exactly their fields, with no null anywhere', async () => {
    const { token, email } = newAccount();
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/Docs/report.pdf', size: 1234 }, { op: 'add', path: '/old.txt', size: 0 }]));
    const listed = (await api('files/list_folder', token, { path: '', recursive: true })).json();
    emulator.applyBatch(email, batch(2, [{ op: 'delete', path: '/old.txt' }]));
    const changed = (await api('files/list_folder/continue', token, { cursor: listed.cursor })).json();

    const [folder = {}, file = {}] = listed.entries;
    expect(Object.keys(folder).sort()).toEqual(['.tag', 'id', 'name', 'path_display', 'path_lower']);
    expect(Object.keys(file).sort()).toEqual(
      ['.tag', 'client_modified', 'content_hash', 'id', 'is_downloadable', 'name', 'path_display', 'path_lower', 'rev', 'server_modified', 'size'],
    );
    expect(changed.entries).toEqual([{ '.tag': 'deleted', name: 'old.txt', path_lower: '/old.txt', path_display: '/old.txt' }]);
    expect(nullPaths(listed)).toEqual([]);
    expect(nullPaths(changed)).toEqual([]);
    expect(nullPaths((await api('users/get_current_account', token, undefined)).json())).toEqual([]);
  });
});

describe('latency', () => {
  it('delays each API call by latencyMs', async () => {
    const { token } = newAccount();
    emulator.latencyMs = 150;
    const started = Date.now();
    const reply = await api('users/get_current_account', token, undefined);
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });
});

describe('control interface over HTTP', () => {
  it('creates an account whose token works on the API', async () => {
    const email = `control-${randomUUID()}@example.com`;
    const created = await control('accounts', { email, displayName: 'Grace Hopper', accessToken: `tok-${randomUUID()}` });

    expect(created.status).toBe(200);
    const { accountId, accessToken } = created.json();
    expect(accountId).toHaveLength(40);
    const me = await api('users/get_current_account', accessToken, undefined);
    expect(me.json()).toMatchObject({ account_id: accountId, email, name: { display_name: 'Grace Hopper' } });
  });

  it('applies batches and serves the resulting ground truth', async () => {
    const { email, token } = newAccount();
    const applied = await control('batches', {
      email,
      batches: [batch(1, [{ op: 'add', path: '/A/one.txt', size: 5 }]), batch(2, [{ op: 'move', from: '/A/one.txt', to: '/B/two.txt', size: 5 }])],
    });
    expect(applied.status).toBe(200);
    expect(applied.json()).toEqual({ applied: 2 });

    const truth = await control('ground-truth', { email });
    expect(truth.status).toBe(200);
    const entries = truth.json().entries;
    expect(entries.map((entry) => entry['path_display'])).toEqual(['/A', '/B', '/B/two.txt']);
    expect(entries).toEqual(emulator.groundTruth(email));
    const listed = (await api('files/list_folder', token, { path: '', recursive: true })).json();
    expect(listed.entries).toEqual(entries);
  });

  it('injects faults and invalidates cursors', async () => {
    const { email, token } = newAccount();
    const { cursor } = (await api('files/list_folder', token, { path: '' })).json();
    expect((await control('invalidate-cursors', { email })).json()).toEqual({ ok: true });
    expect((await control('faults', { kind: 'server_error', route: 'users/get_current_account', times: 1, status: 502 })).json()).toEqual({ ok: true });

    expect((await api('files/list_folder/continue', token, { cursor })).status).toBe(409);
    expect((await api('users/get_current_account', token, undefined)).status).toBe(502);
  });

  it.each([
    ['accounts', { email: 'not-an-email', displayName: 'X' }, '→ at email'],
    ['accounts', { email: 'ok@example.com', displayName: '' }, '→ at displayName'],
    ['batches', { email: 'ok@example.com', batches: [{ seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/x' }] }] }, '→ at batches[0].ops[0].size'],
    ['batches', { email: 'ok@example.com', batches: [{ seq: 0, at: 'yesterday', ops: [] }] }, '→ at batches[0].seq'],
    ['faults', { kind: 'rate_limit', times: 0, retryAfterSeconds: 1 }, '→ at times'],
    ['faults', { kind: 'explode', times: 1 }, '→ at kind'],
    ['latency', { latencyMs: -1 }, '→ at latencyMs'],
  ])('answers 400 naming the field for bad %s input', async (action, body, fieldMarker) => {
    const reply = await control(action, body);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toMatch(/^invalid control request: /);
    expect(reply.text).toContain(fieldMarker);
  });

  it('applies nothing when any batch in the request is invalid', async () => {
    const { email } = newAccount();
    const reply = await control('batches', {
      email,
      batches: [batch(1, [{ op: 'add', path: '/good.txt', size: 1 }]), { seq: 2, at: 'not a time', ops: [] }],
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('→ at batches[1].at');
    expect(emulator.groundTruth(email)).toEqual([]);
  });

  it('answers 400 for a body that is not JSON and for an unknown action', async () => {
    const notJson = await control('accounts', '{not json');
    expect([notJson.status, notJson.text]).toEqual([400, 'control request body is not JSON']);
    const unknown = await send('/_control/nope', { method: 'GET' });
    expect([unknown.status, unknown.text]).toEqual([400, 'unknown control action GET /_control/nope']);
  });

  it('answers a batch that does not fit the tree with 409 naming the conflict', async () => {
    const { email } = newAccount();
    emulator.applyBatch(email, batch(1, [{ op: 'add', path: '/taken.txt', size: 1 }]));
    const reply = await control('batches', { email, batches: [batch(2, [{ op: 'add', path: '/taken.txt', size: 2 }])] });
    expect([reply.status, reply.text]).toEqual([409, 'cannot add /taken.txt: something is already there']);
  });

  it('answers 400 naming the email for an unknown account', async () => {
    const email = `nobody-${randomUUID()}@example.com`;
    const reply = await control('ground-truth', { email });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain(email);
  });

  it('answers 400 for a batch path that does not start with "/"', async () => {
    const { email } = newAccount();
    const reply = await control('batches', { email, batches: [batch(1, [{ op: 'add', path: 'no-slash.txt', size: 1 }])] });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('no-slash.txt');
  });
});
