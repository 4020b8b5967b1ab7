import { FolderNode, TreeNode } from '../metadata';
import { toLower } from '../paths';
import { loadNaughtyNames } from './blns';
import { SeededRandom, WeightedPicker } from './random';
import { SeededFile, SyntheticCorpus } from './synthetic-content';
import { FILE_KINDS, FileKind, FOLDER_WORDS, NAME_WORDS } from './vocabulary';

/** The largest tree the generator builds; bigger ones would not fit a default Node heap. */
export const MAX_GENERATED_ENTRIES = 2_000_000;

export interface GenerateTreeOptions {
  /** Files plus folders to create (the root is not counted). */
  readonly entries: number;
  /** Same seed, same tree: names, ids, revisions, sizes, timestamps and hashes. @default "fostr" */
  readonly seed?: string;
  /**
   * Names that must each appear at least once (as a file name), after `sanitiseName`.
   * @default the BLNS corpus (`loadNaughtyNames()`)
   */
  readonly requiredNames?: readonly string[];
  /** Newest server_modified; timestamps spread over `years` before it. @default 2026-01-01T00:00:00Z */
  readonly newest?: Date;
  /** @default 8 */
  readonly years?: number;
}

export interface GeneratedTree {
  /** Every node, sorted by `path_lower`, parents before children. */
  readonly nodes: TreeNode[];
  /** Revision numbers used (one per file), for `Namespace.bulkLoad`. */
  readonly revisions: number;
  readonly stats: TreeStats;
}

export interface TreeStats {
  readonly files: number;
  readonly folders: number;
  /** `fileDepths[d]`: files at depth d (a root child has depth 1). */
  readonly fileDepths: number[];
  readonly maxDepth: number;
  /** Most direct children of one folder (the root included). */
  readonly maxChildren: number;
  /** Folders with at least 10,000 direct children. */
  readonly hugeFolders: number;
  readonly requiredNames: number;
}

/** Shares of generic folders by depth (index = depth); most files then sit at depth 2 to 6. */
const FOLDER_DEPTH_WEIGHTS = [0, 0, 30, 30, 20, 10, 6, 3, 1];

interface FolderSlot {
  readonly index: number;
  readonly lower: string;
  readonly display: string;
  readonly depth: number;
  /** Part of a deep chain: kept out of the pools so chains stay thin. */
  readonly chain: boolean;
  children: number;
  /** The folder's node (undefined for the root). */
  readonly node?: FolderNode;
  /** Direct children: files, and folders through `subfolders`. */
  readonly files: TreeNode[];
  readonly subfolders: FolderSlot[];
  /**
   * Lower-cased names of its children. Checked per folder rather than in one set of full paths:
   * a million-entry set of long keys was the slowest part of generating big trees.
   */
  readonly names: Set<string>;
}

/**
 * Generates a realistic tree: a few top-level folders, a bushy middle where subfolders attach
 * preferentially (so fan-out is skewed), a few thin chains down to depth ~20, files spread over
 * folders with heavy-tailed weights plus a few huge folders of 10k+ files, extensions from a
 * business mix, log-normal sizes and timestamps over years. Deterministic for a seed.
 */
export function generateTree(options: GenerateTreeOptions): GeneratedTree {
  const total = options.entries;
  if (!Number.isInteger(total) || total < 0 || total > MAX_GENERATED_ENTRIES) {
    throw new RangeError(`entries must be a whole number from 0 to ${MAX_GENERATED_ENTRIES}, got ${total}`);
  }
  const seed = options.seed ?? 'fostr';
  const builder = new TreeBuilder(seed, options.newest ?? new Date('2026-01-01T00:00:00Z'), options.years ?? 8);
  const required = (options.requiredNames ?? loadNaughtyNames()).map((name) => name.normalize('NFC'));
  const folderCount = total < 12 ? Math.floor(total / 4) : Math.round(total * 0.085);
  builder.buildFolders(folderCount, required);
  const placed = builder.buildFiles(total - folderCount, required);
  return { nodes: builder.sortedNodes(), revisions: builder.revisions, stats: builder.stats(placed) };
}

class TreeBuilder {
  private readonly random: SeededRandom;
  private readonly corpus: SyntheticCorpus;
  private readonly folders: FolderSlot[] = [];
  private nodeCount = 0;
  private readonly idBytes = Buffer.alloc(16);
  private idCounter = 0;
  revisions = 0;
  private readonly newestSeconds: number;
  private readonly spanSeconds: number;
  private readonly fileDepths: number[] = [];
  private nameCounter = 0;

