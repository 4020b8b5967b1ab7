import { createHash } from 'node:crypto';
import { syntheticContentHash } from './content-hash';
import { deletedWire, dropboxTimestamp, FileNode, FolderNode, MetadataWire, toWire, TreeNode } from './metadata';
import { isWithin, splitPath, toLower } from './paths';
import { SortedKeys } from './sorted-keys';

/** One change as `list_folder/continue` reports it, frozen at the moment it happened. */
export interface ChangeEvent {
  readonly seq: number;
  readonly lower: string;
  readonly metadata: MetadataWire;
}

export interface NamespaceOptions {
  /** Seed for ids and revisions, so the same history always yields the same ids. */
  readonly seed: string;
  /**
   * Whether a rename that changes only letter case appears in `list_folder/continue`. Dropbox does
   * not report it (files.stone, `path_display`), so the faithful default is false.
   */
  readonly reportCaseOnlyRenames: boolean;
}

/**
 * One Dropbox namespace: the tree of files and folders plus the ordered change log that cursors
 * read. All mutations go through here so the tree and the log never disagree.
 */
export class Namespace {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly keys = new SortedKeys();
  private readonly log: ChangeEvent[] = [];
  private idCounter = 0;
  private revCounter = 0;

  constructor(private readonly options: NamespaceOptions) {}

