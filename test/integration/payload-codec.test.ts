import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DropboxEmulator } from '../../emulator/src';
import { loadConfig } from '../../src/config';
import { cachedTemporalCliPath } from '../../src/devstack/temporal-cli';
import { findRepoRoot } from '../../src/devstack/ferretdb-build';
import { workspaceSyncWorkflowId, WorkspaceRef } from '../../src/domain/ids';
import { startCodecServer } from '../../src/temporal/codec-server';
import { decodeHistoryPayloads } from '../../src/temporal/decode-history';
import { EncryptionCodec, ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { Harness, RunningWorker, TEST_ADMIN, testCredentials, uniqueTaskQueue } from './harness';

const run = promisify(execFile);
type History = temporal.api.history.v1.IHistory;
type RawPayload = temporal.api.common.v1.IPayload;

/** Every payload of a raw history, with the field path it was found under. */
function payloadsOf(value: unknown, path = '', found: { path: string; payload: RawPayload }[] = []): { path: string; payload: RawPayload }[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if (Array.isArray(value)) {
    value.forEach((item, index) => payloadsOf(item, `${path}[${index}]`, found));
    return found;
  }
  const record = value as Record<string, unknown>;
  const metadata = record['metadata'];
  if (metadata && typeof metadata === 'object' && Object.values(metadata).every((item) => item instanceof Uint8Array) && 'data' in record) {
    found.push({ path, payload: record as RawPayload });
    return found;
  }
  for (const [key, item] of Object.entries(record)) payloadsOf(item, path ? `${path}.${key}` : key, found);
  return found;
}

/**
 * The history as searchable text: every byte field as raw bytes (JSON.stringify would show protobuf
 * bytes as base64 and hide a plaintext value). Search attributes are left out: they are plain by
 * design and checked on their own.
 */
function rawText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (Array.isArray(value)) return value.map(rawText).join(' ');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== 'searchAttributes')
      .map(([key, item]) => `${key}: ${rawText(item)}`)
      .join(' ');
  }
  return String(value);
}

/** The CLI's JSON history as searchable text: base64 payload fields decoded. */
function cliText(value: unknown, key = ''): string {
  if (typeof value === 'string') return key === 'data' || key === 'encoding' ? Buffer.from(value, 'base64').toString('latin1') : value;
  if (Array.isArray(value)) return value.map((item) => cliText(item)).join(' ');
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([name, item]) => `${name}: ${cliText(item, name)}`).join(' ');
  return String(value);
}

/**
 * The payload codec on the real stack: a workspace syncs through a worker and client that share the
 * codec; the history, read raw from the server, holds only encrypted payloads (search attributes
 * excepted, by design) and no activity input, result or failure message in plain text; the codec
 * server decodes them for an authorised operator, through the Temporal CLI too, and refuses others.
 */
