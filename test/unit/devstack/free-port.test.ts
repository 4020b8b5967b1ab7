import { createServer } from 'node:net';
import { findFreePort, findFreePorts } from '../../../src/devstack/free-port';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });
}

describe('findFreePorts', () => {
  it('returns distinct ports that can be bound on loopback', async () => {
    const ports = await findFreePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThan(0);
      expect(port).toBeLessThan(65536);
      await expect(canListen(port)).resolves.toBe(true);
    }
  });

  it('rejects a count that is not a positive integer', async () => {
    await expect(findFreePorts(0)).rejects.toThrow(/positive integer/);
    await expect(findFreePorts(1.5)).rejects.toThrow(/positive integer/);
  });
});

describe('findFreePort', () => {
  it('returns one bindable port', async () => {
    await expect(canListen(await findFreePort())).resolves.toBe(true);
  });
});
