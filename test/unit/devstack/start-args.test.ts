import { buildFerretDbArgs, buildMongodArgs } from '../../../src/devstack/mongo-server';
import { buildStartDevArgs } from '../../../src/devstack/temporal-server';

describe('buildStartDevArgs', () => {
  const searchAttributes = [
    { name: 'FostrTenantId', type: 'Keyword' as const },
    { name: 'FostrLastSyncedAt', type: 'Datetime' as const },
  ];

  it('runs headless on loopback when no UI port is given', () => {
    expect(buildStartDevArgs({ port: 7233, namespace: 'default', searchAttributes })).toEqual([
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', '7233',
      '--headless',
      '--namespace', 'default',
      '--log-level', 'warn',
      '--color', 'never',
      '--search-attribute', 'FostrTenantId=Keyword',
      '--search-attribute', 'FostrLastSyncedAt=Datetime',
    ]);
  });

  it('serves the UI on the given port instead of --headless', () => {
    const args = buildStartDevArgs({ port: 7233, uiPort: 8233, namespace: 'fostr', searchAttributes: [] });
    expect(args).not.toContain('--headless');
    expect(args.slice(args.indexOf('--ui-port'), args.indexOf('--ui-port') + 2)).toEqual(['--ui-port', '8233']);
    expect(args.slice(args.indexOf('--namespace'), args.indexOf('--namespace') + 2)).toEqual(['--namespace', 'fostr']);
    expect(args).not.toContain('--search-attribute');
  });
});

describe('mongo server arguments', () => {
  it('binds mongod to loopback with its own dbpath', () => {
    expect(buildMongodArgs(27018, '/data/mongod')).toEqual([
      '--bind_ip', '127.0.0.1', '--port', '27018', '--dbpath', '/data/mongod', '--quiet',
    ]);
  });

  it('binds FerretDB to loopback with its own data dir', () => {
    expect(buildFerretDbArgs(27019, '/data/ferretdb')).toEqual(['-listen', '127.0.0.1:27019', '-data', '/data/ferretdb']);
  });
});
