// The tutorial's test (docs/sdk.md shows this whole file): the render farm
// on a LocalCluster of four agents in two racks.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster } from '@mesocosm/testing';
import { renderFrames } from './render-farm.js';

const RACK_OF: Record<string, string> = { a1: 'r1', a2: 'r1', b1: 'r2', b2: 'r2' };

describe('render farm', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;

  before(async () => {
    // A real master and four real agents, in this process, on free ports.
    cluster = await LocalCluster.start({
      agents: Object.entries(RACK_OF).map(([hostname, rack]) => ({ hostname, attributes: `rack:${rack}` })),
    });
  });
  after(() => cluster?.stop());

  it('renders every frame, at most two per host, spread evenly over the racks', async () => {
    const results = await renderFrames({ master: cluster.masterUrl, frames: 6, logger: silentLogger });

    expect(results.map((r) => r.state)).to.deep.equal(Array(6).fill('TASK_FINISHED'));
    const count = (key: (host: string) => string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of results) out[key(r.hostname)] = (out[key(r.hostname)] ?? 0) + 1;
      return out;
    };
    expect(count((h) => RACK_OF[h] ?? '?')).to.deep.equal({ r1: 3, r2: 3 });
    expect(Math.max(...Object.values(count((h) => h)))).to.be.at.most(2);
    // The master agrees: it lists each frame, finished, on one of the cluster's agents.
    const task = await cluster.waitForTask('render.frame-0', 'TASK_FINISHED');
    expect(cluster.agents.map((a) => a.agentId)).to.include(task.agent_id);
  });

  it('retries a failed frame, with backoff, until it renders', async () => {
    const results = await renderFrames({
      master: cluster.masterUrl,
      frames: 2,
      job: 'flaky',
      command: (frame, attempt) => (frame === 1 && attempt === 0 ? 'exit 3' : 'true'),
      logger: silentLogger,
    });

    expect(results[0]).to.include({ state: 'TASK_FINISHED', attempts: 1 });
    expect(results[1]).to.include({ state: 'TASK_FINISHED', attempts: 2, taskId: 'flaky.frame-1.retry-1' });
    const failed = await cluster.waitForTask('flaky.frame-1', 'TASK_FAILED');
    expect(failed.statuses.at(-1)?.message).to.match(/3/); // the exit status
  });
});
