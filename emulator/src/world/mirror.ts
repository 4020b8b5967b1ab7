import type { FileSharing, FolderSharing, TreeNode } from '../metadata';
import { Namespace, NamespaceObserver, ReannounceOptions } from '../namespace';
import { isWithin, parentOf } from '../paths';

/** The sharing fields a view shows on a mirrored node (undefined: copy the source's own). */
export type Decorate = (node: TreeNode) => FileSharing | FolderSharing | undefined;

/**
 * Replays one namespace subtree (`sourceRoot`, `""` for all of it) into a view below `targetRoot`,
 * keeping ids, revisions and hashes, so every view that mounts a folder reports the same items.
 * The anchor itself (the source root) is not copied: its owner puts the mount point in place.
 */
export class Mirror implements NamespaceObserver {
  private stop?: () => void;

  constructor(
    private readonly source: Namespace,
    private readonly sourceRoot: string,
    private readonly target: Namespace,
    private readonly targetRoot: string,
    private readonly decorate: Decorate,
  ) {}

  /** Copies the current subtree (reported as adds in the target) and follows later changes. */
  attach(): void {
    const nodes = this.sourceRoot === '' ? [...this.source.all()] : this.source.subtree(this.sourceRoot).slice(1);
    for (const node of nodes) this.upserted(node);
    this.stop = this.source.observe(this);
  }

  /** Follows later changes only: the target already holds the subtree (a folder just shared). */
  follow(): void {
    this.stop = this.source.observe(this);
  }

  /** Stops following the source; what was copied stays in the target. */
  detach(): void {
    this.stop?.();
    this.stop = undefined;
  }

  upserted(node: TreeNode): void {
    const lower = this.translate(node.lower);
    if (lower === undefined) return;
    const parent = parentOf(lower);
    const parentDisplay = parent === '' ? '' : this.target.get(parent)?.display;
    if (parentDisplay === undefined) return;
    const copy = { ...node, lower, display: `${parentDisplay}/${node.name}` } as TreeNode;
    const sharing = this.decorate(node);
    if (sharing) copy.sharing = sharing as never;
    this.target.putNode(copy);
  }

  removed(lower: string): void {
    if (this.sourceRoot !== '' && isWithin(this.sourceRoot, lower)) {
      // The anchor itself went away: the view keeps an empty mount point.
      for (const child of this.childrenOfTargetRoot()) this.target.removeTree(child);
      return;
    }
    const translated = this.translate(lower);
    if (translated !== undefined) this.target.removeTree(translated);
  }

  renamedCase(lower: string, name: string): void {
    const translated = this.translate(lower);
    if (translated !== undefined) this.target.renameCaseAt(translated, name);
  }

  reannounced(lower: string, options: ReannounceOptions): void {
    const translated = this.translate(lower);
    if (translated === undefined) return;
    // Refresh the copies' sharing fields first, then report them as the source did.
    for (const node of this.source.subtree(lower)) {
      const copy = this.target.get(this.translate(node.lower)!);
      if (copy) copy.sharing = (this.decorate(node) ?? undefined) as never;
    }
    this.target.reannounce(translated, options);
  }

  /** The target path for a source path, or undefined outside the mirrored subtree. */
  private translate(lower: string): string | undefined {
    if (!isWithin(lower, this.sourceRoot) || lower === this.sourceRoot) return undefined;
    return this.targetRoot + lower.slice(this.sourceRoot.length);
  }

  private childrenOfTargetRoot(): string[] {
    const children: string[] = [];
    const all = this.targetRoot === '' ? [...this.target.all()] : this.target.subtree(this.targetRoot).slice(1);
    for (const node of all) if (parentOf(node.lower) === this.targetRoot) children.push(node.lower);
    return children;
  }
}

/** Copies the source's own sharing fields (a view of a view, such as a member folder in team space). */
export const keepSharing: Decorate = (node) => node.sharing;
