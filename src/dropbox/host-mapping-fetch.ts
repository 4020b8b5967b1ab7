const NOTIFY_HOST = 'https://notify.dropboxapi.com';
const DROPBOX_HOSTS = ['https://api.dropboxapi.com', 'https://content.dropboxapi.com', NOTIFY_HOST];

type Fetch = typeof fetch;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return JSON.stringify(url.slice(0, 100));
  }
}

/**
 * A `fetch` for the official SDK that sends Dropbox's hosts to another base URL (the emulator),
 * keeping path and query. The SDK always builds `https://` URLs on Dropbox's hosts, token refresh
 * included, so mapping here is the one hook that covers every call (dropbox-api-notes.md §10.1).
 * `notifyBaseUrl` receives `notify.dropboxapi.com` (longpoll), which the emulator serves on its own
 * listener (`emulator.notifyBaseUrl`); without it the notify host maps to `baseUrl` too.
 */
export function createHostMappingFetch(baseUrl: string, inner: Fetch = fetch, notifyBaseUrl?: string): Fetch {
  const base = baseUrl.replace(/\/+$/, '');
  const notifyBase = (notifyBaseUrl ?? baseUrl).replace(/\/+$/, '');
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const host = DROPBOX_HOSTS.find((candidate) => url.startsWith(`${candidate}/`));
    if (!host) throw new Error(`refusing to send a request outside Dropbox's API hosts: ${originOf(url)}`);
    const mapped = (host === NOTIFY_HOST ? notifyBase : base) + url.slice(host.length);
    if (!(input instanceof Request)) return inner(mapped, init);
    // A Request carries its own method, headers and body; keep them on the mapped URL.
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
    return inner(mapped, { method: input.method, headers: input.headers, body, signal: input.signal, ...init });
  }) as Fetch;
}
