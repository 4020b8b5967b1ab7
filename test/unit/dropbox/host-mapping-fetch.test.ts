import { createHostMappingFetch } from '../../../src/dropbox/host-mapping-fetch';

interface Call {
  readonly url: string;
  readonly init: RequestInit | undefined;
}

/** A stand-in for the network that records what it was asked to fetch. */
function recordingFetch(): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = ((input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return Promise.resolve(new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
  }) as typeof fetch;
  return { fetch: fake, calls };
}

const BASE = 'http://127.0.0.1:45678';

describe('createHostMappingFetch', () => {
  it.each([
    ['https://api.dropboxapi.com/2/files/list_folder', `${BASE}/2/files/list_folder`],
    ['https://content.dropboxapi.com/2/files/download', `${BASE}/2/files/download`],
    ['https://notify.dropboxapi.com/2/files/list_folder/longpoll', `${BASE}/2/files/list_folder/longpoll`],
    [
      'https://api.dropboxapi.com/oauth2/token?grant_type=refresh_token&refresh_token=R&client_id=K',
      `${BASE}/oauth2/token?grant_type=refresh_token&refresh_token=R&client_id=K`,
    ],
  ])('maps %s to the base URL, keeping path and query', async (from, to) => {
    const network = recordingFetch();
    await createHostMappingFetch(BASE, network.fetch)(from);
    expect(network.calls.map((call) => call.url)).toEqual([to]);
  });

  it('passes the request options through unchanged', async () => {
    const network = recordingFetch();
    const init: RequestInit = { method: 'POST', headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' }, body: '{"path":""}' };
    await createHostMappingFetch(BASE, network.fetch)('https://api.dropboxapi.com/2/files/list_folder', init);
    expect(network.calls).toEqual([{ url: `${BASE}/2/files/list_folder`, init }]);
  });

  it('accepts a URL object', async () => {
    const network = recordingFetch();
    await createHostMappingFetch(BASE, network.fetch)(new URL('https://api.dropboxapi.com/2/check/user'));
    expect(network.calls.map((call) => call.url)).toEqual([`${BASE}/2/check/user`]);
  });

  it('drops trailing slashes of the base URL', async () => {
    const network = recordingFetch();
    await createHostMappingFetch(`${BASE}//`, network.fetch)('https://api.dropboxapi.com/2/files/list_folder');
    expect(network.calls.map((call) => call.url)).toEqual([`${BASE}/2/files/list_folder`]);
  });

  it('returns the response of the inner fetch', async () => {
    const network = recordingFetch();
    const response = await createHostMappingFetch(BASE, network.fetch)('https://api.dropboxapi.com/2/files/list_folder');
    expect([response.status, await response.text()]).toEqual([200, '{}']);
  });

  it.each([
    ['https://www.dropbox.com/oauth2/authorize', 'https://www.dropbox.com'],
    ['https://example.com/2/files/list_folder', 'https://example.com'],
    ['http://api.dropboxapi.com/2/files/list_folder', 'http://api.dropboxapi.com'],
    ['https://api.dropboxapi.com.evil.test/2/files/list_folder', 'https://api.dropboxapi.com.evil.test'],
    ['https://api.dropboxapi.com:8443/2/files/list_folder', 'https://api.dropboxapi.com:8443'],
  ])('refuses %s, naming its origin, and sends nothing', async (url, origin) => {
    const network = recordingFetch();
    const mapped = createHostMappingFetch(BASE, network.fetch);
    // Whether the refusal is thrown or rejected, the caller sees it as a failed fetch.
    await expect(Promise.resolve().then(() => mapped(url))).rejects.toThrow(`refusing to send a request outside Dropbox's API hosts: ${origin}`);
    expect(network.calls).toEqual([]);
  });

  it('keeps the method and body of a Request input', async () => {
    const network = recordingFetch();
    await createHostMappingFetch(BASE, network.fetch)(new Request('https://api.dropboxapi.com/2/files/list_folder', { method: 'POST', body: '{"path":""}' }));
    const [call] = network.calls;
    const forwarded = new Request(call!.url, call!.init);
    expect([forwarded.method, await forwarded.text()]).toEqual(['POST', '{"path":""}']);
  });
});