  constructor(
    private readonly seed: string,
    newest: Date,
    years: number,
  ) {
    this.random = new SeededRandom(`${seed}:tree`);
    this.corpus = new SyntheticCorpus(seed);
    this.newestSeconds = Math.floor(newest.getTime() / 1000);
    this.spanSeconds = Math.floor(years * 365.25 * 86400);
    this.folders.push({ index: 0, lower: '', display: '', depth: 0, chain: false, children: 0, files: [], subfolders: [], names: new Set() });
  }

  buildFolders(count: number, required: readonly string[]): void {
    const random = this.random;
    const top = Math.min(count, Math.max(2, Math.min(40, Math.round(Math.sqrt(count) / 3))));
    for (let index = 0; index < top; index += 1) this.addFolder(this.folders[0]!, this.folderName(), false);
    let remaining = count - top;
    // Thin chains reaching depth ~20, the kind a code checkout or a nested backup leaves behind.
    const chains = remaining >= 400 ? Math.min(20, Math.max(1, Math.floor(remaining / 4000))) : 0;
    for (let chain = 0; chain < chains; chain += 1) {
      let parent = this.folders[random.int(1, top)]!;
      const length = random.int(10, 18);
      for (let level = 0; level < length && remaining > 0; level += 1, remaining -= 1) {
        parent = this.addFolder(parent, level % 3 === 0 ? random.pick(['src', 'lib', 'node_modules', 'sub', 'nested']) : this.folderName(), true);
      }
    }
    // Preferential attachment: a folder enters its depth's pool once more per subfolder it gets.
    const pools: number[][] = [[0]];
    for (const folder of this.folders) if (folder.depth > 0 && !folder.chain) (pools[folder.depth] ??= []).push(folder.index);
    const depthPicker = new WeightedPicker(FOLDER_DEPTH_WEIGHTS);
    // Some required names become folder names too, so they show up inside paths.
    let requiredFolderNames = 0;
    for (; remaining > 0; remaining -= 1) {
      let depth = depthPicker.pick(random);
      while (depth > 1 && !pools[depth - 1]?.length) depth -= 1;
      const pool = pools[depth - 1]!;
      const parent = this.folders[random.pick(pool)]!;
      const useRequired = requiredFolderNames < required.length && random.chance(0.02);
      const name = useRequired ? required[requiredFolderNames++]! : this.folderName();
      const folder = this.addFolder(parent, name, false);
      pool.push(parent.index);
      (pools[folder.depth] ??= []).push(folder.index);
    }
  }

