import { defaultPayloadConverter } from '@temporalio/common';
import { Keyring } from '../../../src/crypto/keyring';
import { startCodecServer } from '../../../src/temporal/codec-server';
import { EncryptionCodec } from '../../../src/temporal/payload-codec';

const TOKEN = 'k'.repeat(40);

/** The codec server's protocol edges, on loopback in-process (the integration test drives it with real history and the Temporal CLI). */
describe('codec server', () => {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = { info: (fields: object, message: string) => lines.push({ fields: fields as Record<string, unknown>, message }), warn: (fields: object, message: string) => lines.push({ fields: fields as Record<string, unknown>, message }) };
  const codec = new EncryptionCodec(Keyring.generate());
  let server: Awaited<ReturnType<typeof startCodecServer>>;

  beforeAll(async () => {
    server = await startCodecServer({ codec, tokens: [{ name: 'ops', token: TOKEN }], corsOrigins: [], namespaces: ['prod', 'staging'], logger, port: 0, maxBodyBytes: 1024 });
  });
  afterAll(() => server.close());

  const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { method: 'POST', ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'X-Namespace': 'prod', ...(init.headers as Record<string, string>) } });

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves /encode and /decode at any depth, and an empty Payloads ({}) as no payloads', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload('hi')]);
    const body = JSON.stringify({ payloads: [{ metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(encrypted!.data!).toString('base64') }] });
    const response = await call('/prod/decode', { body });
    expect(response.status).toBe(200);
    const decoded = (await response.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toBe('"hi"');
    expect(await (await call('/decode', { body: '{}' })).json()).toEqual({ payloads: [] });
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await call('/status', { body: '{}' })).status).toBe(404);
    const get = await fetch(`${server.url}/decode`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('needs X-Namespace when it serves several namespaces', async () => {
    const response = await fetch(`${server.url}/decode`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the X-Namespace header is required' });
  });

  it('refuses a body over the limit with 413', async () => {
    expect((await call('/decode', { body: JSON.stringify({ payloads: [{ data: 'A'.repeat(2000) }] }) })).status).toBe(413);
  });

  it('answers a payload it cannot decrypt with 400 naming the cause, not the payload', async () => {
    const [foreign] = await new EncryptionCodec(Keyring.generate()).encode([defaultPayloadConverter.toPayload('secret-value')]);
    const body = JSON.stringify({ payloads: [{ metadata: Object.fromEntries(Object.entries(foreign!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(foreign!.data!).toString('base64') }] });
    const response = await call('/decode', { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Temporal payload codec: authentication failed with key version 1 (wrong key, or the payload was altered)' });
  });

  it('refuses to start without a token', async () => {
    await expect(startCodecServer({ codec, tokens: [], corsOrigins: [], namespaces: ['prod'], logger, port: 0 })).rejects.toThrow('the codec server needs at least one token');
  });
});
