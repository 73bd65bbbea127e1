// docs/sdk.md, "Master failover": the render farm carries on while the
// leading master is killed and the standby takes over.
import { expect } from 'chai';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, findZooKeeperInstall, sharedZooKeeper } from '@mesocosm/testing';
import { renderFrames } from './render-farm.js';

/** True when no ZooKeeper can be started or reached here. */
function noZooKeeper(): boolean {
  if (process.env['MESOCOSM_ZK']) return false;
  try {
    findZooKeeperInstall();
    return false;
  } catch {
    return true;
  }
}

describe('render farm, through a master failover', function () {
  this.timeout(90_000);

  it('finishes every frame, none lost, while the standby master takes over', async function () {
    if (noZooKeeper() && process.env['CI'] !== 'true') this.skip(); // CI must have it
    const { connectString } = await sharedZooKeeper(); // a real ZooKeeper for this test process
    const cluster = await LocalCluster.start({
      zk: connectString,
      masters: 2, // elected in ZooKeeper: one leads, one stands by
      agents: [
        { hostname: 'a1', attributes: 'rack:r1' },
        { hostname: 'b1', attributes: 'rack:r2' },
      ],
    });
    try {
      // masterUrl is the zk:// URL: the framework (and the agents) follow the leader.
      const rendering = renderFrames({
        master: cluster.masterUrl,
        frames: 4,
        command: () => 'sleep 3',
        logger: silentLogger,
      });
      await cluster.waitForTasks((ts) => ts.filter((t) => t.state === 'TASK_RUNNING').length === 4);
      const next = await cluster.failover(); // kills the leader; resolves once the standby leads
      expect(next.leading).to.equal(true);

      const results = await rendering;
      expect(results.map((r) => r.state)).to.deep.equal(Array(4).fill('TASK_FINISHED'));
      expect(results.map((r) => r.attempts)).to.deep.equal([1, 1, 1, 1]); // nothing was lost
    } finally {
      await cluster.stop();
    }
  });
});
