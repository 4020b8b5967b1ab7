import type { Payload, PayloadCodec } from '@temporalio/common';
import { isEncrypted } from './payload-codec';

/**
 * Decrypts, in place, every payload of a fetched workflow history that the codec encrypted (inputs,
 * results, memo, failure attributes), for tools that must keep or show a readable copy: the
 * recorder of the replay test's histories. Returns how many payloads it decoded.
 */
export async function decodeHistoryPayloads(history: object, codec: PayloadCodec): Promise<number> {
  const encrypted: Payload[] = [];
  collect(history, encrypted);
  if (encrypted.length === 0) return 0;
  const decoded = await codec.decode(encrypted);
  encrypted.forEach((target, index) => {
    target.metadata = decoded[index]!.metadata;
    target.data = decoded[index]!.data;
  });
  return encrypted.length;
}

function collect(value: unknown, found: Payload[]): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
    return;
  }
  const record = value as Record<string, unknown>;
  const metadata = record['metadata'];
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) && isEncrypted(record as Payload)) {
    found.push(record as Payload);
    return;
  }
  for (const item of Object.values(record)) collect(item, found);
}
