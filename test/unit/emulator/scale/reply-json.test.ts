import { replyJson } from '../../../../emulator/src/fault-reply';

describe('replyJson (fast path when no field is null)', () => {
  it('serialises a page without nulls exactly like JSON.stringify', () => {
    const page = { entries: [{ '.tag': 'file', name: 'a', size: 0, is_downloadable: false, tags: ['x'] }], cursor: 'c', has_more: true };
    expect(replyJson(page)).toBe(JSON.stringify(page));
  });

  it('still omits null fields at any depth and keeps null array items', () => {
    expect(replyJson({ a: 1, b: null, c: { d: null, e: [null, { f: null, g: 2 }] } })).toBe('{"a":1,"c":{"e":[null,{"g":2}]}}');
    expect(replyJson(null)).toBe('null');
    expect(replyJson(undefined)).toBe('null');
  });
});
