import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * One HTTP exchange as the client saw it, kept when recording is on so that a conformance check
 * can hold every served body to the spec's types.
 */
export interface Exchange {
  /** Which listener served it: `api` (api and content hosts) or `notify`. */
  readonly listener: 'api' | 'notify';
  readonly method: string;
  /** URL path without the query, e.g. `/2/files/list_folder` or `/oauth2/token`. */
  readonly path: string;
  readonly status: number;
  /** The response's `Content-Type` exactly as sent, or `null` without one. */
  readonly contentType: string | null;
  readonly body: string;
}

/**
 * Watches one response and reports it once it has been sent. The emulator's senders end a
 * response with `writeHead(status, headers)` and one `end(body)`, so those two calls are wrapped;
 * headers set by `setHeader` are read back at the end.
 */
export function recordExchange(
  req: IncomingMessage,
  res: ServerResponse,
  listener: Exchange['listener'],
  sink: (exchange: Exchange) => void,
): void {
  let headerContentType: string | undefined;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null) as OutgoingHttpHeaders | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (name.toLowerCase() === 'content-type') headerContentType = String(value);
    }
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunks, chunk);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') collect(chunks, chunk);
    const contentType = headerContentType ?? res.getHeader('content-type');
    sink({
      listener,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      status: res.statusCode,
      contentType: contentType === undefined ? null : String(contentType),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}

function collect(chunks: Buffer[], chunk: unknown): void {
  if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
  else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
}
