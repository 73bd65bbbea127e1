// DependencyGraph: children fire exactly once per complete set of parent
// successes, cycles are refused by name, and the persisted state survives a
// leader change without losing or repeating a child's run.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  DependencyGraph,
  JobValidationError,
  UnknownJobError,
  runIdFor,
  type DependencyState,
} from '../../src/index.js';

const run = (job: string, t: number): string => runIdFor(job, t);

function diamond(state?: DependencyState): DependencyGraph {
  return DependencyGraph.build([{ name: 'A' }, { name: 'B' }, { name: 'C', parents: ['A', 'B'] }], state);
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(JobValidationError);
    return (err as JobValidationError).problems.map((p) => p.message);
  }
  throw new Error('expected a JobValidationError');
}

describe('DependencyGraph', () => {
  it('diamond A, B -> C: C fires once, when the second parent succeeds', () => {
    const g = diamond();
    expect(g.onSuccess('A', run('A', 100), 1000)).to.deep.equal([]);
    expect(g.waitingOn('C')).to.deep.equal(['B']);
    const ready = g.onSuccess('B', run('B', 100), 2000);
    expect(ready).to.deep.equal([
      { job: 'C', runId: run('C', 2000), scheduledTime: 2000, parentRuns: { A: run('A', 100), B: run('B', 100) } },
    ]);
    expect(g.waitingOn('C')).to.deep.equal(['A', 'B']);
  });

  it('the full diamond A -> B, A -> C, B, C -> D fires D once per run of A', () => {
    const g = DependencyGraph.build([
      { name: 'A' },
      { name: 'B', parents: ['A'] },
      { name: 'C', parents: ['A'] },
      { name: 'D', parents: ['B', 'C'] },
    ]);
    let fired = 0;
    for (let round = 1; round <= 3; round++) {
      const t = round * 10_000;
      const children = g.onSuccess('A', run('A', t), t + 1);
      expect(children.map((c) => c.job)).to.deep.equal(['B', 'C']);
      for (const c of children) fired += g.onSuccess(c.job, c.runId, t + 2).filter((d) => d.job === 'D').length;
    }
    expect(fired).to.equal(3);
  });

  it('repeated successes of one parent before the child runs count once', () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    g.onSuccess('A', run('A', 200), 1100);
    g.onSuccess('A', run('A', 300), 1200);
    const ready = g.onSuccess('B', run('B', 100), 2000);
    expect(ready).to.have.length(1);
    expect(ready[0]?.parentRuns).to.deep.equal({ A: run('A', 300), B: run('B', 100) });
    expect(g.onSuccess('B', run('B', 200), 3000)).to.deep.equal([]);
  });

  it('a redelivered or stale success does not count again', () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    expect(g.onSuccess('B', run('B', 100), 2000)).to.have.length(1);
    // The same status updates again (a new leader re-reading them): nothing fires.
    expect(g.onSuccess('A', run('A', 100), 1000)).to.deep.equal([]);
    expect(g.onSuccess('B', run('B', 100), 2000)).to.deep.equal([]);
    expect(g.onSuccess('B', run('B', 50), 2500)).to.deep.equal([]);
    expect(g.waitingOn('C')).to.deep.equal(['A', 'B']);
  });

  it("a parent's failure does not fire the child: only successes are recorded", () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    // B failed: the scheduler reports nothing to the graph; C keeps waiting for B.
    expect(g.waitingOn('C')).to.deep.equal(['B']);
    expect(g.onSuccess('A', run('A', 200), 3000)).to.deep.equal([]);
  });

  it('restored from serialised state mid-DAG, fires neither twice nor never', () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    const stored = JSON.parse(JSON.stringify(g.toJSON())) as DependencyState;
    const restored = diamond(stored);
    expect(restored.waitingOn('C')).to.deep.equal(['B']);
    expect(restored.onSuccess('A', run('A', 100), 1000)).to.deep.equal([]);
    const ready = restored.onSuccess('B', run('B', 100), 2000);
    expect(ready.map((r) => r.runId)).to.deep.equal([run('C', 2000)]);

    // After the child fired and that state was persisted, a new leader
    // replaying the same successes does not fire it again.
    const after = diamond(JSON.parse(JSON.stringify(restored.toJSON())) as DependencyState);
    expect(after.onSuccess('A', run('A', 100), 1000)).to.deep.equal([]);
    expect(after.onSuccess('B', run('B', 100), 2000)).to.deep.equal([]);
  });

  it('any interleaving of successes, redeliveries and restores fires C once per complete round', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ parent: fc.constantFrom('A', 'B'), replay: fc.boolean(), restore: fc.boolean() }), {
          maxLength: 40,
        }),
        (events) => {
          let g = diamond();
          const latest: Record<string, number> = { A: 0, B: 0 };
          let clock = 0;
          const fired: string[] = [];
          let pending = new Set<string>();
          let expectedFires = 0;
          for (const e of events) {
            clock += 1;
            if (!e.replay || latest[e.parent] === 0) {
              latest[e.parent] = clock;
              pending.add(e.parent);
              if (pending.size === 2) {
                expectedFires++;
                pending = new Set();
              }
            }
            fired.push(...g.onSuccess(e.parent, run(e.parent, latest[e.parent] as number), clock).map((r) => r.runId));
            if (e.restore) g = diamond(JSON.parse(JSON.stringify(g.toJSON())) as DependencyState);
          }
          expect(fired).to.have.length(expectedFires);
          expect(new Set(fired).size).to.equal(fired.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a cycle, naming it', () => {
    const g = DependencyGraph.build([{ name: 'a' }, { name: 'b', parents: ['a'] }, { name: 'c', parents: ['b'] }]);
    expect(problemsOf(() => g.set('a', ['c']))).to.deep.equal(['dependency cycle a -> b -> c -> a']);
    expect(problemsOf(() => g.set('a', ['b']))).to.deep.equal(['dependency cycle a -> b -> a']);
    expect(g.parents('a')).to.deep.equal([]);
    expect(g.cycles()).to.deep.equal([]);
  });

  it('build names every cycle and every unknown parent', () => {
    const problems = problemsOf(() =>
      DependencyGraph.build([
        { name: 'a', parents: ['b'] },
        { name: 'b', parents: ['a'] },
        { name: 'x', parents: ['x'] },
        { name: 'y', parents: ['nope'] },
      ]),
    );
    expect(problems).to.deep.equal([
      "parent 'nope' does not exist",
      'dependency cycle a -> b -> a',
      'dependency cycle x -> x',
    ]);
  });

  it('changes parents, keeps state only for parents still linked, and refuses to remove a parent with children', () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    g.set('D');
    g.set('C', ['B', 'D']);
    expect(g.children('A')).to.deep.equal([]);
    expect(g.waitingOn('C')).to.deep.equal(['B', 'D']);
    expect(problemsOf(() => g.remove('B'))[0]).to.match(/is a parent of C/);
    g.set('C', ['D']);
    g.remove('B');
    expect(g.has('B')).to.equal(false);
    expect(() => g.children('B')).to.throw(UnknownJobError);
    expect(problemsOf(() => g.set('E', ['B']))[0]).to.match(/'B' does not exist/);
  });

  it('resetChild starts the set afresh (a manual run stands for a complete set)', () => {
    const g = diamond();
    g.onSuccess('A', run('A', 100), 1000);
    g.resetChild('C');
    expect(g.onSuccess('B', run('B', 100), 2000)).to.deep.equal([]);
    expect(g.waitingOn('C')).to.deep.equal(['A']);
  });
});
