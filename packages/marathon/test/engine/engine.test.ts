import { expect } from 'chai';
import { FakeClock, TaskState } from '@mesocosm/framework-sdk';
import { MemoryStateStore } from '@mesocosm/framework-sdk/ha';
import { AppLockedError, MarathonStore } from '../../src/index.js';
import { Harness } from './harness.js';

const app = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: '/web',
  cmd: 'sleep 1000',
  cpus: 0.1,
  mem: 16,
  instances: 3,
  ...extra,
});

describe('engine: deployments and keep-alive (fake cluster)', () => {
  it('deploys an app to its count, then the deployment succeeds', async () => {
    const h = await Harness.lead();
    const { deployments } = (await h.service.createApp(app())) as { deployments: { id: string }[] };
    await h.settle();
    expect(h.pending('/web')).to.have.length(3);
    expect(h.service.deployments()).to.have.length(1);
    await h.cycle();
    expect(h.running('/web')).to.have.length(3);
    expect(h.service.deployments()).to.deep.equal([]);
    const types = h.engine.bus.history().map((e) => e.eventType);
    expect(types).to.include.members(['deployment_info', 'deployment_step_success', 'deployment_success']);
    const success = h.engine.bus.history().find((e) => e.eventType === 'deployment_success');
    expect(success?.body.id).to.equal(deployments[0]?.id);
    expect((h.service.getApp('/web') ?? {}).tasksRunning).to.equal(3);
    h.stop();
  });

  it('scales 3 -> 10 -> 2 and kills the youngest first', async () => {
    const h = await Harness.lead();
    await h.service.createApp(app());
    await h.cycle();
    h.clock.advance(1000);
    await h.service.updateApp('/web', { instances: 10 }, { partial: true });
    await h.cycle();
    expect(h.running('/web')).to.have.length(10);
    const firstThree = new Set(h.running('/web').slice(0, 3));
    h.clock.advance(1000);
    await h.service.updateApp('/web', { instances: 2 }, { partial: true });
    await h.cycle();
    expect(h.running('/web')).to.have.length(2);
    // The two left are among the oldest (launched first).
    for (const id of h.running('/web')) expect(firstThree.has(id)).to.equal(true);
    expect(h.service.deployments()).to.deep.equal([]);
    h.stop();
  });

  it('replaces a task that fails, after the launch backoff', async () => {
    const h = await Harness.lead();
    await h.service.createApp(app({ instances: 1, backoffSeconds: 10, backoffFactor: 2 }));
    await h.cycle();
    const [first] = h.running('/web');
    await h.update(first ?? '', TaskState.TASK_FAILED, { message: 'exit 1' });
    expect(h.pending('/web'), 'held back by the backoff').to.have.length(0);
    expect(h.service.queue()[0]?.delay).to.deep.equal({ timeLeftSeconds: 10, overdue: false });
    expect((h.service.getApp('/web') ?? {}).lastTaskFailure).to.include({ taskId: first, state: 'TASK_FAILED' });
    h.clock.advance(9_999);
    await h.settle();
    expect(h.pending('/web')).to.have.length(0);
    h.clock.advance(1);
    await h.settle();
    expect(h.pending('/web')).to.have.length(1);
    // A second failure doubles the delay.
    h.launchAll();
    const second = h.engine.book.ofApp('/web')[0]?.taskId ?? '';
    await h.update(second, TaskState.TASK_FAILED);
    h.clock.advance(10_000);
    await h.settle();
    expect(h.pending('/web')).to.have.length(0);
    h.clock.advance(10_000);
    await h.settle();
    expect(h.pending('/web')).to.have.length(1);
    // DELETE /v2/queue/web/delay resets it.
    h.launchAll();
    await h.update(h.engine.book.ofApp('/web')[0]?.taskId ?? '', TaskState.TASK_FAILED);
    expect(h.pending('/web')).to.have.length(0);
    expect(h.service.resetDelay('/web')).to.equal(true);
    await h.settle();
    expect(h.pending('/web')).to.have.length(1);
    h.stop();
  });

  it('kills unhealthy tasks through the token bucket and replaces them', async () => {
    const h = await Harness.lead(new MemoryStateStore(), new FakeClock(1_000_000), {
      killRate: { burst: 2, perSecond: 1 },
    });
    const hc = {
      protocol: 'COMMAND',
      command: { value: 'true' },
      intervalSeconds: 5,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 3,
    };
    await h.service.createApp(app({ instances: 5, healthChecks: [hc] }));
    await h.cycle(20, true);
    expect(h.running('/web')).to.have.length(5);
    for (const id of h.running('/web')) await h.update(id, TaskState.TASK_RUNNING, { healthy: false });
    expect(h.cluster.kills, 'not before 3 failures (2 more intervals)').to.have.length(0);
    h.clock.advance(10_000);
    await h.settle();
    expect(h.cluster.kills).to.have.length(2);
    h.clock.advance(1_000);
    await h.settle();
    expect(h.cluster.kills).to.have.length(3);
    h.clock.advance(2_000);
    await h.settle();
    expect(h.cluster.kills).to.have.length(5);
    const killEvents = h.engine.bus.history().filter((e) => e.eventType === 'unhealthy_instance_kill_event');
    expect(killEvents).to.have.length(5);
    await h.answerKills();
    expect(h.pending('/web'), 'replacements').to.have.length(5);
    h.stop();
  });

  it('replaces an unreachable task after inactiveAfterSeconds and forgets it after expungeAfterSeconds', async () => {
    const h = await Harness.lead();
    const unreachableStrategy = { inactiveAfterSeconds: 10, expungeAfterSeconds: 30 };
    await h.service.createApp(app({ instances: 2, unreachableStrategy }));
    await h.cycle();
    const [lost] = h.running('/web');
    await h.update(lost ?? '', TaskState.TASK_UNREACHABLE);
    expect(h.pending('/web')).to.have.length(0);
    h.clock.advance(10_000);
    await h.settle();
    expect(h.pending('/web')).to.have.length(1);
    expect(h.engine.book.get(lost ?? '')).to.not.equal(undefined);
    h.clock.advance(20_000);
    await h.settle();
    expect(h.engine.book.get(lost ?? '')).to.equal(undefined);
    expect(await h.store.get('instances', lost ?? '')).to.equal(undefined);
    h.stop();
  });

  it('rolls a restart never below minimumHealthCapacity, and locks the app meanwhile', async () => {
    const h = await Harness.lead();
    const hc = {
      protocol: 'COMMAND',
      command: { value: 'true' },
      intervalSeconds: 2,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 0,
    };
    const strategy = { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 };
    await h.service.createApp(app({ instances: 4, healthChecks: [hc], upgradeStrategy: strategy }));
    await h.cycle(20, true);
    const old = new Set(h.running('/web'));
    await h.service.restartApp('/web', {});
    let minHealthy = 4;
    for (let i = 0; i < 30 && h.service.deployments().length > 0; i++) {
      try {
        await h.service.updateApp('/web', { instances: 5 }, { partial: true });
        expect.fail('the app is locked by the restart');
      } catch (err) {
        expect(err).to.be.instanceOf(AppLockedError);
      }
      await h.settle();
      h.launchAll();
      await h.answerKills();
      const healthy = h.engine.book.ofApp('/web').filter((r) => r.healthy === true && !r.killRequested).length;
      minHealthy = Math.min(minHealthy, healthy);
      await h.runAll(true);
    }
    expect(h.service.deployments()).to.deep.equal([]);
    expect(minHealthy).to.be.at.least(2);
    expect(h.running('/web')).to.have.length(4);
    for (const id of h.running('/web')) expect(old.has(id)).to.equal(false);
    h.stop();
  });

  it('cancelling a deployment rolls it back; forcing a new one cancels the old', async () => {
    const h = await Harness.lead();
    await h.service.createApp(app({ instances: 1 }));
    await h.cycle();
    const { deploymentId } = await h.service.updateApp('/web', { instances: 4 }, { partial: true });
    await h.settle();
    const rollback = await h.service.cancelDeployment(deploymentId, {});
    expect(rollback?.deploymentId).to.be.a('string');
    await h.cycle();
    expect(h.running('/web')).to.have.length(1);
    expect((h.service.getApp('/web') ?? {}).instances).to.equal(1);
    const failed = h.engine.bus.history().filter((e) => e.eventType === 'deployment_failed');
    expect(failed.map((e) => e.body.id)).to.include(deploymentId);
    const second = await h.service.updateApp('/web', { instances: 3 }, { partial: true });
    const third = await h.service.updateApp('/web', { instances: 2 }, { partial: true, force: true });
    expect(h.service.deployments().map((d) => d.id)).to.deep.equal([third.deploymentId]);
    expect(second.deploymentId).to.not.equal(third.deploymentId);
    await h.cycle();
    expect(h.running('/web')).to.have.length(2);
    h.stop();
  });

  it('deleting an app stops its tasks and emits app_terminated_event', async () => {
    const h = await Harness.lead();
    await h.service.createApp(app({ instances: 2 }));
    await h.cycle();
    await h.service.deleteApp('/web', {});
    await h.cycle();
    expect(h.engine.book.ofApp('/web')).to.deep.equal([]);
    expect(h.service.getApp('/web')).to.equal(undefined);
    expect(h.engine.bus.history().some((e) => e.eventType === 'app_terminated_event')).to.equal(true);
    expect(await new MarathonStore(h.store).load()).to.deep.include({ apps: [], deployments: [], instances: [] });
    h.stop();
  });
});
