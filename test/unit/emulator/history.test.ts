import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyBatch, HistoryBatch, readHistory } from '../../../emulator/src/history';
import { Namespace } from '../../../emulator/src/namespace';

const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpora', 'history-papers.jsonl');

function namespace(seed = 'history-test'): Namespace {
  return new Namespace({ seed, reportCaseOnlyRenames: false });
}

describe('readHistory', () => {
  it('reads the papers corpus: 588 batches in sequence, 1330 operations', () => {
    const batches = readHistory(CORPUS);

    expect(batches).toHaveLength(588);
    expect(batches.map((batch) => batch.seq)).toEqual(Array.from({ length: 588 }, (_, index) => index + 1));
    expect(batches.reduce((sum, batch) => sum + batch.ops.length, 0)).toBe(1330);
    expect(batches[0]).toEqual({
      seq: 1,
      at: '2013-05-22T16:31:47-04:00',
      ops: [{ op: 'add', path: '/Research/Papers We Love/tarpit.pdf', size: 410878 }],
    });
  });

  describe('with a bad file', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'history-test-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const good = JSON.stringify({ seq: 1, at: '2026-01-01T00:00:00Z', ops: [] });

    it('names file and line of a line that is not JSON', () => {
      const file = join(dir, 'bad-json.jsonl');
      writeFileSync(file, `${good}\n\n{"seq": 2, oops\n`);
      expect(() => readHistory(file)).toThrow(new RegExp(`^${escape(file)}:3: not JSON \\(`));
    });

    it('names file, line and field of a line that is not a batch', () => {
      const file = join(dir, 'bad-batch.jsonl');
      writeFileSync(file, `${good}\n${JSON.stringify({ seq: 2, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/x', size: -1 }] })}\n`);
      expect(() => readHistory(file)).toThrow(new RegExp(`^${escape(file)}:2: not a history batch: [\\s\\S]*→ at ops\\[0\\]\\.size`));
    });

    it('skips blank lines and reads the rest', () => {
      const file = join(dir, 'blank-lines.jsonl');
      writeFileSync(file, `\n${good}\n   \n${JSON.stringify({ seq: 2, at: '2026-01-02T00:00:00Z', ops: [{ op: 'delete', path: '/x' }] })}\n`);
      expect(readHistory(file).map((batch) => batch.seq)).toEqual([1, 2]);
    });
  });
});

describe('applyBatch', () => {
  const withUnknownSizes: HistoryBatch = {
    seq: 7,
    at: '2026-02-03T04:05:06Z',
    ops: [
      { op: 'add', path: '/Notes/a.md', size: null },
      { op: 'add', path: '/Notes/b.md', size: null },
      { op: 'modify', path: '/Notes/a.md', size: null },
    ],
  };

  it('is deterministic with null sizes: two namespaces with one seed end up identical', () => {
    const first = namespace('same-seed');
    const second = namespace('same-seed');
    applyBatch(first, withUnknownSizes);
    applyBatch(second, withUnknownSizes);

    expect([...first.all()]).toEqual([...second.all()]);
    expect(first.changesSince(0)).toEqual(second.changesSince(0));
  });

  it('derives a null size from path and batch, not from the seed', () => {
    const first = namespace('seed-one');
    const second = namespace('seed-two');
    applyBatch(first, withUnknownSizes);
    applyBatch(second, withUnknownSizes);

    const sizes = (ns: Namespace) => [...ns.all()].map((node) => (node.tag === 'file' ? node.size : null));
    expect(sizes(first)).toEqual(sizes(second));
    expect(first.get('/notes/a.md')?.id).not.toBe(second.get('/notes/a.md')?.id);
  });

  it('gives a known size as is and stamps the batch time', () => {
    const ns = namespace();
    applyBatch(ns, { seq: 1, at: '2026-02-03T04:05:06.789-01:00', ops: [{ op: 'add', path: '/f.txt', size: 42 }] });
    expect(ns.get('/f.txt')).toMatchObject({ size: 42, serverModified: '2026-02-03T05:05:06Z', clientModified: '2026-02-03T05:05:06Z' });
  });

  it('a move with a different size is a move plus a new revision of the same id', () => {
    const ns = namespace();
    applyBatch(ns, { seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/a.txt', size: 10 }] });
    const before = { ...ns.get('/a.txt')! };
    const seqBefore = ns.headSeq;
    applyBatch(ns, { seq: 2, at: '2026-01-02T00:00:00Z', ops: [{ op: 'move', from: '/a.txt', to: '/b.txt', size: 20 }] });

    const after = ns.get('/b.txt')!;
    expect(after).toMatchObject({ id: before.id, size: 20, serverModified: '2026-01-02T00:00:00Z' });
    expect(after.tag === 'file' && before.tag === 'file' && after.rev !== before.rev).toBe(true);
    expect(ns.changesSince(seqBefore).map((change) => `${change.metadata['.tag']} ${change.lower}`)).toEqual([
      'deleted /a.txt',
      'file /b.txt',
      'file /b.txt',
    ]);
  });

  it.each([
    ['the same size', 10],
    ['an unknown (null) size', null],
  ])('a move with %s keeps the revision', (_label, size) => {
    const ns = namespace();
    applyBatch(ns, { seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/a.txt', size: 10 }] });
    const { rev } = ns.get('/a.txt') as { rev: string };
    applyBatch(ns, { seq: 2, at: '2026-01-02T00:00:00Z', ops: [{ op: 'move', from: '/a.txt', to: '/b.txt', size }] });
    expect(ns.get('/b.txt')).toMatchObject({ rev, size: 10 });
  });

  it('deletes a path with its subtree', () => {
    const ns = namespace();
    applyBatch(ns, { seq: 1, at: '2026-01-01T00:00:00Z', ops: [{ op: 'add', path: '/d/a.txt', size: 1 }, { op: 'add', path: '/d/e/b.txt', size: 1 }] });
    applyBatch(ns, { seq: 2, at: '2026-01-01T00:00:00Z', ops: [{ op: 'delete', path: '/d' }] });
    expect(ns.size).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
