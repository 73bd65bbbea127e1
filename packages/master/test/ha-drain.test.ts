// Two masters on a real ZooKeeper: a drain made through the leader's
// POST /api/v1 survives the leader's end; the next leader shows the agent
// DRAINING, kills its task again and makes no offer for it.
import { expect } from 'chai';
import { AgentEventType, newId, silentLogger, TaskState, type IEvent } from '@mesocosm/protocol';
import { Master } from '../src/index.js';
import { requireZooKeeper, zooKeeperTesting } from './election/zookeeper-helpers.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { RawScheduler } from './helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

const post = (master: Master, body: unknown): Promise<Response> =>
  fetch(`${master.httpUrl}/api/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });

describe('drain across a master failover (real ZooKeeper, two masters)', function () {
  this.timeout(60_000);
  const masters: Master[] = [];
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    for (const m of masters.splice(0)) await m.stop();
  });

  it('the new leader keeps the agent DRAINING, re-kills its task, offers nothing for it, then DRAINED', async function () {
    requireZooKeeper(this);
    const { connectString } = await (await zooKeeperTesting()).sharedZooKeeper();
    const zk = `zk://${connectString}/test-ha-drain-${newId()}/mesos`;
    const start = async (): Promise<Master> => {
      const m = await Master.start({
        ip: '127.0.0.1',
        port: 0,
        grpcPort: 0,
        logger: silentLogger,
        zk,
        zkSessionTimeoutMs: 2_000,
        allocationIntervalMs: 100,
        onDeposed: () => undefined,
      });
      masters.push(m);
      return m;
    };
    const m1 = await start();
    await waitFor(() => m1.leading && !m1.state().recovering, 'm1 leading');
    const m2 = await start();
    expect(m2.leading).to.equal(false);

    const agent = new FakeAgent(m1.grpcAddress);
    closers.push(() => agent.close());
    const agentId = await agent.register('cpus:4;mem:4096');
    const sched = new RawScheduler(m1.grpcAddress);
    closers.push(() => sched.close());
    await sched.subscribe({ name: 'ha', user: 'u', failoverTimeout: 3600 });
    const offer = await sched.offer();
    sched.send(acceptCall([idOf(offer)], [task('t1', agentId, 'cpus:1;mem:128')], 0));
    await agent.take(AgentEventType.RUN_TASK);
    agent.sendUpdate(sched.frameworkId, 't1', TaskState.TASK_RUNNING);
    await sched.update('t1', TaskState.TASK_RUNNING);

    // Bad input is a 400 naming the problem; a standby redirects to the leader.
    const bad = await post(m1, { type: 'DRAIN_AGENT', drain_agent: { agent_id: {} } });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/drain_agent\.agent_id/);
    expect((await post(m1, 'nope')).status).to.equal(400);
    expect((await post(m1, { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'ghost' } } })).status).to.equal(
      404,
    );
    const redirected = await post(m2, { type: 'GET_STATE' });
    expect(redirected.status).to.equal(307);
    expect(redirected.headers.get('location')).to.equal(`${m1.httpUrl}/api/v1`);

    const drainStarted = performance.now();
    const drained = await post(m1, {
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: { value: agentId }, max_grace_period: { nanoseconds: 3_000_000_000 } },
    });
    const drainMs = performance.now() - drainStarted;
    expect(drained.status).to.equal(200);
    const kill = await agent.take(AgentEventType.KILL_TASK);
    expect(kill.killTask?.killPolicy?.gracePeriodSeconds).to.equal(3);
    expect(m1.state().slaves[0]?.drain_info?.state).to.equal('DRAINING');

    // The leader ends; the standby is elected and recovers the registry.
    const failoverStarted = performance.now();
    await masters.shift()?.stop();
    await waitFor(() => m2.leading && !m2.state().recovering, 'm2 leading and recovered', 15_000);
    const failoverMs = performance.now() - failoverStarted;
    const recovered = m2.state().recovered_slaves;
    expect(recovered.map((a) => [a.id, a.deactivated, a.drain_info?.state])).to.deep.equal([
      [agentId, true, 'DRAINING'],
    ]);
    expect(recovered[0]?.drain_info?.config.max_grace_period).to.deep.equal({ nanoseconds: 3e9 });

    const back = new FakeAgent(m2.grpcAddress);
    closers.push(() => back.close());
    await back.register('cpus:4;mem:4096', {
      id: agentId,
      tasks: [
        {
          frameworkId: { value: sched.frameworkId },
          task: task('t1', agentId, 'cpus:1;mem:128'),
          status: { taskId: { value: 't1' }, state: TaskState.TASK_RUNNING },
        },
      ],
    });
    const again = await back.take(AgentEventType.KILL_TASK);
    expect(Number(again.epoch)).to.equal(m2.epoch);
    expect(m2.epoch).to.be.greaterThan(Number(kill.epoch));
    const other = new FakeAgent(m2.grpcAddress);
    closers.push(() => other.close());
    const otherId = await other.register('cpus:2;mem:1024');

    const sched2 = new RawScheduler(m2.grpcAddress);
    closers.push(() => sched2.close());
    await sched2.subscribe({ id: { value: sched.frameworkId }, name: 'ha', user: 'u', failoverTimeout: 3600 });
    // An offer for the other agent means an allocation ran with the drained agent registered.
    const offered = await sched2.offer(10_000);
    expect(offered.agentId?.value).to.equal(otherId);
    const offers = sched2.events.all.filter((e: IEvent) => (e.offers?.offers ?? []).length > 0);
    expect(offers.flatMap((e) => e.offers?.offers ?? []).every((o) => o.agentId?.value !== agentId)).to.equal(true);
    expect(m2.state().slaves.find((a) => a.id === agentId)?.drain_info?.state).to.equal('DRAINING');

    back.sendUpdate(sched.frameworkId, 't1', TaskState.TASK_KILLED);
    await waitFor(() => m2.state().slaves.find((a) => a.id === agentId)?.drain_info?.state === 'DRAINED', 'DRAINED');
    console.log(
      `      measured: DRAIN_AGENT over HTTP ${drainMs.toFixed(1)} ms; leader stop -> new leader recovered ${failoverMs.toFixed(0)} ms`,
    );
  });
});
