import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Namespace } from './namespace';
import { toLower } from './paths';

const Path = z.string().refine((value) => /^\/[^/]/.test(value), {
  error: (issue) => `must be an absolute path like "/Folder/file.txt", got ${JSON.stringify(issue.input)}`,
});
const Size = z.number().int().nonnegative().nullable();
const HistoryOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), path: Path, size: Size }),
  z.object({ op: z.literal('modify'), path: Path, size: Size }),
  z.object({ op: z.literal('delete'), path: Path }),
  z.object({ op: z.literal('move'), from: Path, to: Path, size: Size }),
]);

/** One batch of the change-history corpus (`shared/corpora/history-papers.jsonl`). */
export const HistoryBatch = z.object({
  seq: z.number().int().positive(),
  at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp'),
  ops: z.array(HistoryOp),
});
export type HistoryBatch = z.infer<typeof HistoryBatch>;
export type HistoryOp = z.infer<typeof HistoryOp>;

/** What a batch writes to: a namespace, or a router that forwards ops into shared folders (world/). */
export type BatchTarget = Pick<Namespace, 'addFile' | 'modifyFile' | 'deletePath' | 'move' | 'get'>;

/** Reads and validates a history file, naming the line of the first bad batch. */
export function readHistory(file: string): HistoryBatch[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const batches: HistoryBatch[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = HistoryBatch.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${index + 1}: not a history batch: ${z.prettifyError(parsed.error)}`);
    batches.push(parsed.data);
  });
  return batches;
}

/**
 * Applies a batch to a namespace. A null size means the corpus does not know it; a size derived
 * from the path and batch keeps replays deterministic. A move whose size differs is a move followed
 * by a new revision, as when a file is renamed and edited in one commit.
 */
export function applyBatch(namespace: BatchTarget, batch: HistoryBatch): void {
  const at = new Date(batch.at);
  for (const op of batch.ops) {
    switch (op.op) {
      case 'add':
        namespace.addFile(op.path, op.size ?? unknownSize(op.path, batch.seq), at);
        break;
      case 'modify':
        namespace.modifyFile(op.path, op.size ?? unknownSize(op.path, batch.seq), at);
        break;
      case 'delete':
        namespace.deletePath(op.path);
        break;
      case 'move': {
        namespace.move(op.from, op.to);
        const moved = namespace.get(toLower(op.to));
        if (moved?.tag === 'file' && op.size !== null && op.size !== moved.size) namespace.modifyFile(op.to, op.size, at);
        break;
      }
    }
  }
}

function unknownSize(path: string, seq: number): number {
  return createHash('sha256').update(`${seq}:${path}`).digest().readUInt32BE(0) % (1024 * 1024);
}
