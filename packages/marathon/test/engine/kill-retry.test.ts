import { expect } from 'chai';
import { FakeClock, TaskState } from '@mesocosm/framework-sdk';
import { MemoryStateStore } from '@mesocosm/framework-sdk/ha';
import { Harness } from './harness.js';

const app = { id: '/k', cmd: 'sleep 1000', cpus: 0.1, mem: 16, instances: 1 };

describe('engine: kills are sent again until answered', () => {
  it('re-sends an unanswered kill every killRetryMs, and stops once the task is terminal', async () => {
    const clock = new FakeClock(1_000_000);
    const h = await Harness.lead(new MemoryStateStore(), clock, { killRetryMs: 10_000 });
    await h.service.createApp(app);
    await h.settle();
    await h.cycle();
    const [taskId] = h.running('/k');
    await h.service.updateApp('/k', { instances: 0 }, { partial: true });
    await h.settle();
    expect(h.cluster.kills.map((k) => k.taskId)).to.deep.equal([taskId]);
    clock.advance(9_999);
    await h.settle();
    expect(h.cluster.kills).to.have.length(1);
    clock.advance(1);
    await h.settle();
    expect(h.cluster.kills.map((k) => k.taskId)).to.deep.equal([taskId, taskId]);
    expect(h.service.deployments()).to.have.length(1);
    await h.update(taskId ?? '', TaskState.TASK_KILLED);
    expect(h.service.deployments()).to.deep.equal([]);
    clock.advance(60_000);
    await h.settle();
    expect(h.cluster.kills).to.have.length(2);
    h.stop();
  });

  it('a new leader sends again the kills its predecessor had sent', async () => {
    const store = new MemoryStateStore();
    const clock = new FakeClock(1_000_000);
    const first = await Harness.lead(store, clock);
    await first.service.createApp(app);
    await first.settle();
    await first.cycle();
    const [taskId] = first.running('/k');
    await first.service.updateApp('/k', { instances: 0 }, { partial: true });
    await first.settle();
    expect(first.cluster.kills).to.have.length(1);
    first.stop();

    const second = await Harness.lead(store, clock);
    expect(second.cluster.kills.map((k) => k.taskId)).to.deep.equal([taskId]);
    second.stop();
  });
});
