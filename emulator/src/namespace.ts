import { createHash } from 'node:crypto';
import { syntheticContentHash } from './content-hash';
import { deletedWire, dropboxTimestamp, FileNode, FolderNode, MetadataWire, toWire, TreeNode } from './metadata';
import { isWithin, parentOf, splitPath, toLower } from './paths';
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
 * Someone mirroring a namespace (a view that mounts it, world/). Told of every change after it is
 * applied, in log order, so a mirror can replay it with the same ids, revisions and hashes.
 */
export interface NamespaceObserver {
  /** The node at `node.lower` was added or changed; its fields are current. */
  upserted(node: TreeNode): void;
  /** The node at `lower` and everything below it were removed. */
  removed(lower: string): void;
  /** The node at `lower` changed only the case of its name (not in the log by default). */
  renamedCase(lower: string, name: string): void;
  /** The subtree at `lower` was re-reported after its sharing changed (see `reannounce`). */
  reannounced(lower: string, options: ReannounceOptions): void;
}

export interface ReannounceOptions {
  /** Report a deletion of the node before re-adding it. */
  readonly deleteFirst: boolean;
  /** Re-add every descendant too, not only the node. */
  readonly subtree: boolean;
}

/**
 * One Dropbox namespace: the tree of files and folders plus the ordered change log that cursors
 * read. All mutations go through here so the tree and the log never disagree.
 */
export class Namespace {
  private readonly nodes = new Map<string, TreeNode>();
  private keys = new SortedKeys();
  /**
   * id -> node, so `id:` lookups do not scan the tree. Built on the first lookup after a bulk load
   * (most seeded trees are only listed), then kept up to date by every insert and remove.
   */
  private byId: Map<string, TreeNode> | undefined = new Map<string, TreeNode>();
  private readonly log: ChangeEvent[] = [];
  private idCounter = 0;
  private revCounter = 0;
  private readonly observers = new Set<NamespaceObserver>();
  /**
   * Switch: a folder delete also logs a deletion for every descendant, after the folder's own.
   * Dropbox reports one entry for the subtree (dropbox-sdk-dotnet#67) but clients must handle both
   * (dropbox-api-notes.md §6.5). Set on every namespace by the world (world.ts). @default false
   */
  childTombstones = false;
  /**
   * Switch: after a move, descendants' `path_display` uses the casing each ancestor path first had
   * (dropbox-sdk-python#63: `/AAA/BBB/ccc` holding `/AAA/BBB/CCC/DDD`). The node's own name is
   * always current. @default false
   */
  staleAncestorCasing = false;
  /** First display casing seen per `path_lower`, kept only while `staleAncestorCasing` is on. */
  private readonly firstCasing = new Map<string, string>();

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
    return this.idIndex().get(id);
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

  /** Like `changesSince`, but lazily: a page that stops early costs only what it read. */
  *changesAfter(seq: number): IterableIterator<ChangeEvent> {
    // Events are numbered from 1 in log order, so the event after `seq` sits at index `seq`.
    for (let index = Math.max(0, seq); index < this.log.length; index += 1) yield this.log[index]!;
  }

  /**
   * Loads a whole tree at once, as if it had always been there: no change events, so a listing
   * walks it and the log starts empty. `nodes` must be sorted by `lower`, parents present, names
   * unique; ids must not clash. Only an untouched namespace can be loaded, since cursors already
   * issued would otherwise miss the new entries. `revisions` reserves that many revision numbers
   * (the loader numbered its revisions like `nextRev`), so later edits never reuse one.
   */
  bulkLoad(nodes: readonly TreeNode[], revisions: number): void {
    if (this.nodes.size > 0 || this.log.length > 0) throw new TreeConflictError('can only bulk-load an empty namespace with no history');
    // Validate before touching the tree, so a bad load leaves the namespace empty. Ids are checked
    // when the id index is first built: the generator makes them unique by construction.
    const keys = SortedKeys.fromSorted(nodes.map((node) => node.lower));
    for (const node of nodes) this.nodes.set(node.lower, node);
    this.byId = undefined;
    this.keys = keys;
    this.revCounter = Math.max(this.revCounter, revisions);
    if (this.observers.size > 0) for (const node of nodes) for (const observer of this.observers) observer.upserted(node);
  }

