import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedFerretDbPath, FERRETDB_SOURCE_DIR, FERRETDB_VERSION, findRepoRoot } from '../../../src/devstack/ferretdb-build';

describe('findRepoRoot', () => {
  it('finds the repository that holds devstack/ferretdb from a nested folder', () => {
    const root = findRepoRoot(__dirname);
    expect(existsSync(join(root, FERRETDB_SOURCE_DIR, 'main.go'))).toBe(true);
    expect(join(__dirname)).toContain(root);
  });

  it('explains what it looked for when there is no such repository', () => {
    expect(() => findRepoRoot(tmpdir())).toThrow(/no devstack\/ferretdb\/go\.mod in .* or any parent directory/);
  });
});

describe('cachedFerretDbPath', () => {
  it('is versioned under the tools dir', () => {
    expect(cachedFerretDbPath('/repo/.tools')).toBe(join('/repo/.tools', `ferretdb-${FERRETDB_VERSION}`, 'fostr-ferretdb'));
  });
});
