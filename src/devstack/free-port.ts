import { createServer, type Server } from 'node:net';

/** Loopback address every started component binds to. */
export const LOOPBACK = '127.0.0.1';

function listenOnEphemeralPort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Returns `count` distinct TCP ports that were free on `host` a moment ago.
 *
 * All listeners are held open until every port is chosen so the kernel cannot hand out the same
 * port twice; another process can still grab one before the caller binds it.
 */
export async function findFreePorts(count: number, host: string = LOOPBACK): Promise<number[]> {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`findFreePorts: count must be a positive integer, got ${count}`);
  }
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnEphemeralPort(host));
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        throw new Error(`findFreePorts: ${host} did not report a TCP port`);
      }
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** Returns one TCP port that was free on `host` a moment ago. */
export async function findFreePort(host: string = LOOPBACK): Promise<number> {
  const [port] = await findFreePorts(1, host);
  return port as number;
}
