import { expect } from 'chai';
import { AgentOptionError } from '../src/errors.js';
import { agentResources, hostResources, parseResourcesFlag } from '../src/resources/host-resources.js';

const facts = { cpus: 8, memTotalMb: 16_384, diskFreeMb: 100_000 };

describe('resource discovery', () => {
  it('takes cpus, memory less 1 GB, disk less 5 GB and the default ports from a large host', () => {
    const r = hostResources(facts);
    expect(r.scalar('cpus')).to.equal(8);
    expect(r.scalar('mem')).to.equal(16_384 - 1024);
    expect(r.scalar('disk')).to.equal(100_000 - 5 * 1024);
    expect(r.ranges('ports')).to.deep.equal([[31000, 32000]]);
  });

  it('keeps half of a small host for itself', () => {
    const r = hostResources({ cpus: 1, memTotalMb: 1000, diskFreeMb: 3000 });
    expect(r.scalar('mem')).to.equal(500);
    expect(r.scalar('disk')).to.equal(1500);
  });

  it('overrides only the names --resources gives', () => {
    const r = agentResources(facts, 'cpus:2;ports:[5000-5010]');
    expect(r.scalar('cpus')).to.equal(2);
    expect(r.ranges('ports')).to.deep.equal([[5000, 5010]]);
    expect(r.scalar('mem')).to.equal(16_384 - 1024);
    expect(r.scalar('disk')).to.equal(100_000 - 5 * 1024);
  });

  it('adds custom resources and reserved ones', () => {
    const r = agentResources(facts, 'gpus:1;mem(ops):512');
    expect(r.scalar('gpus')).to.equal(1);
    // mem is named: the host's mem is replaced by the flag's.
    expect(r.scalar('mem')).to.equal(512);
    expect(r.scalar('mem', 'ops')).to.equal(512);
  });

  it('uses the host alone when the flag is unset or blank', () => {
    expect(agentResources(facts).equals(hostResources(facts))).to.equal(true);
    expect(agentResources(facts, '  ').equals(hostResources(facts))).to.equal(true);
  });

  for (const bad of ['cpus:abc', 'cpus', 'mem:-5', 'ports:[32000-31000]', 'cpus:[1-2]', 'ports:7']) {
    it(`rejects '${bad}' naming the flag`, () => {
      expect(() => parseResourcesFlag(bad))
        .to.throw(AgentOptionError)
        .with.property('message')
        .that.matches(/^--resources: /)
        .and.includes(bad);
    });
  }
});
