// A new leader serves once it knows the admitted agents' IDs; their records
// (one znode each in ZooKeeper) are read after (FakeClock, fake connections).
import { expect } from 'chai';
import { AgentEventType, CallType, EventType, FakeClock } from '@mesocosm/protocol';
import { InMemoryRegistry } from '../src/registry/in-memory-registry.js';
import type { Registry } from '../src/registry/registry.js';
import { FakeAgentConn, FakeFramework } from './helpers/core-harness.js';
import { recoveredAgentInfo, standbyCore } from './helpers/failover.js';

const agentInfo = recoveredAgentInfo;

/** A registry whose agents() waits for `open()` (or fails with `fail()`): records slow to read. */
function slowRecords(inner: InMemoryRegistry): { registry: Registry; open: () => void; fail: (err: Error) => void } {
  let open = (): void => undefined;
  let fail: (err: Error) => void = () => undefined;
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const registry = Object.assign(Object.create(inner) as InMemoryRegistry, {
    agents: async () => {
      await gate;
      return inner.agents();
    },
  });
  return { registry, open, fail };
}

/** Lets the core's pending promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('recovery: agents served before their records are read', () => {
  it('re-registers an agent while the records are still being read, then fills in those still away', async () => {
    const inner = new InMemoryRegistry();
    await inner.admitAgent(agentInfo('A1'));
    await inner.admitAgent(agentInfo('A2'));
    const slow = slowRecords(inner);
    const core = standbyCore(slow.registry, new FakeClock(1_700_000_000_000));
    const leading = core.lead(2);
    await settle();
    // Serving: the IDs are known, the records not yet.
    expect(core.leading).to.equal(true);
    expect(core.recovering).to.equal(false);
    expect(core.state().recovered_slaves.map((r) => [r.id, r.hostname])).to.deep.equal([
      ['A1', ''],
      ['A2', ''],
    ]);
    const back = new FakeAgentConn(core);
    await back.register('cpus:4;mem:4096', {}, 'A1');
    expect(back.of(AgentEventType.REGISTERED)).to.have.length(1);
    expect(core.state().slaves.map((a) => a.id)).to.deep.equal(['A1']);

    slow.open();
    await leading;
    expect(core.state().recovered_slaves).to.deep.equal([
      { id: 'A2', hostname: 'host-A2', port: 5051, resources: { cpus: 4, mem: 4096 }, deactivated: false },
    ]);
    expect(core.state().slaves.map((a) => [a.id, a.hostname])).to.deep.equal([['A1', 'h']]); // its own info
  });

  it('gives the leadership up when the records cannot be read after all', async () => {
    const inner = new InMemoryRegistry();
    await inner.admitAgent(agentInfo('A1'));
    const slow = slowRecords(inner);
    const core = standbyCore(slow.registry, new FakeClock(1_700_000_000_000));
    const leading = core.lead(2);
    await settle();
    const fw = new FakeFramework(core);
    await fw.send({ type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: { name: 'f' } } });
    expect(fw.of(EventType.SUBSCRIBED)).to.have.length(1);

    slow.fail(new Error('registry znode /m/registry/agents/A1 holds bad data'));
    let err: unknown;
    await leading.catch((e: unknown) => (err = e));
    expect(String(err)).to.match(/bad data/);
    expect(core.leading).to.equal(false);
    expect(fw.closed).to.equal(true);
  });
});
