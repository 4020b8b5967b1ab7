import type { Namespace } from '../namespace';
import { generateTree, GenerateTreeOptions, TreeStats } from './generator';

export { generateTree, MAX_GENERATED_ENTRIES } from './generator';
export type { GeneratedTree, GenerateTreeOptions, TreeStats } from './generator';
export { loadNaughtyNames, sanitiseName, DEFAULT_BLNS_FILE } from './blns';
export { SyntheticCorpus, SeededFile } from './synthetic-content';

/** What seeding did, for logs and the benchmark. */
export interface SeedReport extends TreeStats {
  readonly entries: number;
  /** Wall time to generate and load, in milliseconds. */
  readonly millis: number;
}

/**
 * Generates a tree and loads it into an empty namespace in one step, without change events: a
 * listing then walks the tree and the change log starts empty.
 */
export function seedNamespace(namespace: Namespace, options: GenerateTreeOptions): SeedReport {
  const started = performance.now();
  const tree = generateTree(options);
  namespace.bulkLoad(tree.nodes, tree.revisions);
  return { entries: tree.nodes.length, ...tree.stats, millis: Math.round(performance.now() - started) };
}
