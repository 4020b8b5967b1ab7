import type { Payload, PayloadCodec } from '@temporalio/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { CodecServerToken } from '../config';
import { isEncrypted } from './payload-codec';

/** Where audit and refusal lines go (the project's pino logger fits). */
export interface CodecAuditLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CodecServerOptions {
  readonly codec: PayloadCodec;
  /** Accepted bearer tokens, each with the name the audit log records. */
  readonly tokens: readonly CodecServerToken[];
  /** Browser origins allowed by CORS (the Temporal UI's). Empty: CLI only. */
  readonly corsOrigins: readonly string[];
  /** Namespaces whose payloads this server may encode and decode. */
  readonly namespaces: readonly string[];
  readonly logger: CodecAuditLogger;
  /** Largest request body accepted. @default 8 MiB */
  readonly maxBodyBytes?: number;
}

/** proto3 JSON of a Payload: every bytes field, data and each metadata value, is base64. */
const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
/** proto3 JSON omits empty fields: `{}` is a valid empty Payloads (the CLI sends it). */
const PayloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).nullish(), data: Base64.nullish() })).nullish(),
});

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Temporal's remote codec protocol (`POST …/encode`, `POST …/decode`, body `{"payloads": [...]}`
 * as proto3 JSON) so that the Temporal CLI and Web UI can show what the payload codec encrypted.
 * Every request needs a configured bearer token (401 without one, 403 for a wrong one), compared in
 * constant time; each decode and encode writes an audit line with who, namespace and counts, never
 * payload contents. Bind it to loopback; expose it only through an authenticating TLS proxy.
 */
export function createCodecServer(options: CodecServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const tokenDigests = options.tokens.map((entry) => ({ name: entry.name, digest: sha256(entry.token) }));
  if (tokenDigests.length === 0) throw new Error('the codec server needs at least one token');

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    const corsAllowed = origin !== undefined && options.corsOrigins.includes(origin);
    if (corsAllowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    const operation = /\/(encode|decode)\/?$/.exec((request.url ?? '/').split('?')[0]!)?.[1] as 'encode' | 'decode' | undefined;
    if (request.method === 'OPTIONS') {
      // Preflights carry no credentials; they are answered for allowed origins only.
      if (!corsAllowed) throw new HttpError(403, 'origin not allowed');
      if (!operation) throw new HttpError(404, 'not found: use POST /encode or POST /decode');
      response.writeHead(204, { 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600' });
      response.end();
      return;
    }
    if (!operation) throw new HttpError(404, 'not found: use POST /encode or POST /decode');
    if (request.method !== 'POST') throw new HttpError(405, 'method not allowed', { Allow: 'POST, OPTIONS' });
    const operator = authenticate(request.headers.authorization);
    const namespace = namespaceOf(request);
    const body = await readBody(request, maxBodyBytes);
    const payloads = parsePayloads(body);
    const output = operation === 'decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
    // The audit line: who, what, how many. Never the payloads.
    options.logger.info(
      { event: `codec_${operation}`, operator, namespace, count: payloads.length, encrypted: payloads.filter(isEncrypted).length, origin: origin ?? null },
      `codec server ${operation}d payloads`,
    );
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ payloads: output.map(payloadToJson) }));
  }

  function authenticate(header: string | undefined): string {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new HttpError(401, 'a bearer token is required', { 'WWW-Authenticate': 'Bearer realm="fostr-codec"' });
    const presented = sha256(match[1]!);
    let operator: string | undefined;
    // Digests have equal length, so timingSafeEqual applies; every token is compared, no early exit.
    for (const entry of tokenDigests) if (timingSafeEqual(presented, entry.digest)) operator = entry.name;
    if (operator === undefined) throw new HttpError(403, 'the token is not accepted');
    return operator;
  }

  function namespaceOf(request: IncomingMessage): string {
    const header = request.headers['x-namespace'];
    const namespace = typeof header === 'string' && header !== '' ? header : options.namespaces.length === 1 ? options.namespaces[0]! : undefined;
    if (namespace === undefined) throw new HttpError(400, 'the X-Namespace header is required');
    if (!options.namespaces.includes(namespace)) throw new HttpError(403, `namespace ${namespace.slice(0, 255)} is not served here`);
    return namespace;
  }

  return createServer((request, response) => {
    const remote = request.socket?.remoteAddress ?? null;
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 400;
      const message = error instanceof Error ? error.message : 'bad request';
      const refused = status === 401 || status === 403;
      options.logger.warn(
        { event: refused ? 'codec_refused' : 'codec_failed', status, reason: message, origin: request.headers.origin ?? null, remote },
        refused ? 'codec server refused a request' : 'codec server could not serve a request',
      );
      if (!response.headersSent) {
        response.writeHead(status, { 'Content-Type': 'application/json', ...(error instanceof HttpError ? error.headers : {}) });
      }
      // Codec errors name key versions and causes only; no payload bytes reach this message.
      response.end(JSON.stringify({ error: message }));
    });
  });
}

/** Starts the server on loopback; `port` 0 picks a free one. */
export async function startCodecServer(options: CodecServerOptions & { readonly port: number }): Promise<{ readonly url: string; readonly server: Server; close(): Promise<void> }> {
  const server = createCodecServer(options);
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end but not kept (the caller is authenticated by now), so the
  // client gets its 413 instead of a reset connection.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) throw new HttpError(413, `the body exceeds ${maxBytes} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

function parsePayloads(body: string): Payload[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const parsed = PayloadsBody.safeParse(json);
  if (!parsed.success) throw new HttpError(400, `the body is not {"payloads": [...]}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return (parsed.data.payloads ?? []).map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  }));
}

function payloadToJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
