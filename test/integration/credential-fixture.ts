import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DropboxEmulator } from '../../emulator/src';
import { WorkspaceRef, workspaceSyncWorkflowId } from '../../src/domain/ids';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';
import { AlertEvent, AlertWebhook } from '../../src/services/alert-webhook';
import { AlertsRepository } from '../../src/store/alerts-repo';
import { createSyncWorker } from '../../src/worker/create-worker';
import { Harness, RunningWorker } from './harness';

/** One request the loopback webhook receiver got, with whether its signature checked out. */
export interface ReceivedAlert {
  readonly event: AlertEvent;
  readonly signatureValid: boolean;
  readonly timestamp: string;
}

/**
 * A webhook receiver on loopback that verifies each request the way a customer would: recompute
 * `sha256=HMAC(secret, "<X-Fostr-Timestamp>.<raw body>")` and compare in constant time.
 */
export class WebhookReceiver {
  readonly received: ReceivedAlert[] = [];
  readonly secret = `whsec-${randomBytes(16).toString('hex')}`;

  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      void readAll(req).then((body) => {
        this.accept(req, body);
        res.writeHead(204).end();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  /** Events about one workspace, in arrival order. */
  forWorkspace(ref: WorkspaceRef): ReceivedAlert[] {
    return this.received.filter((entry) => entry.event.alert.tenantId === ref.tenantId && entry.event.alert.workspaceId === ref.workspaceId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(req: IncomingMessage, body: string): void {
    const timestamp = String(req.headers['x-fostr-timestamp'] ?? '');
    const signature = String(req.headers['x-fostr-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const signatureValid = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    this.received.push({ event: JSON.parse(body) as AlertEvent, signatureValid, timestamp });
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A worker on its own task queue that sends alerts to `receiver` (and talks to `apiBaseUrl`, default the emulator). */
export async function startHealthWorker(
  harness: Harness,
  options: { taskQueue: string; emulator: DropboxEmulator; receiver: WebhookReceiver; apiBaseUrl?: string; pageLimit?: number },
): Promise<{ worker: RunningWorker; webhook: AlertWebhook }> {
  const webhook = new AlertWebhook({ url: options.receiver.url, secret: options.receiver.secret, backoffMs: 100 });
  const worker = await createSyncWorker({
    connection: harness.nativeConnection,
    namespace: harness.info.namespace,
    taskQueue: options.taskQueue,
    db: harness.db,
    keyring: harness.keyring,
    dropbox: { apiBaseUrl: options.apiBaseUrl ?? options.emulator.baseUrl, requestTimeoutMs: 10_000 },
    pageLimit: options.pageLimit ?? 3,
    alertNotifier: webhook,
    workflowBundle: { codePath: harness.info.bundlePath },
  });
  return { worker: new RunningWorker(worker), webhook };
}

/** The workflow's `FostrCredentialHealth` and `FostrSyncState` search attributes as Temporal holds them. */
export async function searchAttributesOf(harness: Harness, ref: WorkspaceRef): Promise<{ health?: string; state?: string }> {
  const description = await harness.client.workflow.getHandle(workspaceSyncWorkflowId(ref)).describe();
  return {
    health: description.typedSearchAttributes.get(SEARCH_ATTRIBUTE_KEYS.credentialHealth),
    state: description.typedSearchAttributes.get(SEARCH_ATTRIBUTE_KEYS.syncState),
  };
}

export function alertsOf(harness: Harness): AlertsRepository {
  return new AlertsRepository(harness.db);
}

/**
 * A loopback forwarder in front of the emulator that can make `/oauth2/token` answer 429 or 5xx:
 * the emulator's fault rules cover `/2/` routes only, and a token endpoint that fails for a while is
 * exactly the transient case credential health must ride out.
 */
export class TokenEndpointFaults {
  /** Status `/oauth2/token` answers while set; forwarded to the emulator when undefined. */
  failWith?: 429 | 500 | 503;
  /** Token requests answered with `failWith`. */
  failed = 0;
  private readonly server: Server;

  private constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      void this.forward(req).then(
        ({ status, headers, body }) => res.writeHead(status, headers).end(body),
        () => res.writeHead(502).end(),
      );
    });
  }

  static async start(target: string): Promise<TokenEndpointFaults> {
    const proxy = new TokenEndpointFaults(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const body = Buffer.from(await readAll(req), 'utf8');
    if (this.failWith !== undefined && (req.url ?? '').startsWith('/oauth2/token')) {
      this.failed += 1;
      return { status: this.failWith, headers: { 'Content-Type': 'text/plain', ...(this.failWith === 429 ? { 'Retry-After': '1' } : {}) }, body: Buffer.from('try again later') };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !['host', 'content-length', 'connection'].includes(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const upstream = await fetch(this.target + (req.url ?? '/'), { method: req.method, headers, body: body.length > 0 ? body : undefined });
    const replyHeaders: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) replyHeaders[name] = value;
    });
    return { status: upstream.status, headers: replyHeaders, body: Buffer.from(await upstream.arrayBuffer()) };
  }
}
