// docs/sdk.md, "Testing without processes": the render farm on simulated
// agents with a test clock, and an agent lost mid-render.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, TestClock } from '@mesocosm/testing';
import { renderFrames } from './render-farm.js';

const RACK_OF: Record<string, string> = { a1: 'r1', a2: 'r1', b1: 'r2', b2: 'r2' };
const HOSTS = Object.keys(RACK_OF);

describe('render farm, on simulated agents', function () {
  this.timeout(60_000);

  it('re-renders the frame of an agent lost mid-render, in the same rack', async () => {
    const clock = new TestClock(); // the cluster's time moves only when the test says
    const cluster = await LocalCluster.start({
      clock,
      // No processes: each task runs 2 minutes of cluster time, then finishes.
      agents: HOSTS.map((hostname) => ({
        hostname,
        attributes: `rack:${RACK_OF[hostname]}`,
        simulated: { runMs: 120_000 },
      })),
    });
    try {
      const rendering = renderFrames({ master: cluster.masterUrl, frames: 4, logger: silentLogger });
      await cluster.waitForTasks((ts) => ts.filter((t) => t.state === 'TASK_RUNNING').length === 4);
      const frame0 = await cluster.waitForTask('render.frame-0', 'TASK_RUNNING');
      const lost = cluster.agents.findIndex((a) => a.agentId === frame0.agent_id);

      await cluster.loseAgent(lost); // the master's 75 s of patience pass at once
      await cluster.waitForTask('render.frame-0', 'TASK_LOST');
      await cluster.waitForTask('render.frame-0.retry-1', 'TASK_RUNNING');
      await cluster.advance(120_000); // two minutes of rendering: every frame ends

      const results = await rendering;
      expect(results.map((r) => r.state)).to.deep.equal(Array(4).fill('TASK_FINISHED'));
      expect(results[0]).to.include({ attempts: 2 });
      // GROUP_BY rack: the retry went to the other host of the rack that lost its frame.
      expect(results[0]?.hostname).to.not.equal(HOSTS[lost]);
      expect(RACK_OF[results[0]?.hostname ?? '']).to.equal(RACK_OF[HOSTS[lost] ?? '']);
    } finally {
      await cluster.stop();
    }
  });
});