describe('Temporal payload codec', () => {
  let harness: Harness;
  let emulator: DropboxEmulator;
  let worker: RunningWorker;
  let ref: WorkspaceRef;
  let history: History;
  const token = randomBytes(32).toString('base64url');
  const audit: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    info: (fields: object, message: string) => audit.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    warn: (fields: object, message: string) => audit.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  };
  const UI_ORIGIN = 'http://127.0.0.1:8233';

  beforeAll(async () => {
    harness = await Harness.open();
    emulator = await DropboxEmulator.start();
    const taskQueue = uniqueTaskQueue('codec');
    worker = await harness.startWorker({ taskQueue, emulator, pageLimit: 2 });
    const connected = await harness.connectNewWorkspace(emulator, 'codec');
    ref = connected.ref;
    emulator.applyBatch(connected.email, { seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/q/plan.txt', size: 3 }, { op: 'add', path: '/q/notes.txt', size: 4 }] });
    await harness.sync.start(ref, { taskQueue, schedule: { frequencyMs: 3600_000, fullRelistIntervalMs: 0 }, heartbeatTimeoutMs: 30_000 });
    expect(await harness.sync.syncNow(ref, { fullRelist: true })).toMatchObject({ ok: true, result: { mode: 'full', upserts: 3 } });
    // A forced credential failure: its message travels as a Temporal failure.
    await harness.connections.connect(ref, { account: { accountId: 'dbid:x', kind: 'personal' }, rootPath: '', credentials: testCredentials(`sl.codec-canary-${randomBytes(8).toString('hex')}`), actor: TEST_ADMIN }, new Date());
    const failed = await harness.sync.syncNow(ref);
    expect(failed).toMatchObject({ ok: false, error: { type: 'DropboxCredentialError' } });
    expect(failed.error?.message).toContain("refused the connection's credentials");
    await harness.sync.terminate(ref, 'test done');

    // Read the history raw: a client without the codec, straight from the service.
    const raw = new Client({ connection: harness.clientConnection, namespace: harness.info.namespace });
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await raw.workflowService.getWorkflowExecutionHistory({ namespace: harness.info.namespace, execution: { workflowId: workspaceSyncWorkflowId(ref) }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    history = { events };
  });

  afterAll(async () => {
    await worker?.stop();
    await emulator?.stop();
    await harness?.close();
  });

  it('stores every payload of the history encrypted, except search attributes', () => {
    const found = payloadsOf(history);
    const searchAttributes = found.filter(({ path }) => path.includes('searchAttributes.indexedFields'));
    // Patch markers (workflow.patched) are written by the SDK core, past the codec: they hold the patch id only.
    const patchMarkers = found.filter(({ path }) => isPatchMarker(path));
    for (const { payload } of patchMarkers) expect(Buffer.from(payload.data ?? []).toString()).toMatch(/^\{"id":"[a-z0-9-]+","deprecated":(true|false)\}$/);
    const others = found.filter(({ path }) => !path.includes('searchAttributes.indexedFields') && !isPatchMarker(path));
    // Workflow input, activity inputs and results, update inputs and results, memo, failure attributes.
    expect(others.length).toBeGreaterThan(10);
    const notEncrypted = others.filter(({ payload }) => Buffer.from(payload.metadata?.['encoding'] ?? []).toString() !== ENCRYPTED_ENCODING).map(({ path }) => path);
    expect(notEncrypted).toEqual([]);
    expect(others.some(({ path }) => /memo/i.test(path))).toBe(true);
    expect(others.some(({ path }) => path.includes('encodedAttributes'))).toBe(true);
    // Search attributes stay plain so the UI can filter; they hold ids, states and times only.
    const keys = new Set(searchAttributes.map(({ path }) => path.replace(/.*indexedFields\./, '')));
    expect([...keys].sort()).toEqual(expect.arrayContaining(['FostrSyncState', 'FostrTenantId', 'FostrWorkspaceId']));
    // TemporalChangeVersion is the SDK's own record of patch ids (workflow.patched).
    expect([...keys].filter((key) => !['FostrTenantId', 'FostrWorkspaceId', 'FostrSyncState', 'FostrCredentialHealth', 'FostrLastSyncedAt', 'TemporalChangeVersion'].includes(key))).toEqual([]);
  });

  it('shows no activity input, result or failure message in plain text', () => {
    const text = rawText(withoutPatchMarkers(history));
    expect(text).toContain('syncChanges'); // the search does see the history (activity type names are plain)
    // Memo keys (frequencyMs, lastCycle, pausedBy) are field names and stay visible; their values are encrypted.
    for (const canary of ['fullRelist', 'upserts', "refused the connection's credentials", 'invalid_access_token', 'codec-canary', 'plan.txt', 'json/plain']) {
      expect({ canary, found: text.includes(canary) }).toEqual({ canary, found: false });
    }
    // Failure messages are replaced by the SDK's placeholder; the real one is in the encrypted attributes.
    expect(text).toContain('Encoded failure');
  });

  it('decrypts to the same values with the keys, so the search above is not blind', async () => {
    const copy = temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish());
    expect(await decodeHistoryPayloads(copy, new EncryptionCodec(harness.keyring))).toBe(payloadsOf(history).filter(({ path }) => !path.includes('searchAttributes') && !isPatchMarker(path)).length);
    const text = rawText(copy);
    for (const value of ['"fullRelist":true', '"upserts":3', "refused the connection's credentials", 'json/plain']) expect(text).toContain(value);
  });

  describe('codec server', () => {
    let server: Awaited<ReturnType<typeof startCodecServer>>;
    const activityInput = () => {
      const scheduled = history.events!.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'syncChanges');
      return scheduled!.activityTaskScheduledEventAttributes!.input!.payloads![0]!;
    };
    const body = (payloads: RawPayload[]) =>
      JSON.stringify({ payloads: payloads.map((payload) => ({ metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])), data: Buffer.from(payload.data ?? []).toString('base64') })) });
    const post = (path: string, headers: Record<string, string>, content: string) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Namespace': harness.info.namespace, ...headers }, body: content });

    beforeAll(async () => {
      server = await startCodecServer({ codec: new EncryptionCodec(harness.keyring), tokens: [{ name: 'alice', token }], corsOrigins: [UI_ORIGIN], namespaces: [harness.info.namespace], logger, port: 0 });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('decodes history payloads for a holder of the token and audits who and how many', async () => {
      audit.length = 0;
      const response = await post('/decode', { Authorization: `Bearer ${token}`, Origin: UI_ORIGIN }, body([activityInput()]));
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      const decoded = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      expect(decoded.payloads).toHaveLength(1);
      expect(Buffer.from(decoded.payloads[0]!.metadata['encoding']!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual({ tenantId: ref.tenantId, workspaceId: ref.workspaceId, fullRelist: true });
      expect(audit).toEqual([{ level: 'info', fields: { event: 'codec_decode', operator: 'alice', namespace: harness.info.namespace, count: 1, encrypted: 1, origin: UI_ORIGIN }, message: 'codec server decoded payloads' }]);
      expect(JSON.stringify(audit)).not.toContain('fullRelist');
    });

    it('encodes what it is given, and its output decodes back (the UI encodes inputs it sends)', async () => {
      const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') };
      const encoded = await post('/encode', { Authorization: `Bearer ${token}` }, body([plain]));
      expect(encoded.status).toBe(200);
      const decoded = await post('/decode', { Authorization: `Bearer ${token}` }, await encoded.text());
      const payload = ((await decoded.json()) as { payloads: { data: string }[] }).payloads[0]!;
      expect(Buffer.from(payload.data, 'base64').toString()).toBe('"hello"');
    });

    it('refuses a request without a token (401) and with a wrong one (403), and logs the refusal', async () => {
      audit.length = 0;
      const missing = await post('/decode', {}, body([activityInput()]));
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await post('/decode', { Authorization: `Bearer ${randomBytes(32).toString('base64url')}` }, body([activityInput()]));
      expect(wrong.status).toBe(403);
      const almost = await post('/decode', { Authorization: `Bearer ${token.slice(0, -1)}x` }, body([activityInput()]));
      expect(almost.status).toBe(403);
      expect(await almost.text()).not.toContain('fullRelist');
      expect(audit.map((line) => [line.level, line.fields['event'], line.fields['status']])).toEqual([
        ['warn', 'codec_refused', 401],
        ['warn', 'codec_refused', 403],
        ['warn', 'codec_refused', 403],
      ]);
      expect(JSON.stringify(audit)).not.toContain(token.slice(0, 12));
    });

    it('refuses another namespace and answers malformed bodies with 400', async () => {
      expect((await post('/decode', { Authorization: `Bearer ${token}`, 'X-Namespace': 'someone-else' }, body([]))).status).toBe(403);
      expect((await post('/decode', { Authorization: `Bearer ${token}` }, 'not json')).status).toBe(400);
      expect((await post('/decode', { Authorization: `Bearer ${token}` }, '{"payloads": [{"data": "%%%"}]}')).status).toBe(400);
    });

    it('answers the CORS preflight of the UI origin and no other', async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' } });
      const allowed = await preflight(UI_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Namespace');
      expect(allowed.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
      const other = await preflight('http://evil.example');
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets the Temporal CLI show the decoded history with the token, and only with it', async () => {
      const cli = cachedTemporalCliPath(resolve(findRepoRoot(), loadConfig().toolsDir));
      const show = (extra: string[]) =>
        run(cli, ['workflow', 'show', '--address', harness.info.temporalAddress, '--namespace', harness.info.namespace, '--workflow-id', workspaceSyncWorkflowId(ref), '--output', 'json', ...extra], { maxBuffer: 64 * 1024 * 1024 });
      audit.length = 0;
      const decoded = cliText(JSON.parse((await show(['--codec-endpoint', server.url, '--codec-auth', `Bearer ${token}`])).stdout));
      expect(decoded).toContain('"fullRelist":true');
      expect(decoded).toContain("refused the connection's credentials");
      expect(decoded).not.toContain('binary/encrypted');
      expect(audit.filter((line) => line.fields['event'] === 'codec_decode').length).toBeGreaterThan(10);
      expect(audit.filter((line) => line.level === 'warn')).toEqual([]);
      const plain = cliText(JSON.parse((await show([])).stdout));
      expect(plain).not.toContain('fullRelist');
      expect(plain).not.toContain("refused the connection's credentials");
      expect(plain).toContain('binary/encrypted');
      // A wrong token: the server answers 403 and the CLI gives up (it retries until its timeout).
      await expect(show(['--codec-endpoint', server.url, '--codec-auth', 'Bearer wrong-token-wrong-token-wrong-token', '--command-timeout', '3s'])).rejects.toThrow();
    });
  });
});

function isPatchMarker(path: string): boolean {
  return path.includes('markerRecordedEventAttributes.details.patch-data');
}

/** The history without the SDK's patch markers (plain by design, holding only patch ids). */
function withoutPatchMarkers(history: temporal.api.history.v1.IHistory): temporal.api.history.v1.IHistory {
  return { events: (history.events ?? []).filter((event) => event.markerRecordedEventAttributes?.markerName !== 'core_patch') };
}
