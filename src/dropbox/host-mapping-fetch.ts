const DROPBOX_HOSTS = ['https://api.dropboxapi.com', 'https://content.dropboxapi.com', 'https://notify.dropboxapi.com'];

type Fetch = typeof fetch;

/**
 * A `fetch` for the official SDK that sends Dropbox's hosts to another base URL (the emulator),
 * keeping path and query. The SDK always builds `https://` URLs on Dropbox's hosts, token refresh
 * included, so mapping here is the one hook that covers every call (dropbox-api-notes.md §10.1).
 */
export function createHostMappingFetch(baseUrl: string, inner: Fetch = fetch): Fetch {
  const base = baseUrl.replace(/\/+$/, '');
  return ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const host = DROPBOX_HOSTS.find((candidate) => url.startsWith(`${candidate}/`));
    if (!host) throw new Error(`refusing to send a request outside Dropbox's API hosts: ${new URL(url).origin}`);
    return inner(base + url.slice(host.length), init);
  }) as Fetch;
}
