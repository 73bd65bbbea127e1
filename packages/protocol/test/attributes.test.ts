import { expect } from 'chai';
import { parseAttributes, attributesToRecord, ValidationError, ValueType } from '../src/index.js';

describe('attributes', () => {
  it('parses text, scalars, ranges and sets', () => {
    const attrs = parseAttributes('rack:r1;level:3;slots:[1-4];zones:{a,b}');
    expect(attrs.map((a) => a.type)).to.deep.equal([ValueType.TEXT, ValueType.SCALAR, ValueType.RANGES, ValueType.SET]);
    expect(attributesToRecord(attrs)).to.deep.equal({ rack: 'r1', level: '3', slots: '[1-4]', zones: '{a,b}' });
  });

  it('rejects entries without a value or with a bad name', () => {
    expect(() => parseAttributes('rack')).to.throw(ValidationError, /rack/);
    expect(() => parseAttributes('1rack:a')).to.throw(ValidationError, /not a valid attribute name/);
    expect(() => parseAttributes('slots:[a-b]')).to.throw(ValidationError, /not a range/);
  });
});
