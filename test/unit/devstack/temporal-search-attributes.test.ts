import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/domain/search-attributes';
import { planSearchAttributes, toIndexedValueType } from '../../../src/devstack/temporal-search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

describe('toIndexedValueType', () => {
  it('maps every type the project declares', () => {
    for (const attribute of ALL_SEARCH_ATTRIBUTES) {
      expect(toIndexedValueType(attribute.type)).not.toBe(IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED);
    }
    expect(toIndexedValueType('Keyword')).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    expect(toIndexedValueType('Datetime')).toBe(IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    expect(toIndexedValueType('KeywordList')).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
  });
});

describe('planSearchAttributes', () => {
  const wanted = [
    { name: 'FostrTenantId', type: 'Keyword' as const },
    { name: 'FostrLastSyncedAt', type: 'Datetime' as const },
    { name: 'FostrTags', type: 'KeywordList' as const },
  ];

  it('lists what is missing and accepts matching types decoded as numbers', () => {
    const plan = planSearchAttributes({ FostrTenantId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD }, wanted);
    expect(plan.missing.map((a) => a.name)).toEqual(['FostrLastSyncedAt', 'FostrTags']);
    expect(plan.conflicting).toEqual([]);
  });

  it('accepts matching types decoded as enum names', () => {
    const plan = planSearchAttributes(
      { FostrTenantId: 'INDEXED_VALUE_TYPE_KEYWORD', FostrLastSyncedAt: 'INDEXED_VALUE_TYPE_DATETIME', FostrTags: 'INDEXED_VALUE_TYPE_KEYWORD_LIST' },
      wanted,
    );
    expect(plan).toEqual({ missing: [], conflicting: [] });
  });

  it('reports an attribute registered with another type', () => {
    const plan = planSearchAttributes(
      {
        FostrTenantId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        FostrLastSyncedAt: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        FostrTags: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      },
      wanted,
    );
    expect(plan.missing).toEqual([]);
    expect(plan.conflicting).toEqual([{ name: 'FostrLastSyncedAt', wanted: 'Datetime', actual: 'Keyword' }]);
  });
});