  /** Every node, in listing order. */
  *all(): IterableIterator<TreeNode> {
    for (const key of this.keys.after(undefined)) yield this.nodes.get(key)!;
  }

  /** Registers a mirror; returns the function that stops it. */
  observe(observer: NamespaceObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Creates a folder and any missing parents (an existing folder is left alone). */
  addFolder(path: string): FolderNode {
    this.ensureFolders(splitPath(path));
    return this.get(toLower(path.normalize('NFC'))) as FolderNode;
  }

  /**
   * Adds or replaces a node as given, keeping its id, revision and hash (mirroring another
   * namespace). Its parent must exist. Reported as one change.
   */
  putNode(node: TreeNode): void {
    const existing = this.nodes.get(node.lower);
    if (existing && existing.tag !== node.tag) for (const lower of [...this.subtreeKeys(node.lower)]) this.remove(lower);
    this.insert(node);
    this.record(node.lower, toWire(node));
  }

  /** Removes the node at `lower` and its subtree, reported as one deletion (per child too under `childTombstones`); no-op when absent. */
  removeTree(lower: string): void {
    const node = this.nodes.get(lower);
    if (!node) return;
    const removed = [...this.subtreeKeys(lower)].map((key) => this.nodes.get(key)!);
    for (const item of removed) this.remove(item.lower);
    this.record(lower, deletedWire(node));
    // Views (mirrors, unmounts) delete through here too, so the switch holds for them as well.
    if (this.childTombstones) for (const item of removed.slice(1)) this.record(item.lower, deletedWire(item));
  }

  /** The node at `lower` and its descendants, parents first. */
  subtree(lower: string): TreeNode[] {
    if (!this.nodes.has(lower)) return [];
    return [...this.subtreeKeys(lower)].map((key) => this.nodes.get(key)!);
  }

  /**
   * Reports nodes again after a change that the tree does not show (sharing turned on or off):
   * optionally a deletion first, then the node, then, if asked, every descendant.
   */
  reannounce(lower: string, options: ReannounceOptions): void {
    const node = this.nodes.get(lower);
    if (!node) return;
    if (options.deleteFirst) this.record(lower, deletedWire(node), false);
    const nodes = options.subtree ? this.subtree(lower) : [node];
    for (const item of nodes) this.record(item.lower, toWire(item), false);
    for (const observer of this.observers) observer.reannounced(lower, options);
  }

  /** Applies a case-only rename of the node at `lower` (mirroring another namespace). */
  renameCaseAt(lower: string, name: string): void {
    const node = this.nodes.get(lower);
    if (node) this.renameCase(node, name);
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
    this.removeTree(this.requireNode(path).lower);
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
      if (this.staleAncestorCasing && item !== node) item.display = `${this.firstCasing.get(parentOf(item.lower)) ?? parentOf(item.display)}/${item.name}`;
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
    for (const observer of this.observers) observer.renamedCase(node.lower, newName);
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
    if (this.staleAncestorCasing && !this.firstCasing.has(node.lower)) this.firstCasing.set(node.lower, node.display);
    const replaced = this.nodes.get(node.lower);
    if (replaced && this.byId?.get(replaced.id) === replaced) this.byId.delete(replaced.id);
    this.nodes.set(node.lower, node);
    this.byId?.set(node.id, node);
    this.keys.insert(node.lower);
  }

  private remove(lower: string): void {
    const node = this.nodes.get(lower);
    if (node && this.byId?.get(node.id) === node) this.byId.delete(node.id);
    this.nodes.delete(lower);
    this.keys.remove(lower);
  }

  private idIndex(): Map<string, TreeNode> {
    if (!this.byId) {
      const byId = new Map<string, TreeNode>();
      for (const node of this.nodes.values()) byId.set(node.id, node);
      if (byId.size !== this.nodes.size) throw new TreeConflictError('two nodes share an id');
      this.byId = byId;
    }
    return this.byId;
  }

  private record(lower: string, metadata: MetadataWire, notify = true): void {
    this.log.push({ seq: this.log.length + 1, lower, metadata });
    if (!notify || this.observers.size === 0) return;
    for (const observer of this.observers) {
      if (metadata['.tag'] === 'deleted') observer.removed(lower);
      else observer.upserted(this.nodes.get(lower)!);
    }
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

