// Marathon's engine on a real cluster (LocalCluster: a master and three agents
// in this process, tasks as real processes), driven through MarathonService:
// deploy, scale, replace killed and unhealthy tasks, a rolling restart that
// keeps minimumHealthCapacity (measured from the event bus), UNIQUE and
// GROUP_BY placement; then two Marathons on a real ZooKeeper, the leader
// stopped mid-deployment and the other finishing it.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import { Marathon, type Json, type MarathonEvent } from '@mesocosm/marathon';
import { LocalCluster, fetchJson, sharedZooKeeper, waitFor } from '@mesocosm/testing';

type Task = { id: string; host: string; state: string; healthCheckResults?: { alive: boolean }[] };

const small = { cpus: 0.05, mem: 16, backoffSeconds: 1 };

function tasksOf(m: Marathon, appId: string): Task[] {
  return (m.service.appTasks(appId) ?? []) as unknown as Task[];
}

function running(m: Marathon, appId: string): Task[] {
  return tasksOf(m, appId).filter((t) => t.state === 'TASK_RUNNING');
}

async function settled(m: Marathon, appId: string, count: number, timeoutMs = 60_000): Promise<Task[]> {
  return waitFor(
    () => {
      const ts = running(m, appId);
      const done = m.service.deployments().length === 0 && tasksOf(m, appId).length === count && ts.length === count;
      return done && ts;
    },
    { timeoutMs, intervalMs: 100, message: `${count} running tasks of ${appId} and no deployment` },
  ).catch((err: unknown) => withState(m, err));
}

/**
 * Adds what Marathon holds (deployments, every task) to a timed-out wait: these waits failed
 * intermittently after a force delete, and the state at that moment is what will explain it.
 */
function withState(m: Marathon, err: unknown): never {
  const deployments = m.service.deployments().map((d) => ({ id: d['id'], affectedApps: d['affectedApps'] }));
  const tasks = m.service.tasks().map((t) => [t['appId'], t['id'], t['state']]);
  throw new Error(`${String(err)}; deployments: ${JSON.stringify(deployments)}; tasks: ${JSON.stringify(tasks)}`);
}

/** Collects events from the bus until `close()`. */
function record(m: Marathon): { events: MarathonEvent[]; close(): void } {
  const sub = m.service.subscribe();
  const events: MarathonEvent[] = [];
  void (async () => {
    for await (const e of sub) events.push(e);
  })();
  return { events, close: () => sub.close() };
}

