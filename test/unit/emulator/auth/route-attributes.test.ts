import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROUTE_TABLE } from '../../../../emulator/src/routes';

/** The official spec, checked out next to the repository (dropbox-api-notes.md sources). */
const SPEC_DIR = resolve(__dirname, '../../../../../shared/dropbox-api-spec');

interface SpecRoute {
  readonly auth: string;
  readonly host: string;
  readonly scope?: string;
}

/**
 * Reads every route's `auth`, `host` and `scope` attributes from the stone files. A route block runs
 * from its `route` line to the next unindented line; `stone_cfg.stone` defaults are auth "user" and
 * host "api". Versioned routes (`copy:2`) are served as `copy_v2`.
 */
function readSpecRoutes(): Map<string, SpecRoute> {
  const routes = new Map<string, SpecRoute>();
  for (const file of readdirSync(SPEC_DIR).filter((name) => name.endsWith('.stone'))) {
    const lines = readFileSync(join(SPEC_DIR, file), 'utf8').split('\n');
    const namespace = /^namespace (\S+)/m.exec(lines.join('\n'))?.[1];
    if (!namespace || namespace === 'stone_cfg') continue;
    lines.forEach((line, index) => {
      const header = /^route ([\w/]+)(?::(\d+))? /.exec(line);
      if (!header) return;
      const attrs: Record<string, string> = {};
      for (let next = index + 1; next < lines.length && !/^\S/.test(lines[next]!); next += 1) {
        const attr = /^\s+(auth|host|scope) = "([^"]*)"/.exec(lines[next]!);
        if (attr) attrs[attr[1]!] = attr[2]!;
      }
      const version = header[2] && header[2] !== '1' ? `_v${header[2]}` : '';
      routes.set(`${namespace}/${header[1]!}${version}`, { auth: attrs['auth'] ?? 'user', host: attrs['host'] ?? 'api', scope: attrs['scope'] });
    });
  }
  return routes;
}

const AUTH_NAMES: Record<string, string> = { user: 'user', 'app, user': 'app_user', noauth: 'noauth' };

describe('route definitions carry the spec\'s attributes', () => {
  const spec = readSpecRoutes();

  it('reads the spec (a sanity check of the reader)', () => {
    expect(spec.get('files/list_folder')).toEqual({ auth: 'app, user', host: 'api', scope: 'files.metadata.read' });
    expect(spec.get('files/list_folder/longpoll')).toEqual({ auth: 'noauth', host: 'notify', scope: 'files.metadata.read' });
    expect(spec.get('auth/token/revoke')).toEqual({ auth: 'user', host: 'api', scope: undefined });
    expect(spec.get('check/user')?.scope).toBe('account_info.read');
  });

  it.each([...ROUTE_TABLE.keys()])('%s: scope, auth and host as in the spec', (name) => {
    const definition = ROUTE_TABLE.get(name)!;
    const declared = spec.get(name);
    expect(declared).toBeDefined();
    expect({ scope: definition.scope, auth: definition.auth, host: definition.host }).toEqual({
      scope: declared!.scope,
      auth: AUTH_NAMES[declared!.auth],
      host: declared!.host,
    });
  });
});
