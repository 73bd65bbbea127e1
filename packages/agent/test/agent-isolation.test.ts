// Memory limits, enforced by cgroups (when this host allows them) and by posix monitoring.
import { expect } from 'chai';
import { access, readdir, readFile } from 'node:fs/promises';
import { silentLogger, systemClock, TaskStatusReason } from '@mesocosm/protocol';
import { startFixture, stateTask, stopFixture, type Fixture } from './helpers/agent-fixture.js';
import { killTask, runShellTask } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';
import { selectIsolator } from '../src/isolation/select-isolator.js';

const HOG = 'head -c 300000000 /dev/zero | tail';
// For the posix monitor, which polls every 500 ms: the writer stays open after 300 MB, so tail
// holds them until killed (a hog that ends within a second can slip between two polls).
const STEADY_HOG = '(head -c 300000000 /dev/zero; sleep 60) | tail';

async function expectMemoryLimited(f: Fixture, taskId: string, hog = HOG): Promise<void> {
  f.master.send(runShellTask(taskId, hog, 'cpus:0.5;mem:32'));
  const failed = await waitFor(
    'TASK_FAILED',
    () => f.master.updates(taskId).find((u) => u.state === 'TASK_FAILED'),
    20_000,
  );
  expect(failed.status.reason).to.equal(TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
  expect(failed.status.message).to.match(/exceeded its 32 MB/);
  expect(f.master.states(taskId)).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
}

/** The memory cgroups the agent created for its tasks, if it uses cgroups v1. */
async function taskMemoryCgroups(): Promise<string[]> {
  const own = /^\d+:memory:(.*)$/m.exec(await readFile('/proc/self/cgroup', 'utf8'))?.[1];
  if (own === undefined) return [];
  const entries = await readdir(`/sys/fs/cgroup/memory${own}/mesocosm`, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

describe('agent: isolation', function () {
  this.timeout(40_000);
  let f: Fixture | undefined;

  afterEach(async () => {
    await stopFixture(f);
    f = undefined;
  });

  it('with cgroups: a task over its memory ends TASK_FAILED with REASON_CONTAINER_LIMITATION_MEMORY', async function () {
    const isolator = await selectIsolator('auto', systemClock, silentLogger);
    if (!isolator.name.startsWith('cgroups')) this.skip();
    f = await startFixture({ isolation: 'cgroups' });
    const running = runShellTask('limits', 'cat /proc/self/cgroup; sleep 30', 'cpus:0.5;mem:48');
    f.master.send(running);
    await waitFor('RUNNING', () => f!.master.states('limits').includes('TASK_RUNNING'));
    const task = await stateTask(f.agent, 'limits');
    // The cgroups under mesocosm/ may include other agents' (tests of other checkouts on this
    // host share the hierarchy): this task's is the one whose cgroup.procs gets its pid.
    let dir: string | undefined;
    if (isolator.name === 'cgroups-v1') {
      const own = /^\d+:memory:(.*)$/m.exec(await readFile('/proc/self/cgroup', 'utf8'))![1];
      const root = `/sys/fs/cgroup/memory${own}/mesocosm`;
      // RUNNING is reported at spawn; the wrapper enters the cgroup a moment later, before it execs the task.
      dir = await waitFor('the task in one cgroup.procs', async () => {
        for (const name of await taskMemoryCgroups()) {
          const procs = await readFile(`${root}/${name}/cgroup.procs`, 'utf8').catch(() => '');
          if (procs.split('\n').includes(String(task!.pid))) return `${root}/${name}`;
        }
        return undefined;
      });
      expect((await readFile(`${dir}/memory.limit_in_bytes`, 'utf8')).trim()).to.equal(String(48 * 1024 * 1024));
    }
    await expectMemoryLimited(f, 'hog');
    f.master.send(killTask('limits'));
    await waitFor('KILLED', () => f!.master.states('limits').includes('TASK_KILLED'));
    // The task's cgroup is removed when it ends.
    if (dir !== undefined) {
      const gone = dir;
      await waitFor(
        'the task cgroup removed',
        async () =>
          !(await access(gone).then(
            () => true,
            () => false,
          )),
      );
    }
  });

  it('with posix monitoring: a task over its memory ends TASK_FAILED with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    f = await startFixture({ isolation: 'posix' });
    await expectMemoryLimited(f, 'hog', STEADY_HOG);
  });

  it('leaves a task under its limit alone', async () => {
    f = await startFixture({ isolation: 'posix' });
    f.master.send(runShellTask('small', 'head -c 1000000 /dev/zero | tail | wc -c', 'cpus:0.5;mem:64'));
    await waitFor('FINISHED', () => f!.master.states('small').includes('TASK_FINISHED'));
  });
});
