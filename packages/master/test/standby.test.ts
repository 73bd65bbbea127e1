// HA mode on the core, without ZooKeeper: a standby refuses, an elected core
// serves with the election epoch, a deposed one closes everything and refuses.
import { expect } from 'chai';
import { AgentEventType, EventType, FakeClock, silentLogger, type IAgentEvent, type IEvent } from '@mesocosm/protocol';
import { MasterCore } from '../src/core/master-core.js';
import { resolveOptions } from '../src/options.js';
import { InMemoryRegistry } from '../src/registry/in-memory-registry.js';
import { FakeAgentConn, FakeFramework } from './helpers/core-harness.js';

function standbyCore(): { core: MasterCore; clock: FakeClock } {
  const clock = new FakeClock(1_700_000_000_000);
  const resolved = resolveOptions({ logger: silentLogger, clock, hostname: 'm' });
  const info = { id: 'M2', hostname: 'm', ip: '127.0.0.1', port: 5052, grpcPort: 5062, version: 'v' };
  return { core: new MasterCore(resolved, new InMemoryRegistry(), info, true), clock };
}

const other = { id: 'M1', hostname: 'm1', ip: '10.0.0.1', port: 5050, grpcPort: 5060, version: 'v', epoch: 3 };

describe('master core in HA mode (standby, elected, deposed)', () => {
  it('a standby refuses streams with one NOT_LEADER error naming the leader, then closes them', () => {
    const { core } = standbyCore();
    expect(core.leading).to.equal(false);
    expect(core.leaderHttpUrl()).to.equal(undefined);
    const early: IEvent[] = [];
    let closed = false;
    core.refuseSchedulerStream({ send: (e) => early.push(e), close: () => (closed = true) });
    expect(early.map((e) => e.error?.code)).to.deep.equal(['NOT_LEADER']);
    expect(early[0]?.error?.message).to.match(/no leader is elected yet/);
    expect(early[0]?.epoch).to.equal(0); // never raises a client's highest epoch
    expect(closed).to.equal(true);

    core.setLeader(other);
    const agentEvents: IAgentEvent[] = [];
    core.refuseAgentStream({ send: (e) => agentEvents.push(e), close: () => undefined });
    expect(agentEvents[0]?.type).to.equal(AgentEventType.ERROR);
    expect(agentEvents[0]?.error?.code).to.equal('NOT_LEADER');
    expect(agentEvents[0]?.error?.message).to.include('10.0.0.1:5060');
    expect(core.leaderHttpUrl()).to.equal('http://10.0.0.1:5050');
    const state = core.state();
    expect(state.elected).to.equal(false);
    expect(state.leader).to.equal('master@10.0.0.1:5050');
    expect(state.leader_info).to.include({ id: 'M1', grpc_port: 5060, epoch: 3 });
  });

  it('once elected it serves with the election epoch; deposed, it closes every stream and refuses', async () => {
    const { core, clock } = standbyCore();
    core.setLeader(other);
    await core.lead(7);
    expect(core.leading).to.equal(true);
    const state = core.state();
    expect(state.elected).to.equal(true);
    expect(state.leader_info).to.include({ id: 'M2', epoch: 7 });
    expect(core.leaderHttpUrl()).to.equal('http://127.0.0.1:5052');

    const agent = new FakeAgentConn(core);
    await agent.register();
    const fw = new FakeFramework(core);
    await fw.subscribe();
    clock.advance(0);
    expect(fw.of(EventType.OFFERS)).to.have.length(1);
    expect(fw.events.every((e) => e.epoch === 7)).to.equal(true);
    expect(agent.events.every((e) => e.epoch === 7)).to.equal(true);

    core.abdicate();
    expect(fw.closed).to.equal(true);
    expect(agent.closed).to.equal(true);
    expect(core.leading).to.equal(false);
    expect(core.state().elected).to.equal(false);
    expect(core.leaderHttpUrl()).to.equal(undefined);
    const offersBefore = fw.of(EventType.OFFERS).length;
    clock.advance(10_000);
    expect(fw.of(EventType.OFFERS)).to.have.length(offersBefore); // no allocation after deposition
  });

  it('a standalone core leads from the start with epoch 1 in its state', () => {
    const clock = new FakeClock(0);
    const resolved = resolveOptions({ logger: silentLogger, clock });
    const core = new MasterCore(resolved, new InMemoryRegistry(), { id: 'S', ip: '127.0.0.1', port: 1, epoch: 1 });
    expect(core.leading).to.equal(true);
    expect(core.state()).to.include({ elected: true, leader: 'master@127.0.0.1:1' });
    expect(core.state().leader_info.epoch).to.equal(1);
  });
});
