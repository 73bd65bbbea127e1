// The SDK's Scheduler on a real cluster (LocalCluster: a master and three
// agents in this process): ["hostname","UNIQUE"] puts an app's tasks on
// different hosts, the offer it cannot use is declined with the constraint
// as the reason (kept by the master), and offers are suppressed once nothing
// is pending.
import { expect } from 'chai';
import {
  Scheduler,
  SchedulerDriver,
  isTerminalState,
  parseConstraints,
  silentLogger,
  taskStateName,
  type ITaskStatus,
  type LaunchedTask,
  type WantedTask,
} from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';

describe('SDK Scheduler on a LocalCluster', function () {
  this.timeout(90_000);
  let cluster: LocalCluster;
  let scheduler: Scheduler | undefined;

  before(async () => {
    // Two agents share host "sched-a" (as two agents on one machine would): UNIQUE allows one task there.
    cluster = await LocalCluster.start({
      agents: [{ hostname: 'sched-a' }, { hostname: 'sched-b' }, { hostname: 'sched-a' }],
    });
    await cluster.waitForAgents(3);
  });
  after(async () => {
    await scheduler?.driver.teardown().catch(() => undefined);
    await scheduler?.stop();
    await cluster?.stop();
  });

  it('places UNIQUE-hostname tasks on two hosts, declines the third agent with the reason, then suppresses', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework: { name: 'sdk-scheduler-it', user: 'nobody', roles: ['*'] },
      logger: silentLogger,
    });
    let suppressCalls = 0;
    const suppress = driver.suppress.bind(driver);
    driver.suppress = (roles?: string[]) => {
      suppressCalls++;
      suppress(roles);
    };
    const statuses = new Map<string, ITaskStatus>();
    const launched: LaunchedTask[] = [];
    scheduler = new Scheduler(driver, {
      logger: silentLogger,
      onUpdate: (s) => void statuses.set(s.taskId?.value ?? '', s),
      onLaunched: (ts) => void launched.push(...ts),
    });
    const constraints = parseConstraints([['hostname', 'UNIQUE']]);
    const web = (i: number): WantedTask => ({
      taskId: `web.${i}`,
      resources: 'cpus:0.1;mem:32',
      command: { value: 'sleep 60' },
      constraints,
    });
    scheduler.want('/web', [web(1), web(2), web(3)]);
    const { frameworkId } = await scheduler.start();

    // Two tasks run, on two different hosts.
    await waitFor(() => [...statuses.values()].filter((s) => taskStateName(s.state) === 'TASK_RUNNING').length >= 2, {
      timeoutMs: 30_000,
      message: 'two tasks RUNNING',
    });
    expect(launched).to.have.length(2);
    expect(new Set(launched.map((l) => l.offer.hostname))).to.deep.equal(new Set(['sched-a', 'sched-b']));
    expect(new Set(launched.map((l) => l.offer.agentId?.value)).size).to.equal(2);
    expect([...statuses.values()].some((s) => isTerminalState(s.state))).to.equal(false);

    // The third task is still pending; the other sched-a agent's offer was declined for the constraint.
    expect(scheduler.pending().flatMap((g) => g.tasks.map((t) => t.taskId))).to.have.length(1);
    const idleAgent = cluster.agents.find((a) => !launched.some((l) => l.offer.agentId?.value === a.agentId));
    expect(idleAgent, 'an agent without a task').to.not.equal(undefined);
    const stats = scheduler.offerStats('/web');
    expect(stats?.rejections['constraint hostname:UNIQUE'] ?? 0).to.be.greaterThan(0);
    const reasons = await waitFor(
      async () => {
        const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
        const fw = state.frameworks.find((f) => f.id === frameworkId);
        return fw && fw.decline_reasons.length > 0 && fw.decline_reasons;
      },
      { timeoutMs: 10_000, message: 'decline reasons in /master/state' },
    );
    expect(reasons.map((r) => r.reason)).to.include('constraint hostname:UNIQUE');
    expect(suppressCalls).to.equal(0);

    // The framework gives up the third instance: nothing is pending, offers are suppressed.
    scheduler.unwant('/web');
    expect(scheduler.suppressed).to.equal(true);
    expect(suppressCalls).to.equal(1);
    // The master's task view agrees: two tasks, on two agents.
    const tasks = await waitFor(
      async () => {
        const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
        const ts = state.frameworks.find((f) => f.id === frameworkId)?.tasks ?? [];
        return ts.length === 2 && ts.every((t) => t.state === 'TASK_RUNNING') && ts;
      },
      { timeoutMs: 10_000, message: 'two RUNNING tasks in /master/state' },
    );
    expect(new Set(tasks.map((t) => t.slave_id)).size).to.equal(2);
    expect(tasks.map((t) => t.slave_id)).to.not.include(idleAgent?.agentId);
  });
});
