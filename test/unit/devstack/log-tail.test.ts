import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLines, readLastLines } from '../../../src/devstack/log-tail';

describe('lastLines', () => {
  it('keeps the last non-blank lines', () => {
    expect(lastLines('a\n\nb\r\nc\n  \n', 2)).toEqual(['b', 'c']);
    expect(lastLines('only\n', 5)).toEqual(['only']);
  });
});

describe('readLastLines', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'devstack-tail-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns [] for a log that does not exist yet', async () => {
    await expect(readLastLines(join(dir, 'missing.log'), 5)).resolves.toEqual([]);
  });

  it('reads only the end of a large log, without a cut-off first line', async () => {
    const file = join(dir, 'big.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await expect(readLastLines(file, 3)).resolves.toEqual(lines.slice(-3));
    const many = await readLastLines(file, 10_000);
    expect(many.length).toBeLessThan(lines.length);
    expect(many[0]).toMatch(/^line \d+ x{40}$/);
  });
});
