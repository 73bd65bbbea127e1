// Job changes through the engine: endpoint kinds, cursors, deletion with
// Chronos' rewiring of children, unknown jobs, and the service's views.
import { expect } from 'chai';
import { COLLECTIONS, JobValidationError, UnknownJobError } from '../../src/index.js';
import { graphCsv, jobStats } from '../../src/engine/views.js';
import { Leader, advance, every, fixture } from './harness.js';

describe('ChronosEngine: jobs', () => {
  it('refuses a dependent job on the scheduled endpoint and the reverse, and unknown parents', async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    const refused = async (p: Promise<unknown>): Promise<unknown> =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(await refused(l.engine.putJob({ name: 'c', command: 'x', parents: ['p'] }, 'scheduled'))).to.be.instanceOf(
      JobValidationError,
    );
    expect(
      await refused(l.engine.putJob({ name: 'c', command: 'x', schedule: every(1, t0) }, 'dependent')),
    ).to.be.instanceOf(JobValidationError);
    const e = await refused(l.engine.putJob({ name: 'c', command: 'x', parents: ['nope'] }, 'dependent'));
    expect((e as JobValidationError).message).to.match(/parent 'nope' does not exist/);
    expect(await refused(l.engine.deleteJob('nope'))).to.be.instanceOf(UnknownJobError);
    expect(await refused(l.engine.runJob('nope'))).to.be.instanceOf(UnknownJobError);
    expect(await store.list(COLLECTIONS.jobs)).to.deep.equal([]);
  });

  it('stores a cron job with a cursor at its creation, kept when the job is replaced unchanged', async () => {
    const { store, clock } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'c', command: 'true', cron: '*/5 * * * *' }, 'scheduled');
    const created = clock.now();
    expect((await store.get(COLLECTIONS.cursors, 'c'))?.value).to.deep.equal({ lastScheduled: created - 1 });
    await advance(clock, [l.engine], 60_000);
    await l.engine.putJob({ name: 'c', command: 'echo changed', cron: '*/5 * * * *' }, 'scheduled');
    expect((await store.get(COLLECTIONS.jobs, 'c'))?.value).to.deep.include({ definedAt: created });
  });

  it("deletes a job as Chronos does: a dependent job's children inherit its parents; an orphan takes the schedule", async () => {
    const { store, clock, t0 } = fixture();
    const l = await Leader.start(store, clock);
    await l.engine.putJob({ name: 'root', command: 'true', schedule: every(3600, t0 + 3_600_000) }, 'scheduled');
    await l.engine.putJob({ name: 'mid', command: 'true', parents: ['root'] }, 'dependent');
    await l.engine.putJob({ name: 'leaf', command: 'true', parents: ['mid'] }, 'dependent');
    await l.engine.deleteJob('mid');
    expect(l.engine.state.graph.parents('leaf')).to.deep.equal(['root']);
    await l.engine.deleteJob('root');
    const leaf = l.engine.state.job('leaf')?.def;
    expect(leaf?.trigger.kind).to.equal('iso8601');
    expect(await store.list(COLLECTIONS.jobs)).to.deep.equal(['leaf']);
    expect(graphCsv(l.engine.state)).to.equal('node,leaf,fresh,idle\n');
    expect(jobStats(l.engine.state, 'leaf', 'fw')?.counters).to.deep.include({ successCount: 0 });
  });
});
