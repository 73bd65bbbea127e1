import { expect } from 'chai';
import fc from 'fast-check';
import { escapeKey, unescapeKey, MAX_ESCAPED_KEY_LENGTH } from '../../src/ha/record-names.js';

describe('record key escaping', () => {
  it('escapes into one safe path segment and back, exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (key) => {
        const escaped = escapeKey(key);
        expect(escaped).to.match(/^[A-Za-z0-9_.%-]+$/);
        expect(escaped.startsWith('.')).to.equal(false);
        expect(unescapeKey(escaped)).to.equal(key);
      }),
      { numRuns: 500 },
    );
  });

  it('maps distinct keys to distinct names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ minLength: 1, maxLength: 8 }), (a, b) => {
        fc.pre(a !== b);
        expect(escapeKey(a)).to.not.equal(escapeKey(b));
      }),
    );
  });

  it('reads as Marathon app IDs are written, and hides temporary names', () => {
    expect(escapeKey('/prod/web-1')).to.equal('%2Fprod%2Fweb-1');
    expect(escapeKey('..')).to.equal('%2E.');
    expect(escapeKey("a!b'(c)*~")).to.equal('a%21b%27%28c%29%2A%7E');
    expect(escapeKey('x'.repeat(MAX_ESCAPED_KEY_LENGTH))).to.have.length(MAX_ESCAPED_KEY_LENGTH);
    expect(unescapeKey('.tmp-1234')).to.equal(undefined);
    expect(unescapeKey('bad%zz')).to.equal(undefined);
    expect(unescapeKey('spaces are not ours')).to.equal(undefined);
  });
});