describe('Marathon engine on a LocalCluster', function () {
  this.timeout(240_000);
  let cluster: LocalCluster;
  let marathon: Marathon;
  let pidDir: string;

  before(async () => {
    pidDir = await mkdtemp(join(tmpdir(), 'marathon-it-'));
    cluster = await LocalCluster.start({
      agents: [
        { hostname: 'mt-a', attributes: 'rack:r1' },
        { hostname: 'mt-b', attributes: 'rack:r2' },
        { hostname: 'mt-c', attributes: 'rack:r1' },
      ],
    });
    await cluster.waitForAgents(3);
    marathon = await Marathon.start({
      master: cluster.masterGrpc,
      hostname: '127.0.0.1',
      httpHost: '127.0.0.1',
      httpPort: 0,
      frameworkName: 'marathon-it',
      minReviveIntervalMs: 500,
      logger: silentLogger,
    });
    await waitFor(() => marathon.isLeader && marathon.frameworkId, {
      timeoutMs: 20_000,
      message: 'marathon subscribed',
    });
  });

  after(async () => {
    await marathon?.stop();
    await cluster?.stop();
    await rm(pidDir, { recursive: true, force: true });
  });

  it('deploys a shell app to its count, scales it 3 -> 10 -> 2', async () => {
    let t0 = Date.now();
    await marathon.service.createApp({ id: '/it/sleep', cmd: 'sleep 600', instances: 3, ...small });
    await settled(marathon, '/it/sleep', 3);
    console.log(`      deploy of 3 instances: ${Date.now() - t0} ms`);
    t0 = Date.now();
    await marathon.service.updateApp('/it/sleep', { instances: 10 }, { partial: true });
    await settled(marathon, '/it/sleep', 10);
    console.log(`      scale 3 -> 10: ${Date.now() - t0} ms`);
    await marathon.service.updateApp('/it/sleep', { instances: 2 }, { partial: true });
    await settled(marathon, '/it/sleep', 2);
    const fid = marathon.frameworkId;
    const masterTasks = await waitFor(
      async () => {
        const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
        const ts = state.frameworks.find((f) => f.id === fid)?.tasks ?? [];
        return ts.length === 2 && ts;
      },
      { timeoutMs: 20_000, message: 'the master sees 2 tasks' },
    );
    expect(masterTasks.every((t) => t.state === 'TASK_RUNNING')).to.equal(true);
    await marathon.service.deleteApp('/it/sleep', {});
    await waitFor(() => marathon.service.deployments().length === 0 && tasksOf(marathon, '/it/sleep').length === 0, {
      timeoutMs: 30_000,
      message: 'app deleted',
    });
  });

  it('replaces a task whose process was killed', async () => {
    const cmd = `echo $$ > ${pidDir}/$MESOS_TASK_ID.pid; exec sleep 600`;
    await marathon.service.createApp({ id: '/it/victim', cmd, instances: 2, ...small });
    const before = await settled(marathon, '/it/victim', 2);
    const victim = before[0]!;
    const pid = Number((await readFile(join(pidDir, `${victim.id}.pid`), 'utf8')).trim());
    process.kill(pid, 'SIGKILL');
    const after = await waitFor(
      () => {
        const ts = running(marathon, '/it/victim');
        return ts.length === 2 && !ts.some((t) => t.id === victim.id) && ts;
      },
      { timeoutMs: 60_000, message: 'the killed task replaced' },
    );
    expect(after.map((t) => t.id)).to.include(before[1]!.id);
    expect((marathon.service.getApp('/it/victim') ?? {}).lastTaskFailure).to.include({ taskId: victim.id });
    await marathon.service.deleteApp('/it/victim', {});
  });

  it('replaces a task whose COMMAND health check fails', async () => {
    const rec = record(marathon);
    const healthChecks = [
      {
        protocol: 'COMMAND',
        command: { value: 'exit 1' },
        gracePeriodSeconds: 0,
        intervalSeconds: 2,
        timeoutSeconds: 1,
        maxConsecutiveFailures: 2,
      },
    ];
    await marathon.service.createApp({ id: '/it/sick', cmd: 'sleep 600', instances: 1, healthChecks, ...small });
    const first = await waitFor(() => running(marathon, '/it/sick')[0], { timeoutMs: 30_000, message: 'first task' });
    await waitFor(
      () => rec.events.some((e) => e.eventType === 'unhealthy_instance_kill_event' && e.body.taskId === first.id),
      { timeoutMs: 60_000, message: 'the unhealthy task killed' },
    );
    await waitFor(() => tasksOf(marathon, '/it/sick').some((t) => t.id !== first.id), {
      timeoutMs: 60_000,
      message: 'a replacement launched',
    });
    const failed = rec.events.filter((e) => e.eventType === 'failed_health_check_event' && e.body.taskId === first.id);
    expect(failed.length).to.be.greaterThan(0);
    rec.close();
    await marathon.service.deleteApp('/it/sick', { force: true });
  });

  it('restarts 4 instances with minimumHealthCapacity 0.5, never below 2 healthy', async () => {
    const healthChecks = [
      {
        protocol: 'COMMAND',
        command: { value: 'true' },
        gracePeriodSeconds: 5,
        intervalSeconds: 2,
        timeoutSeconds: 1,
        maxConsecutiveFailures: 3,
      },
    ];
    const upgradeStrategy = { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 };
    await marathon.service.createApp({
      id: '/it/roll',
      cmd: 'sleep 600',
      instances: 4,
      healthChecks,
      upgradeStrategy,
      ...small,
    });
    const old = await waitFor(
      () => {
        const ts = running(marathon, '/it/roll').filter((t) => t.healthCheckResults?.[0]?.alive === true);
        return ts.length === 4 && marathon.service.deployments().length === 0 && ts;
      },
      { timeoutMs: 60_000, message: '4 healthy tasks' },
    ).catch((err: unknown) => withState(marathon, err));
    const healthy = new Set(old.map((t) => t.id));
    let minHealthy = healthy.size;
    const rec = record(marathon);
    const t0 = Date.now();
    const { deploymentId } = await marathon.service.restartApp('/it/roll', {});
    await waitFor(
      () => {
        for (const e of rec.events.splice(0)) {
          const id = String(e.body.taskId ?? '');
          if (e.eventType === 'health_status_changed_event') {
            if (e.body.alive === true) healthy.add(id);
            else healthy.delete(id);
          }
          if (e.eventType === 'status_update_event' && e.body.taskStatus !== 'TASK_RUNNING') healthy.delete(id);
          if (e.eventType === 'unhealthy_instance_kill_event') healthy.delete(id);
          minHealthy = Math.min(minHealthy, healthy.size);
          if (e.eventType === 'deployment_success' && e.body.id === deploymentId) return true;
        }
        return false;
      },
      { timeoutMs: 120_000, intervalMs: 20, message: 'the restart finished' },
    );
    rec.close();
    console.log(`      rolling restart of 4: ${Date.now() - t0} ms, min healthy ${minHealthy}`);
    expect(minHealthy).to.be.at.least(2);
    const now = running(marathon, '/it/roll');
    expect(now).to.have.length(4);
    expect(now.some((t) => old.some((o) => o.id === t.id))).to.equal(false);
    await marathon.service.deleteApp('/it/roll', {});
  });

  it('places UNIQUE hostname tasks on the 3 hosts, the 4th waits with the reason in the queue', async () => {
    await marathon.service.createApp({
      id: '/it/unique',
      cmd: 'sleep 600',
      instances: 4,
      constraints: [['hostname', 'UNIQUE']],
      ...small,
    });
    const ts = await waitFor(() => running(marathon, '/it/unique').length === 3 && running(marathon, '/it/unique'), {
      timeoutMs: 60_000,
      message: '3 running',
    });
    expect(new Set(ts.map((t) => t.host))).to.deep.equal(new Set(['mt-a', 'mt-b', 'mt-c']));
    const item = await waitFor(
      () => {
        const q = marathon.service.queue().find((i) => (i.app as Json).id === '/it/unique');
        const summary = q?.processedOffersSummary as
          { rejectSummaryLaunchAttempt: { reason: string; declined: number }[] } | undefined;
        const c = summary?.rejectSummaryLaunchAttempt.find((r) => r.reason === 'UnfulfilledConstraint');
        return q && c && c.declined > 0 && q;
      },
      { timeoutMs: 30_000, message: 'a queue item with UnfulfilledConstraint' },
    );
    expect(item.count).to.equal(1);
    await marathon.service.deleteApp('/it/unique', { force: true });
  });

  it('spreads GROUP_BY rack tasks evenly over the racks', async () => {
    await marathon.service.createApp({
      id: '/it/racks',
      cmd: 'sleep 600',
      instances: 4,
      constraints: [['rack', 'GROUP_BY']],
      ...small,
    });
    const ts = await settled(marathon, '/it/racks', 4);
    const onR2 = ts.filter((t) => t.host === 'mt-b').length;
    expect(onR2).to.equal(2);
    await marathon.service.deleteApp('/it/racks', {});
    await waitFor(() => marathon.service.deployments().length === 0, { timeoutMs: 30_000, message: 'deleted' });
  });

  it('two Marathons on ZooKeeper: the leader stops mid-deployment, the other finishes it without duplicates', async () => {
    const { connectString } = await sharedZooKeeper();
    const zk = `zk://${connectString}/marathon-it-${randomUUID().slice(0, 8)}`;
    const start = (): Promise<Marathon> =>
      Marathon.start({
        master: cluster.masterGrpc,
        zk,
        zkSessionTimeoutMs: 4_000,
        hostname: '127.0.0.1',
        httpHost: '127.0.0.1',
        httpPort: 0,
        frameworkName: 'marathon-ha-it',
        minReviveIntervalMs: 500,
        logger: silentLogger,
      });
    const a = await start();
    const b = await start();
    try {
      const leader = await waitFor(() => [a, b].find((m) => m.isLeader && m.frameworkId), {
        timeoutMs: 30_000,
        message: 'a leader subscribed',
      });
      const standby = leader === a ? b : a;
      const healthChecks = [
        {
          protocol: 'COMMAND',
          command: { value: 'true' },
          gracePeriodSeconds: 5,
          intervalSeconds: 2,
          timeoutSeconds: 1,
          maxConsecutiveFailures: 3,
        },
      ];
      // One at a time (maximumOverCapacity 0 and all must stay healthy): a slow deployment to interrupt.
      await leader.service.createApp({ id: '/ha/web', cmd: 'sleep 600', instances: 2, healthChecks, ...small });
      await waitFor(() => running(leader, '/ha/web').length === 2 && leader.service.deployments().length === 0, {
        timeoutMs: 60_000,
        message: '2 running',
      });
      await leader.service.updateApp('/ha/web', { instances: 6 }, { partial: true });
      await waitFor(() => running(leader, '/ha/web').length >= 3, {
        timeoutMs: 60_000,
        message: 'the scale under way',
      });
      expect(leader.service.deployments()).to.have.length(1);
      const fid = leader.frameworkId;
      const t0 = Date.now();
      await leader.stop();
      await waitFor(() => standby.isLeader && standby.frameworkId, { timeoutMs: 30_000, message: 'the standby leads' });
      console.log(`      failover to the standby: ${Date.now() - t0} ms`);
      expect(standby.frameworkId).to.equal(fid);
      await settled(standby, '/ha/web', 6, 90_000);
      const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
      const masterTasks = (state.frameworks.find((f) => f.id === fid)?.tasks ?? []).filter(
        (t) => t.state === 'TASK_RUNNING',
      );
      expect(masterTasks).to.have.length(6);
      expect(new Set(masterTasks.map((t) => t.id))).to.deep.equal(
        new Set(running(standby, '/ha/web').map((t) => t.id)),
      );
      await standby.service.deleteApp('/ha/web', { force: true });
      await waitFor(() => tasksOf(standby, '/ha/web').length === 0, { timeoutMs: 30_000, message: 'ha app deleted' });
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