  /** Adds `count` files; returns how many required names were placed. */
  buildFiles(count: number, required: readonly string[]): number {
    const random = this.random;
    const folders = this.folders;
    // Every required name first, each in a random folder (another one if the name is taken there).
    let placed = 0;
    for (const name of required) {
      if (placed >= count) break;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        if (this.tryAddFile(folders[random.int(0, folders.length - 1)]!, name)) {
          placed += 1;
          break;
        }
      }
    }
    let remaining = count - placed;
    // A few huge folders (10k+ files) once the tree is big enough to hold them.
    const huge = Math.floor(remaining / 200_000);
    for (let index = 0; index < huge; index += 1) {
      const folder = this.pickFolder((slot) => !slot.chain && slot.depth >= 2 && slot.depth <= 4);
      const size = Math.min(remaining, random.int(10_000, 25_000));
      for (let file = 0; file < size; file += 1) this.addGeneratedFile(folder);
      remaining -= size;
    }
    const weights = folders.map((slot) => (slot.chain ? 0.3 : slot.index === 0 ? 2 : Math.min(random.pareto(1.1), 400)));
    const picker = new WeightedPicker(weights);
    for (; remaining > 0; remaining -= 1) this.addGeneratedFile(folders[picker.pick(random)]!);
    return placed;
  }

  /**
   * Every node in `path_lower` order. Sorting a million nodes in random order is slow, so they are
   * first laid out depth-first with each folder's children sorted; that is nearly the final order
   * (it differs only where a sibling's name extends another's with a character below "/"), and
   * the engine's merge sort finishes such runs in close to linear time.
   */
  sortedNodes(): TreeNode[] {
    const out: TreeNode[] = [];
    const slotOf = new Map<TreeNode, FolderSlot>();
    for (const slot of this.folders) if (slot.node) slotOf.set(slot.node, slot);
    const visit = (slot: FolderSlot): void => {
      const children: TreeNode[] = slot.files.concat(slot.subfolders.map((sub) => sub.node!));
      children.sort(byLower);
      for (const child of children) {
        out.push(child);
        const sub = slotOf.get(child);
        if (sub) visit(sub);
      }
    };
    visit(this.folders[0]!);
    return out.sort(byLower);
  }

  stats(placed: number): TreeStats {
    let maxChildren = 0;
    let hugeFolders = 0;
    let folders = 0;
    let maxDepth = 0;
    for (const slot of this.folders) {
      maxChildren = Math.max(maxChildren, slot.children);
      if (slot.children >= 10_000) hugeFolders += 1;
      if (slot.index > 0) folders += 1;
      maxDepth = Math.max(maxDepth, slot.depth);
    }
    const fileDepths = Array.from({ length: this.fileDepths.length }, (_, depth) => this.fileDepths[depth] ?? 0);
    maxDepth = Math.max(maxDepth, fileDepths.length - 1);
    return { files: this.nodeCount - folders, folders, fileDepths, maxDepth, maxChildren, hugeFolders, requiredNames: placed };
  }

  private pickFolder(accept: (slot: FolderSlot) => boolean): FolderSlot {
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const slot = this.folders[this.random.int(0, this.folders.length - 1)]!;
      if (accept(slot)) return slot;
    }
    return this.folders[0]!;
  }

  private addFolder(parent: FolderSlot, wanted: string, chain: boolean): FolderSlot {
    let name = wanted;
    let lowerName = lowerNfc(name);
    while (parent.names.has(lowerName)) {
      name = `${wanted} ${this.random.int(2, 99_999)}`;
      lowerName = lowerNfc(name);
    }
    parent.names.add(lowerName);
    const lower = `${parent.lower}/${lowerName}`;
    const display = `${parent.display}/${name}`;
    parent.children += 1;
    const node: FolderNode = { tag: 'folder', id: this.nextId(), name, lower, display };
    this.nodeCount += 1;
    const slot: FolderSlot = { index: this.folders.length, lower, display, depth: parent.depth + 1, chain, children: 0, node, files: [], subfolders: [], names: new Set() };
    this.folders.push(slot);
    parent.subfolders.push(slot);
    return slot;
  }

  private addGeneratedFile(folder: FolderSlot): void {
    const kind = pickKind(this.random);
    const extension = this.random.pick(kind.extensions);
    const base = this.fileBase(kind);
    if (this.tryAddFile(folder, withExtension(base, extension), kind)) return;
    // Taken in this folder: a counter keeps the retry unique.
    this.nameCounter += 1;
    if (!this.tryAddFile(folder, withExtension(`${base} ${this.nameCounter}`, extension), kind)) {
      throw new Error(`generator: could not name a file in ${folder.display || '/'}`);
    }
  }

  private tryAddFile(folder: FolderSlot, name: string, kind: FileKind = kindOf(name)): boolean {
    const lowerName = lowerNfc(name);
    if (folder.names.has(lowerName)) return false;
    folder.names.add(lowerName);
    const lower = `${folder.lower}/${lowerName}`;
    folder.children += 1;
    const depth = folder.depth + 1;
    this.fileDepths[depth] = (this.fileDepths[depth] ?? 0) + 1;
    const size = this.size(kind);
    const [serverModified, clientModified] = this.timestamps();
    this.revisions += 1;
    const rev = `${this.revisions.toString(16).padStart(9, '0')}${this.random.uint32().toString(16).padStart(8, '0')}`;
    folder.files.push(new SeededFile(this.nextId(), name, lower, `${folder.display}/${name}`, size, rev, serverModified, clientModified, this.corpus));
    this.nodeCount += 1;
    return true;
  }

  private folderName(): string {
    const random = this.random;
    const word = random.pick(FOLDER_WORDS);
    const roll = random.next();
    if (roll < 0.25) return `${word} ${random.int(2009, 2026)}`;
    if (roll < 0.35) return `${random.int(2009, 2026)}-${String(random.int(1, 12)).padStart(2, '0')}`;
    return word;
  }

  private fileBase(kind: FileKind): string {
    const random = this.random;
    const stem = random.pick(kind.stems);
    const roll = random.next();
    if (roll < 0.3) return `${stem}_${random.int(1000, 99_999)}`;
    if (roll < 0.5) return `${stem} ${random.pick(NAME_WORDS)}`;
    if (roll < 0.65) return `${stem} ${random.int(2009, 2026)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    if (roll < 0.75) return `${stem} (${random.int(1, 9)})`;
    return `${stem} ${random.pick(NAME_WORDS)} ${random.int(1, 999)}`;
  }

  /** Log-normal around the kind's median; about 1 in 200 files is empty. */
  private size(kind: FileKind): number {
    if (this.random.chance(0.005)) return 0;
    const bytes = Math.exp(Math.log(kind.medianBytes) + kind.sigma * this.random.normal());
    return Math.min(Math.round(bytes), 60 * 1024 ** 3);
  }

  /**
   * server_modified skewed towards recent years; client_modified mostly a little earlier (edited,
   * then uploaded), sometimes equal, sometimes later (a skewed device clock) or years earlier
   * (an old file copied in).
   */
  private timestamps(): [string, string] {
    const random = this.random;
    const age = Math.floor(this.spanSeconds * random.next() ** 2);
    const server = this.newestSeconds - age;
    const roll = random.next();
    let client = server;
    if (roll < 0.55) client = server - random.int(1, 30 * 86400);
    else if (roll < 0.7) client = server + random.int(1, 86400);
    else if (roll < 0.8) client = server - random.int(86400, 6 * 365 * 86400);
    return [timestamp(server), timestamp(client)];
  }

  /** `id:` + 22 base64url chars; the first 4 bytes are a bijective mix of a counter, so ids never repeat. */
  private nextId(): string {
    this.idCounter += 1;
    const bytes = this.idBytes;
    bytes.writeUInt32BE(mix32(this.idCounter), 0);
    bytes.writeUInt32BE(this.random.uint32(), 4);
    bytes.writeUInt32BE(this.random.uint32(), 8);
    bytes.writeUInt32BE(this.random.uint32(), 12);
    return `id:${bytes.toString('base64url')}`;
  }
}

function byLower(a: TreeNode, b: TreeNode): number {
  return a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0;
}

/** `toLower` for a name: ASCII names (nearly all generated ones) are NFC already, so skip normalising. */
function lowerNfc(name: string): string {
  return ASCII.test(name) ? name.toLowerCase() : toLower(name);
}
const ASCII = /^[\x20-\x7e]*$/;

function withExtension(base: string, extension: string): string {
  return extension === '' ? base : `${base}.${extension}`;
}

const KIND_PICKER = new WeightedPicker(FILE_KINDS.map((kind) => kind.weight));
const KIND_BY_EXTENSION = new Map(FILE_KINDS.flatMap((kind) => kind.extensions.map((extension) => [extension, kind] as const)));

function pickKind(random: SeededRandom): FileKind {
  return FILE_KINDS[KIND_PICKER.pick(random)]!;
}

/** The kind a name's extension belongs to (required names fall back to the "other" kind). */
function kindOf(name: string): FileKind {
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const lower = name.slice(dot + 1);
    const known = KIND_BY_EXTENSION.get(lower) ?? (lower === 'gz' ? KIND_BY_EXTENSION.get('tar.gz') : undefined);
    if (known) return known;
  }
  return FILE_KINDS[FILE_KINDS.length - 1]!;
}

/** A bijection on 32-bit integers (the murmur3 finaliser): distinct counters give distinct outputs. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const DAY_PREFIXES = new Map<number, string>();

/**
 * `DropboxTimestamp` from epoch seconds (second precision, literal Z). Formatting the date part
 * once per day keeps this off the profile when a million files need two timestamps each.
 */
function timestamp(seconds: number): string {
  const day = Math.floor(seconds / 86400);
  let prefix = DAY_PREFIXES.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86400 * 1000).toISOString().slice(0, 11);
    DAY_PREFIXES.set(day, prefix);
  }
  const inDay = seconds - day * 86400;
  const hours = Math.floor(inDay / 3600);
  const minutes = Math.floor((inDay % 3600) / 60);
  return `${prefix}${TWO_DIGITS[hours]!}:${TWO_DIGITS[minutes]!}:${TWO_DIGITS[inDay % 60]!}Z`;
}
