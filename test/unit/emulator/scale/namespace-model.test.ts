import { Namespace, TreeConflictError } from '../../../../emulator/src/namespace';
import { SeededRandom } from '../../../../emulator/src/seed/random';
import { generateTree } from '../../../../emulator/src/seed';
import { isWithin, parentOf, toLower } from '../../../../emulator/src/paths';

const AT = new Date('2025-06-01T12:00:00Z');

/** The naive model: path_lower -> (display, id, kind), with Dropbox's tree rules spelled out directly. */
interface ModelNode {
  display: string;
  id: string;
  kind: 'file' | 'folder';
}

class Model {
  readonly nodes = new Map<string, ModelNode>();

  /** What the namespace should refuse, or the new model state; ids of new nodes come from `ns`. */
  addFile(path: string, ns: Namespace): 'conflict' | 'ok' {
    const lower = toLower(path);
    if (this.nodes.has(lower)) return 'conflict';
    const parts = path.split('/').slice(1);
    let display = '';
    for (const part of parts.slice(0, -1)) {
      const existing = this.nodes.get(toLower(`${display}/${part}`));
      if (existing?.kind === 'file') return 'conflict';
      display = existing ? existing.display : `${display}/${part}`;
    }
    display = '';
    for (const [index, part] of parts.entries()) {
      const key = toLower(`${display}/${part}`);
      const existing = this.nodes.get(key);
      if (existing) {
        display = existing.display;
        continue;
      }
      display = `${display}/${part}`;
      this.nodes.set(key, { display, id: ns.get(key)!.id, kind: index === parts.length - 1 ? 'file' : 'folder' });
    }
    return 'ok';
  }

  deletePath(path: string): 'conflict' | 'ok' {
    const lower = toLower(path);
    if (!this.nodes.has(lower)) return 'conflict';
    for (const key of [...this.nodes.keys()]) if (isWithin(key, lower)) this.nodes.delete(key);
    return 'ok';
  }

  /** Moves onto an existing parent only (the generator of operations keeps to that). */
  move(from: string, to: string): 'conflict' | 'ok' {
    const fromLower = toLower(from);
    const toLowerPath = toLower(to);
    const node = this.nodes.get(fromLower);
    if (!node) return 'conflict';
    if (toLowerPath === fromLower) {
      // A case-only rename: same keys, new display for the node and everything below it.
      const old = node.display;
      const renamed = `${old.slice(0, old.lastIndexOf('/'))}/${to.slice(to.lastIndexOf('/') + 1)}`;
      for (const [key, item] of this.nodes) if (isWithin(key, fromLower)) item.display = renamed + item.display.slice(old.length);
      return 'ok';
    }
    if (isWithin(toLowerPath, fromLower) || this.nodes.has(toLowerPath)) return 'conflict';
    const parent = this.nodes.get(parentOf(toLowerPath));
    const parentDisplay = parentOf(toLowerPath) === '' ? '' : parent!.display;
    const newDisplay = `${parentDisplay}/${to.slice(to.lastIndexOf('/') + 1)}`;
    const moved = [...this.nodes.entries()].filter(([key]) => isWithin(key, fromLower));
    for (const [key] of moved) this.nodes.delete(key);
    for (const [key, item] of moved) {
      this.nodes.set(toLowerPath + key.slice(fromLower.length), { ...item, display: newDisplay + item.display.slice(node.display.length) });
    }
    return 'ok';
  }
}

/** Paths over a few names that prefix each other and sort around "/". */
function randomPath(random: SeededRandom, existing: readonly string[]): string {
  const names = ['a', 'A', 'a b', 'a.b', 'ab', 'b', 'B!', 'c'];
  if (existing.length > 0 && random.chance(0.5)) return `${random.pick(existing)}/${random.pick(names)}`;
  const depth = random.int(1, 3);
  return Array.from({ length: depth }, () => `/${random.pick(names)}`).join('');
}

function attempt(action: () => void): 'conflict' | 'ok' {
  try {
    action();
    return 'ok';
  } catch (error) {
    if (error instanceof TreeConflictError) return 'conflict';
    throw error;
  }
}

