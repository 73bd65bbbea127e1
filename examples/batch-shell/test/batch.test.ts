import { expect } from 'chai';
import { parseExampleArgs } from '../src/args.js';
import { Batch } from '../src/batch.js';
import { formatSummary } from '../src/summary.js';

const config = { tasks: 3, cmd: 'echo hi', cpus: 0.1, mem: 32, name: 'b' };

describe('Batch (the example framework core)', () => {
  it('asks for every task once, then for nothing', () => {
    const b = new Batch(config);
    expect(b.pending().map((t) => t.taskId)).to.deep.equal(['b-1', 'b-2', 'b-3']);
    expect(b.pending()[0]).to.deep.equal({
      taskId: 'b-1',
      resources: 'cpus:0.1;mem:32',
      command: { value: 'echo hi', shell: true },
    });
    b.launched('b-2', 'agent-a');
    expect(b.pending().map((t) => t.taskId)).to.deep.equal(['b-1', 'b-3']);
    b.launched('b-1', 'agent-b');
    b.launched('b-3', 'agent-a');
    expect(b.hasPending()).to.equal(false);
    expect(b.pending()).to.deep.equal([]);
  });

  it('is done only when every task is terminal, and succeeded only when all FINISHED', () => {
    const b = new Batch(config);
    for (const t of b.pending()) b.launched(t.taskId, 'a1');
    expect(b.done()).to.equal(false);
    b.update('b-1', 'TASK_RUNNING');
    b.update('b-1', 'TASK_FINISHED');
    b.update('b-2', 'TASK_FINISHED');
    expect(b.done()).to.equal(false);
    b.update('b-3', 'TASK_FAILED', 'a2', 'exit status 1');
    expect(b.done()).to.equal(true);
    expect(b.succeeded()).to.equal(false);
    expect(b.results()[2]).to.deep.include({ state: 'TASK_FAILED', agentId: 'a2', message: 'exit status 1' });
  });

  it('ignores updates for unknown tasks and after a terminal state', () => {
    const b = new Batch({ ...config, tasks: 1 });
    b.launched('b-1', 'a1');
    expect(b.update('zzz', 'TASK_FINISHED')).to.equal(false);
    expect(b.update('b-1', 'TASK_FINISHED')).to.equal(true);
    expect(b.update('b-1', 'TASK_LOST')).to.equal(false);
    expect(b.succeeded()).to.equal(true);
  });

  it('a task dropped before its launch was recorded is no longer pending', () => {
    const b = new Batch({ ...config, tasks: 1 });
    b.update('b-1', 'TASK_DROPPED', '', 'invalid offers');
    expect(b.hasPending()).to.equal(false);
    expect(b.done()).to.equal(true);
  });
});

describe('batch-shell summary and flags', () => {
  it('prints one line per task and the totals', () => {
    const b = new Batch({ ...config, tasks: 2 });
    b.launched('b-1', 'a1');
    b.launched('b-2', 'a2');
    b.update('b-1', 'TASK_FINISHED');
    b.update('b-2', 'TASK_FAILED', '', 'exit status 3');
    const lines = formatSummary('b', b.results(), 1234);
    expect(lines[0]).to.match(/^ {2}b-1 +TASK_FINISHED +agent=a1$/);
    expect(lines[1]).to.match(/^ {2}b-2 +TASK_FAILED +agent=a2 +\(exit status 3\)$/);
    expect(lines[2]).to.equal('b: 2 tasks, 1 finished, 1 not finished, on 2 agents, in 1.2 s');
  });

  it('parses flags, with defaults', () => {
    expect(parseExampleArgs(['--master', 'h:1', '--tasks', '6', '--cmd', 'echo x'])).to.deep.equal({
      master: 'h:1',
      tasks: 6,
      cmd: 'echo x',
      cpus: 0.1,
      mem: 32,
      name: 'batch-shell',
      timeoutMs: 120_000,
    });
    expect(parseExampleArgs(['--help'])).to.equal(undefined);
  });

  it('rejects bad flags with a message', () => {
    expect(() => parseExampleArgs(['--tasks', '0'])).to.throw(/--tasks must be a positive whole number/);
    expect(() => parseExampleArgs(['--cpus', 'x'])).to.throw(/--cpus/);
    expect(() => parseExampleArgs(['--master', 'nohost'])).to.throw(/host:port/);
    expect(() => parseExampleArgs(['--bogus'])).to.throw(/bogus/);
  });
});