  /** Sequence number of the newest change; cursors point at a position in this log. */
  get headSeq(): number {
    return this.log.length;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(lower: string): TreeNode | undefined {
    return this.nodes.get(lower);
  }

  findById(id: string): TreeNode | undefined {
    for (const node of this.nodes.values()) if (node.id === id) return node;
    return undefined;
  }

  /** Keys after `afterLower` (exclusive) in listing order; parents always sort before children. */
  keysAfter(afterLower: string | undefined): IterableIterator<string> {
    return this.keys.after(afterLower);
  }

  /** Keys from `lower` (inclusive) in listing order. */
  keysFrom(lower: string): IterableIterator<string> {
    return this.keys.atOrAfter(lower);
  }

  /** Changes with a sequence number above `seq`, oldest first. */
  changesSince(seq: number): readonly ChangeEvent[] {
    return this.log.slice(seq);
  }

  /** Every node, in listing order. */
  *all(): IterableIterator<TreeNode> {
    for (const key of this.keys.after(undefined)) yield this.nodes.get(key)!;
  }

  addFile(path: string, size: number, at: Date): FileNode {
    const parts = splitPath(path);
    const lower = toLower(path.normalize('NFC'));
    if (this.nodes.has(lower)) throw new TreeConflictError(`cannot add ${path}: something is already there`);
    const parentDisplay = this.ensureFolders(parts.slice(0, -1));
    const name = parts[parts.length - 1]!;
    const id = this.nextId();
    const rev = this.nextRev();
    const node: FileNode = {
      tag: 'file',
      id,
      name,
      lower,
      display: `${parentDisplay}/${name}`,
      size,
      rev,
      contentHash: syntheticContentHash(`${this.options.seed}:${id}:${rev}`, size),
      serverModified: dropboxTimestamp(at),
      clientModified: dropboxTimestamp(at),
    };
    this.insert(node);
    this.record(node.lower, toWire(node));
    return node;
  }

  /** A new revision of an existing file: new rev, hash, size and server time; same id. */
  modifyFile(path: string, size: number, at: Date): FileNode {
    const node = this.requireNode(path);
    if (node.tag !== 'file') throw new TreeConflictError(`cannot modify ${path}: it is a folder`);
    node.rev = this.nextRev();
    node.size = size;
    node.contentHash = syntheticContentHash(`${this.options.seed}:${node.id}:${node.rev}`, size);
    node.serverModified = dropboxTimestamp(at);
    node.clientModified = dropboxTimestamp(at);
    this.record(node.lower, toWire(node));
    return node;
  }

  /** Removes a file or a whole folder; one deleted entry reports the whole subtree. */
  deletePath(path: string): void {
    const node = this.requireNode(path);
    for (const lower of [...this.subtreeKeys(node.lower)]) this.remove(lower);
    this.record(node.lower, deletedWire(node));
  }

  /**
   * Moves or renames, keeping ids. Reported as a delete of the old path and adds at the new path
   * for the item and every descendant; a case-only rename is silent unless configured otherwise.
   */
  move(fromPath: string, toPath: string): void {
    const node = this.requireNode(fromPath);
    const toParts = splitPath(toPath);
    const toLowerPath = toLower(toPath.normalize('NFC'));
    if (toLowerPath === node.lower) {
      this.renameCase(node, toParts[toParts.length - 1]!);
      return;
    }
    if (isWithin(toLowerPath, node.lower)) throw new TreeConflictError(`cannot move ${fromPath} into itself`);
    if (this.nodes.has(toLowerPath)) throw new TreeConflictError(`cannot move to ${toPath}: something is already there`);
    const parentDisplay = this.ensureFolders(toParts.slice(0, -1));
    const moved = [...this.subtreeKeys(node.lower)].map((lower) => this.nodes.get(lower)!);
    const oldLower = node.lower;
    const oldDisplay = node.display;
    const deleted = deletedWire(node);
    for (const item of moved) this.remove(item.lower);
    node.name = toParts[toParts.length - 1]!;
    const newDisplay = `${parentDisplay}/${node.name}`;
    for (const item of moved) {
      item.lower = toLowerPath + item.lower.slice(oldLower.length);
      item.display = newDisplay + item.display.slice(oldDisplay.length);
      this.insert(item);
    }
    this.record(oldLower, deleted);
    for (const item of moved) this.record(item.lower, toWire(item));
  }

  private renameCase(node: TreeNode, newName: string): void {
    const oldDisplay = node.display;
    const newDisplay = `${oldDisplay.slice(0, oldDisplay.lastIndexOf('/'))}/${newName}`;
    node.name = newName;
    for (const lower of this.subtreeKeys(node.lower)) {
      const item = this.nodes.get(lower)!;
      item.display = newDisplay + item.display.slice(oldDisplay.length);
    }
    if (this.options.reportCaseOnlyRenames) this.record(node.lower, toWire(node));
  }

  /** Creates missing folders along `parts` (reporting each), returning the parent's display path. */
  private ensureFolders(parts: string[]): string {
    let display = '';
    for (const part of parts) {
      const lower = toLower(`${display}/${part}`);
      const existing = this.nodes.get(lower);
      if (existing) {
        if (existing.tag !== 'folder') throw new TreeConflictError(`${existing.display} is a file, not a folder`);
        display = existing.display;
        continue;
      }
      const folder: FolderNode = { tag: 'folder', id: this.nextId(), name: part, lower, display: `${display}/${part}` };
      this.insert(folder);
      this.record(folder.lower, toWire(folder));
      display = folder.display;
    }
    return display;
  }

  private *subtreeKeys(lower: string): IterableIterator<string> {
    yield lower;
    for (const key of this.keys.after(lower)) {
      if (!key.startsWith(`${lower}/`)) {
        // Keys between `lower` and `lower/` (such as `lower x`) are siblings; skip past them.
        if (key > `${lower}/`) return;
        continue;
      }
      yield key;
    }
  }

  private requireNode(path: string): TreeNode {
    const lower = toLower(path.normalize('NFC'));
    const node = this.nodes.get(lower);
    if (!node) throw new TreeConflictError(`${path} does not exist`);
    return node;
  }

  private insert(node: TreeNode): void {
    this.nodes.set(node.lower, node);
    this.keys.insert(node.lower);
  }

  private remove(lower: string): void {
    this.nodes.delete(lower);
    this.keys.remove(lower);
  }

  private record(lower: string, metadata: MetadataWire): void {
    this.log.push({ seq: this.log.length + 1, lower, metadata });
  }

  private nextId(): string {
    this.idCounter += 1;
    const digest = createHash('sha256').update(`${this.options.seed}:id:${this.idCounter}`).digest('base64url');
    return `id:${digest.slice(0, 22)}`;
  }

  private nextRev(): string {
    this.revCounter += 1;
    // Revisions are opaque hex of 9+ chars; a counter prefix keeps them unique, the suffix opaque.
    const suffix = createHash('sha256').update(`${this.options.seed}:rev:${this.revCounter}`).digest('hex').slice(0, 8);
    return `${this.revCounter.toString(16).padStart(9, '0')}${suffix}`;
  }
}

/** A change that does not fit the current tree (adding over an existing path, moving a missing one). */
export class TreeConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeConflictError';
  }
}