describe('Namespace against a naive model', () => {
  it.each(['north', 'south', 'east'])('agrees on order, displays and ids over random add/delete/move (seed %s)', (seed) => {
    const random = new SeededRandom(`namespace-model:${seed}`);
    const ns = new Namespace({ seed, reportCaseOnlyRenames: false });
    const model = new Model();
    for (let step = 0; step < 1500; step += 1) {
      const displays = [...model.nodes.values()].filter((node) => node.kind === 'folder').map((node) => node.display);
      const roll = random.next();
      if (roll < 0.5) {
        const path = randomPath(random, displays);
        const outcome = attempt(() => ns.addFile(path, 10, AT));
        // The model needs the namespace's new ids, so it is applied after a successful add.
        expect(outcome === 'ok' ? model.addFile(path, ns) : outcome).toBe(outcome);
      } else if (roll < 0.75 && model.nodes.size > 0) {
        const victim = random.pick([...model.nodes.values()]).display;
        expect(attempt(() => ns.deletePath(victim))).toBe(model.deletePath(victim));
      } else if (model.nodes.size > 0) {
        const from = random.pick([...model.nodes.values()]).display;
        const parent = random.chance(0.3) || displays.length === 0 ? '' : random.pick(displays);
        const to = `${parent}/${random.pick(['a', 'A', 'a b', 'moved', 'z'])}`;
        const expected = model.move(from, to);
        expect(attempt(() => ns.move(from, to))).toBe(expected);
      }
      if (step % 100 === 0 || step === 1499) {
        const expectedOrder = [...model.nodes.keys()].sort();
        expect([...ns.all()].map((node) => node.lower)).toEqual(expectedOrder);
        for (const [lower, node] of model.nodes) {
          const actual = ns.get(lower)!;
          expect({ display: actual.display, id: actual.id, kind: actual.tag }).toEqual(node);
          expect(ns.findById(node.id)).toBe(actual);
        }
      }
    }
  });

  it('forgets ids of deleted nodes and finds moved ones under their new path', () => {
    const ns = new Namespace({ seed: 'ids', reportCaseOnlyRenames: false });
    const kept = ns.addFile('/a/keep.txt', 1, AT);
    const gone = ns.addFile('/a/gone.txt', 1, AT);
    ns.deletePath('/a/gone.txt');
    ns.move('/a', '/b');
    expect(ns.findById(gone.id)).toBeUndefined();
    expect(ns.findById(kept.id)?.lower).toBe('/b/keep.txt');
  });
});

describe('Namespace.bulkLoad', () => {
  it('loads a tree without change events, then logs later edits from sequence 1', () => {
    const tree = generateTree({ entries: 2000, seed: 'bulk', requiredNames: [] });
    const ns = new Namespace({ seed: 'bulk', reportCaseOnlyRenames: false });
    ns.bulkLoad(tree.nodes, tree.revisions);
    expect(ns.headSeq).toBe(0);
    expect(ns.size).toBe(2000);
    expect([...ns.all()].map((node) => node.lower)).toEqual(tree.nodes.map((node) => node.lower));
    expect(ns.findById(tree.nodes[1234]!.id)).toBe(tree.nodes[1234]);

    const added = ns.addFile('/fresh.txt', 3, AT);
    expect([...ns.changesAfter(0)].map((change) => change.lower)).toEqual(['/fresh.txt']);
    // The generator numbered its revisions 1..revisions; the namespace continues after them.
    expect(parseInt(added.rev.slice(0, 9), 16)).toBe(tree.revisions + 1);
  });

  it('refuses a namespace that already has entries or history, and leaves it untouched', () => {
    const tree = generateTree({ entries: 50, seed: 'bulk', requiredNames: [] });
    const ns = new Namespace({ seed: 'bulk', reportCaseOnlyRenames: false });
    ns.addFile('/x.txt', 1, AT);
    ns.deletePath('/x.txt');
    expect(() => ns.bulkLoad(tree.nodes, tree.revisions)).toThrow('can only bulk-load an empty namespace with no history');
    expect(ns.size).toBe(0);
  });

  it('refuses nodes out of order without loading any', () => {
    const tree = generateTree({ entries: 50, seed: 'bulk', requiredNames: [] });
    const ns = new Namespace({ seed: 'bulk', reportCaseOnlyRenames: false });
    expect(() => ns.bulkLoad([...tree.nodes].reverse(), tree.revisions)).toThrow(/not strictly ascending/);
    expect(ns.size).toBe(0);
  });

  it('builds the id index on the first id lookup, refusing ids that clash, and keeps it current after', () => {
    const tree = generateTree({ entries: 50, seed: 'bulk', requiredNames: [] });
    const clashing = new Namespace({ seed: 'bulk', reportCaseOnlyRenames: false });
    clashing.bulkLoad([tree.nodes[0]!, { ...tree.nodes[1]!, id: tree.nodes[0]!.id }], 0);
    expect(() => clashing.findById(tree.nodes[0]!.id)).toThrow('two nodes share an id');

    const ns = new Namespace({ seed: 'bulk', reportCaseOnlyRenames: false });
    ns.bulkLoad(tree.nodes, tree.revisions);
    const added = ns.addFile('/before-index.txt', 1, AT);
    expect(ns.findById(added.id)).toBe(added);
    expect(ns.findById(tree.nodes[7]!.id)).toBe(tree.nodes[7]);
    ns.deletePath('/before-index.txt');
    expect(ns.findById(added.id)).toBeUndefined();
  });
});

describe('Namespace.changesAfter', () => {
  it('yields the same events as changesSince, lazily from any position', () => {
    const ns = new Namespace({ seed: 'log', reportCaseOnlyRenames: false });
    for (let index = 0; index < 30; index += 1) ns.addFile(`/f${index}.txt`, index, AT);
    for (const seq of [0, 1, 17, 30, 31]) expect([...ns.changesAfter(seq)]).toEqual(ns.changesSince(seq));
    const first = ns.changesAfter(10).next();
    expect(first.value?.seq).toBe(11);
  });
});
