// Chronos' records in a state store: written, read back, damaged ones reported.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileStateStore, MemoryStateStore, type StateStore } from '@mesocosm/framework-sdk/ha';
import { COLLECTIONS, ChronosStore, type RunRecord } from '../../src/index.js';

const run: RunRecord = {
  runId: 'j@1000',
  job: 'j',
  scheduledTime: 1000,
  trigger: 'schedule',
  state: 'running',
  attempt: 1,
  taskId: 'ct:1000:1:j',
  createdAt: 900,
  startedAt: 1100,
  agentId: 'a1',
  agentUrl: 'http://h:5051',
  args: ['x'],
  parentRuns: { p: 'p@1' },
};

for (const [kind, make] of [
  ['memory', async () => ({ store: new MemoryStateStore() as StateStore, done: async () => undefined })],
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'chronos-store-'));
      return { store: new FileStateStore(dir) as StateStore, done: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
] as const) {
  describe(`ChronosStore (${kind})`, () => {
    it('reads back what it wrote; a run is created once', async () => {
      const { store, done } = await make();
      try {
        const s = new ChronosStore(store);
        await s.putJob('j', {
          definition: { name: 'j', command: 'true', schedule: 'R/2026-01-01T00:00:00Z/PT1H' },
          definedAt: 5,
        });
        await s.putCursor('j', 1000);
        expect(await s.createRun(run)).to.equal(true);
        expect(await s.createRun({ ...run, state: 'launching' })).to.equal(false);
        await s.putHistory('j', {
          counters: {
            successCount: 1,
            errorCount: 0,
            skippedCount: 0,
            lastSuccess: 'x',
            lastError: '',
            errorsSinceLastSuccess: 0,
          },
          entries: [],
        });
        await s.putGraph({ c: { since: { j: 'j@1000' }, seen: { j: 'j@1000' } } });
        await store.put(COLLECTIONS.runs, 'broken', { runId: 3 });
        const loaded = await s.load();
        expect(loaded.jobs.get('j')?.definedAt).to.equal(5);
        expect(loaded.cursors.get('j')).to.equal(1000);
        expect(loaded.runs.get('j@1000')).to.deep.equal(run);
        expect(loaded.histories.get('j')?.counters.successCount).to.equal(1);
        expect(loaded.dependencies).to.deep.equal({ c: { since: { j: 'j@1000' }, seen: { j: 'j@1000' } } });
        expect(loaded.problems).to.have.length(1);
        expect(loaded.problems[0]).to.match(/^runs\/broken: /);
        await s.deleteJob('j');
        expect(await store.list(COLLECTIONS.jobs)).to.deep.equal([]);
        expect(await store.list(COLLECTIONS.cursors)).to.deep.equal([]);
      } finally {
        await store.close();
        await done();
      }
    });
  });
}
