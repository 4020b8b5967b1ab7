import { DropboxEmulator } from '../../../../emulator/src';
import { WireClient } from './wire-client';

/** Folder deletes and moved descendants' casing, with each switch off (Dropbox's default) and on. */
describe.each([
  [false, ['deleted:/x', 'deleted:/y.txt']],
  [true, ['deleted:/x', 'deleted:/x/1.txt', 'deleted:/x/sub', 'deleted:/x/sub/2.txt', 'deleted:/y.txt']],
])('childTombstones %s', (childTombstones, expected) => {
  let emulator: DropboxEmulator;

  beforeAll(async () => {
    emulator = await DropboxEmulator.start({ seed: 'surface-feed', childTombstones });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('reports a folder delete once, or also per descendant', async () => {
    const wire = new WireClient(emulator);
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/x/1.txt', size: 1 }, { op: 'add', path: '/x/sub/2.txt', size: 1 }, { op: 'add', path: '/y.txt', size: 1 }]);
    const { cursor } = (await wire.api('files/list_folder', token, { path: '', recursive: true })).json();
    wire.apply(email, [{ op: 'delete', path: '/x' }, { op: 'delete', path: '/y.txt' }], 2);
    const { entries } = (await wire.api('files/list_folder/continue', token, { cursor })).json();
    expect(entries.map((entry) => `${String(entry['.tag'])}:${String(entry['path_lower'])}`)).toEqual(expected);
  });
});

describe.each([
  [false, '/Top/SUB/Child'],
  [true, '/Top/Sub/Child'],
])('staleAncestorCasing %s', (staleAncestorCasing, childDisplay) => {
  it('gives a moved folder its new name and its descendants fresh or first-seen ancestor casing', async () => {
    const emulator = await DropboxEmulator.start({ seed: 'surface-casing', staleAncestorCasing });
    try {
      const wire = new WireClient(emulator);
      const { email, token } = wire.newAccount();
      emulator.account(email).namespace.addFolder('/Top/Sub/Child');
      wire.apply(email, [{ op: 'move', from: '/Top/Sub', to: '/Top/other', size: null }], 2);
      wire.apply(email, [{ op: 'move', from: '/Top/other', to: '/Top/SUB', size: null }], 3);
      const { entries } = (await wire.api('files/list_folder', token, { path: '/top', recursive: true })).json();
      const display = Object.fromEntries(entries.map((entry) => [entry['path_lower'], entry['path_display']]));
      expect(display).toEqual({ '/top': '/Top', '/top/sub': '/Top/SUB', '/top/sub/child': childDisplay });
    } finally {
      await emulator.stop();
    }
  });
});
