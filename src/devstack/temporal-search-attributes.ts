import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { StackLog } from './types';

const { IndexedValueType } = temporal.api.enums.v1;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** Search attribute types Temporal accepts, spelled as `temporal server start-dev --search-attribute` wants them. */
export type SearchAttributeType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** A search attribute to register; src/domain/search-attributes.ts specs fit this shape. */
export interface SearchAttributeDefinition {
  name: string;
  type: SearchAttributeType;
}

const INDEXED_VALUE_TYPES: Record<SearchAttributeType, IndexedValueType> = {
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Maps a declared type to the proto enum the operator service expects. */
export function toIndexedValueType(type: SearchAttributeType): IndexedValueType {
  return INDEXED_VALUE_TYPES[type];
}

/** Name of a proto enum value in the declared spelling (KEYWORD_LIST -> KeywordList), however the client decoded it. */
function indexedValueTypeName(value: IndexedValueType | string | null | undefined): string {
  const raw = typeof value === 'number' ? (IndexedValueType[value] ?? String(value)) : String(value);
  return raw
    .replace(/^INDEXED_VALUE_TYPE_/, '')
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join('');
}

/** What must change on a namespace for `wanted` to be registered. */
export interface SearchAttributePlan {
  missing: SearchAttributeDefinition[];
  /** Present with a different type; Temporal cannot change a type in place. */
  conflicting: { name: string; wanted: SearchAttributeType; actual: string }[];
}

/** Compares the namespace's custom attributes with the ones we need. */
export function planSearchAttributes(
  existing: Record<string, IndexedValueType | string | null | undefined>,
  wanted: readonly SearchAttributeDefinition[],
): SearchAttributePlan {
  const plan: SearchAttributePlan = { missing: [], conflicting: [] };
  for (const attribute of wanted) {
    if (!(attribute.name in existing)) {
      plan.missing.push(attribute);
      continue;
    }
    const actual = indexedValueTypeName(existing[attribute.name]);
    if (actual !== attribute.type) {
      plan.conflicting.push({ name: attribute.name, wanted: attribute.type, actual });
    }
  }
  return plan;
}

/**
 * Registers any of `wanted` missing from `namespace`, and fails when one exists with another type.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  wanted: readonly SearchAttributeDefinition[],
  log: StackLog,
): Promise<void> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const plan = planSearchAttributes(listed.customAttributes ?? {}, wanted);
  if (plan.conflicting.length > 0) {
    const details = plan.conflicting.map((c) => `${c.name} is ${c.actual}, expected ${c.wanted}`).join('; ');
    throw new Error(`search attributes on namespace '${namespace}' have the wrong type (delete or rename them): ${details}`);
  }
  if (plan.missing.length === 0) return;
  log(`Temporal: adding search attributes to namespace '${namespace}': ${plan.missing.map((a) => `${a.name}=${a.type}`).join(', ')}`);
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(plan.missing.map((a) => [a.name, toIndexedValueType(a.type)])),
  });
}
