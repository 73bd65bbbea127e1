// The SDK Scheduler's retries on a real cluster: real shell tasks that fail
// are relaunched with new IDs after their backoff; one that fails once then
// succeeds finishes on its first relaunch; one that always fails stops after
// its attempts, and the master saw exactly that many tasks.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  Scheduler,
  SchedulerDriver,
  silentLogger,
  taskStateName,
  type ITaskStatus,
  type PlannedRetry,
} from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';

describe('SDK Scheduler retries on a LocalCluster', function () {
  this.timeout(90_000);
  let cluster: LocalCluster;
  let scheduler: Scheduler | undefined;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-retry-'));
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
  });
  after(async () => {
    await scheduler?.driver.teardown().catch(() => undefined);
    await scheduler?.stop();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('relaunches failed tasks with backoff until they succeed or run out of attempts', async () => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      // The test's own user: its tasks write a marker in a directory of this process.
      framework: { name: 'sdk-retry-it', user: userInfo().username, roles: ['*'] },
      logger: silentLogger,
    });
    const last = new Map<string, string>();
    const retries: PlannedRetry[] = [];
    scheduler = new Scheduler(driver, {
      logger: silentLogger,
      minReviveIntervalMs: 100,
      onUpdate: (s: ITaskStatus) => void last.set(s.taskId?.value ?? '', taskStateName(s.state)),
      onRetry: (r) => void retries.push(r),
    });
    const marker = join(dir, 'failed-once');
    const retry = { maxAttempts: 2, backoffMs: 300, backoffFactor: 2 };
    scheduler.want('jobs', [
      {
        taskId: 'once',
        resources: 'cpus:0.1;mem:32',
        // Fails the first time (leaving a marker), succeeds after.
        command: { value: `if [ -e ${marker} ]; then exit 0; else touch ${marker}; exit 1; fi` },
        retry,
      },
      { taskId: 'never', resources: 'cpus:0.1;mem:32', command: { value: 'exit 3' }, retry },
    ]);
    await scheduler.start();

    await waitFor(() => last.get('once.retry-1') === 'TASK_FINISHED' && last.get('never.retry-2') === 'TASK_FAILED', {
      timeoutMs: 60_000,
      message: 'once.retry-1 FINISHED and never.retry-2 FAILED',
    });
    expect(last.get('once')).to.equal('TASK_FAILED');
    expect(last.get('never')).to.equal('TASK_FAILED');
    expect(last.get('never.retry-1')).to.equal('TASK_FAILED');
    expect(retries.map((r) => [r.failedTaskId, r.taskId, r.attempt])).to.have.deep.members([
      ['once', 'once.retry-1', 1],
      ['never', 'never.retry-1', 1],
      ['never.retry-1', 'never.retry-2', 2],
    ]);
    // The second relaunch waited twice the first backoff.
    const second = retries.find((r) => r.attempt === 2);
    const first = retries.find((r) => r.failedTaskId === 'never');
    expect(second && first && second.at - first.at).to.be.at.least(600);

    // No third attempt: the master saw exactly these five tasks of the framework.
    const fid = driver.frameworkId;
    const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
    const fw = state.frameworks.find((f) => f.id === fid);
    const ids = [...(fw?.tasks ?? []), ...(fw?.completed_tasks ?? [])].map((t) => t.id).sort();
    expect(ids).to.deep.equal(['never', 'never.retry-1', 'never.retry-2', 'once', 'once.retry-1']);
  });
});
