// Relaunches of failed tasks wanted with a `retry` policy, on the pure core.
import { expect } from 'chai';
import {
  FakeClock,
  Resources,
  SchedulerCore,
  TaskState,
  retryDelayMs,
  type IOffer,
  type WantedTask,
} from '../../src/index.js';

function offer(id: string): IOffer {
  return {
    id: { value: id },
    agentId: { value: 'agent-1' },
    hostname: 'h1',
    resources: Resources.parse('cpus:4;mem:1024').toProto(),
    allocationRole: '*',
  };
}

const flaky = (extra: Partial<WantedTask> = {}): WantedTask => ({
  taskId: 'job.1',
  resources: 'cpus:1;mem:64',
  command: { value: 'exit 1' },
  retry: { maxAttempts: 2, backoffMs: 1000, backoffFactor: 3 },
  ...extra,
});

/** Launches whatever is pending on a fresh offer; returns the launched task IDs. */
function launch(core: SchedulerCore, clock: FakeClock, n: number): string[] {
  return core.offers([offer(`o${n}`)], clock.now()).launched.map((l) => l.taskId);
}

const status = (taskId: string, state: TaskState) => ({ taskId: { value: taskId }, state });

describe('SchedulerCore: retries with backoff', () => {
  it('relaunches a failed task with a new ID after the backoff, until its attempts run out', () => {
    const clock = new FakeClock(1_000_000);
    const core = new SchedulerCore();
    core.subscribed(clock.now(), false);
    core.want('job', [flaky()], clock.now());
    expect(launch(core, clock, 1)).to.deep.equal(['job.1']);

    const first = core.update(status('job.1', TaskState.TASK_FAILED), clock.now());
    expect(first).to.include({ key: 'job', failedTaskId: 'job.1', taskId: 'job.1.retry-1', attempt: 1 });
    expect(first?.at).to.equal(clock.now() + 1000);
    expect(core.nextWakeAt()).to.equal(clock.now() + 1000);
    // Not pending before the delay: nothing to launch, and the tick before it does nothing.
    expect(core.pending()).to.deep.equal([]);
    clock.advance(999);
    expect(core.tick(clock.now())).to.deep.equal([]);
    clock.advance(1);
    core.tick(clock.now());
    // Pending again (the REVIVE for it is rate-limited like any other).
    expect(core.pending().flatMap((g) => g.tasks.map((t) => t.taskId))).to.deep.equal(['job.1.retry-1']);
    expect(launch(core, clock, 2)).to.deep.equal(['job.1.retry-1']);

    // LOST is retried too; the second delay is 3x the first.
    const second = core.update(status('job.1.retry-1', TaskState.TASK_LOST), clock.now());
    expect(second).to.include({ taskId: 'job.1.retry-2', attempt: 2, at: clock.now() + 3000 });
    clock.advance(3000);
    core.tick(clock.now());
    expect(launch(core, clock, 3)).to.deep.equal(['job.1.retry-2']);

    // Out of attempts: the failure stands.
    expect(core.update(status('job.1.retry-2', TaskState.TASK_FAILED), clock.now())).to.equal(undefined);
    expect(core.nextWakeAt()).to.not.equal(clock.now() + 9000);
    expect(core.pending()).to.deep.equal([]);
  });

  it('does not retry finished, killed or invalid tasks, nor tasks without a policy', () => {
    const clock = new FakeClock(0);
    const core = new SchedulerCore();
    core.subscribed(clock.now(), false);
    const ids = ['a', 'b', 'c', 'd'];
    core.want(
      'k',
      ids.map((id) => flaky({ taskId: id, ...(id === 'd' ? { retry: undefined } : {}) })),
      clock.now(),
    );
    expect(launch(core, clock, 1).sort()).to.deep.equal(ids);
    expect(core.update(status('a', TaskState.TASK_FINISHED), 0)).to.equal(undefined);
    expect(core.update(status('b', TaskState.TASK_KILLED), 0)).to.equal(undefined);
    expect(core.update(status('c', TaskState.TASK_ERROR), 0)).to.equal(undefined);
    expect(core.update(status('d', TaskState.TASK_FAILED), 0)).to.equal(undefined);
  });

  it('forgets planned relaunches when the key is no longer wanted', () => {
    const clock = new FakeClock(0);
    const core = new SchedulerCore();
    core.subscribed(clock.now(), false);
    core.want('job', [flaky()], clock.now());
    launch(core, clock, 1);
    expect(core.update(status('job.1', TaskState.TASK_FAILED), 0)).to.not.equal(undefined);
    core.unwant('job', 0);
    clock.advance(10_000);
    core.tick(clock.now());
    expect(core.pending()).to.deep.equal([]);
  });

  it('retryDelayMs grows by the factor and stops at the maximum', () => {
    const p = { maxAttempts: 10, backoffMs: 500, backoffFactor: 2, maxBackoffMs: 3000 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a))).to.deep.equal([500, 1000, 2000, 3000, 3000]);
  });
});
