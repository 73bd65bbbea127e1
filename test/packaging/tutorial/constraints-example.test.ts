import { expect } from 'chai';
import { ValidationError, parseConstraints } from '@mesocosm/framework-sdk';
import { whyNot } from './constraints-example.js';

describe('packages/framework-sdk/README.md: constraints', () => {
  const web1 = { hostname: 'web1', attributes: { rack: 'r1' } };
  const web2 = { hostname: 'web2', attributes: { rack: 'r1' } };
  const web3 = { hostname: 'web3', attributes: { rack: 'r2' } };

  it('accepts a host that keeps the constraints, refuses one that does not, saying which and why', () => {
    expect(whyNot(web3, [web1])).to.equal(undefined);
    expect(whyNot(web1, [web1])).to.match(/^constraint hostname:UNIQUE: /);
    expect(whyNot(web2, [web1])).to.match(/^constraint rack:GROUP_BY:2: /);
    expect(whyNot({ hostname: 'db1', attributes: { rack: 'r2' } }, [])).to.match(/^constraint hostname:LIKE:web\.\*/);
  });

  it('names the bad item of malformed constraint JSON', () => {
    expect(() => parseConstraints([['hostname', 'MAX_PER', 'two']])).to.throw(ValidationError, /constraints\[0\]/);
  });
});
