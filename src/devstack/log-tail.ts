import { open } from 'node:fs/promises';

/** Bytes read from the end of a log; enough for a few dozen lines without loading a huge file. */
const TAIL_BYTES = 16 * 1024;

/** Splits a chunk read from the end of a log into its last `count` non-blank lines. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(Math.max(0, lines.length - count));
}

/** Returns the last `count` non-blank lines of `file`, or `[]` when it does not exist yet. */
export async function readLastLines(file: string, count: number): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    let text = buffer.toString('utf8');
    // Reading from mid-file almost always starts inside a line; drop that fragment.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return lastLines(text, count);
  } finally {
    await handle.close();
  }
}
