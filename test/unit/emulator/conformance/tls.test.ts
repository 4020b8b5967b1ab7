import { request } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DropboxEmulator } from '../../../../emulator/src';
import { generateLoopbackIdentity } from '../../../../emulator/src/transport/tls';

/** POSTs over HTTPS trusting only `ca`; resolves with the status and body, rejects on a TLS failure. */
function post(url: string, ca: string | undefined, token: string): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulator over TLS', () => {
  let emulator: DropboxEmulator;
  let token: string;

  beforeAll(async () => {
    emulator = await DropboxEmulator.start({ tls: true, recordExchanges: true });
    token = emulator.createAccount({ email: 'tls@fostr.example', displayName: 'Tee Ls' }).accessToken;
  });
  afterAll(() => emulator.stop());

  it('serves HTTPS with a certificate for 127.0.0.1 and localhost that clients can trust', async () => {
    expect(emulator.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = emulator.caCertificatePem!;
    expect(ca).toContain('BEGIN CERTIFICATE');
    const byIp = await post(`${emulator.baseUrl}/2/files/no_such_route`, ca, token);
    expect(byIp).toMatchObject({ status: 400, body: expect.stringContaining('no_such_route') });
    const byName = await post(`${emulator.baseUrl.replace('127.0.0.1', 'localhost')}/2/files/no_such_route`, ca, token);
    expect(byName.status).toBe(byIp.status);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(post(`${emulator.baseUrl}/2/files/list_folder`, undefined, token)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('writes the certificate to a file for NODE_EXTRA_CA_CERTS and REQUESTS_CA_BUNDLE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emulator-ca-')), 'ca.pem');
    emulator.writeCaCertificate(file);
    expect(readFileSync(file, 'utf8')).toBe(emulator.caCertificatePem);
  });

  it('records each served response with its status, content type and body', async () => {
    emulator.exchanges.length = 0;
    await post(`${emulator.baseUrl}/2/files/no_such_route`, emulator.caCertificatePem, token);
    expect(emulator.exchanges).toEqual([
      { listener: 'api', method: 'POST', path: '/2/files/no_such_route', status: 400, contentType: 'text/plain; charset=utf-8', body: expect.stringContaining('Unknown API function') },
    ]);
  });
});

describe('emulator TLS with a given certificate', () => {
  it('serves the identity it was given, so several emulators share one trust file', async () => {
    const identity = await generateLoopbackIdentity();
    const first = await DropboxEmulator.start({ tls: identity });
    const second = await DropboxEmulator.start({ tls: identity });
    try {
      expect(first.caCertificatePem).toBe(identity.certPem);
      const token = second.createAccount({ email: 'two@fostr.example', displayName: 'Two' }).accessToken;
      const reply = await post(`${second.baseUrl}/2/files/no_such_route`, identity.certPem, token);
      expect(reply.status).toBe(400);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('refuses a pair that is not PEM, and plain HTTP has no certificate to write', async () => {
    await expect(DropboxEmulator.start({ tls: { certPem: 'nope', keyPem: 'nope' } })).rejects.toThrow(/PEM/);
    const plain = await DropboxEmulator.start();
    try {
      expect(plain.baseUrl).toMatch(/^http:\/\//);
      expect(plain.caCertificatePem).toBeUndefined();
      expect(() => plain.writeCaCertificate(join(tmpdir(), 'never.pem'))).toThrow(/plain HTTP/);
    } finally {
      await plain.stop();
    }
  });
});
