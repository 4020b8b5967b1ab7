import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findExecutableOnPath, isExecutableFile } from '../../../src/devstack/tools';

describe('findExecutableOnPath', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'devstack-tools-'));
    for (const dir of ['a', 'b', 'c']) mkdirSync(join(root, dir));
    writeFileSync(join(root, 'a', 'tool'), '#!/bin/sh\n'); // not executable
    mkdirSync(join(root, 'b', 'tool')); // a directory, not a file
    writeFileSync(join(root, 'c', 'tool'), '#!/bin/sh\n');
    chmodSync(join(root, 'c', 'tool'), 0o755);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('skips non-executable files and directories', () => {
    const path = ['a', 'b', 'c'].map((dir) => join(root, dir)).join(delimiter);
    expect(findExecutableOnPath('tool', path)).toBe(join(root, 'c', 'tool'));
  });

  it('ignores relative and empty PATH entries', () => {
    expect(findExecutableOnPath('tool', ['', '.', 'c'].join(delimiter))).toBeUndefined();
  });

  it('returns undefined when nothing matches or PATH is unset', () => {
    expect(findExecutableOnPath('no-such-tool', join(root, 'c'))).toBeUndefined();
    expect(findExecutableOnPath('tool', undefined)).toBeUndefined();
  });

  it('isExecutableFile is false for missing files', () => {
    expect(isExecutableFile(join(root, 'missing'))).toBe(false);
    expect(isExecutableFile(join(root, 'c', 'tool'))).toBe(true);
  });
});
