import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import type { TlsIdentity } from './tls';

/** A started loopback listener: the server and the base URL clients use. */
export interface Listener {
  readonly server: Server;
  /** `http(s)://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Listens on 127.0.0.1 (`port` 0 picks a free one), over HTTPS when an identity is given. */
export async function listenOnLoopback(handler: Handler, port: number, tls?: TlsIdentity): Promise<Listener> {
  const server: Server = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
