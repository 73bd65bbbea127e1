// The web UI follows the leader: opened on a standby it moves to the leader;
// when the leader is killed (kill -9) it finds the new leader among the
// masters it knows and ends there, on the same page, showing the cluster.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { sharedZooKeeper, waitFor } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';
import { FaultCluster } from '../fault/fault-cluster.js';
import { launchChromium, openPage, screenshot, waitLive } from './browser.js';

describe('master web UI follows a master failover (ZooKeeper, processes)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let cluster: FaultCluster | undefined;

  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it('moves from a standby to the leader, and to the new leader after kill -9 of the old one', async function () {
    requireInfra(this, 'zookeeper');
    browser = await launchChromium(this);
    const { connectString } = await sharedZooKeeper();
    cluster = await FaultCluster.start({ zkConnect: connectString, masters: 2, agents: 1 });
    const c = cluster;
    const leader = await c.waitForLeader();
    const standby = c.masters.find((m) => m !== leader.master);
    const leaderUrl = leader.master.process.ready.http ?? '';
    const standbyUrl = standby?.process.ready.http ?? '';
    expect(standbyUrl).to.match(/^http:/);
    const agentId = await waitFor(async () => (await c.waitForLeader()).state.slaves[0]?.id, {
      message: 'the agent registered',
    });

    const errors: string[] = [];
    const page = await openPage(browser, errors);
    // Opened on the standby: it names the leader, and the page goes there, keeping its hash.
    await page.goto(`${standbyUrl}/#/agents`);
    await page.waitForURL(`${leaderUrl}/#/agents`).catch(async (err: unknown) => {
      // The standby sent the page to the leader (the failed navigation names it), but Chromium
      // lost that first load to a reset connection (seen once on a quiet machine): load it again.
      if (!String(err).includes('ERR_CONNECTION_RESET') || !String(err).includes(leaderUrl)) throw err;
      await page.goto(`${leaderUrl}/#/agents`);
    });
    await waitLive(page);
    await page.getByTestId(`agent-row-${agentId}`).waitFor();
    expect(await page.getByTestId('leader-url').textContent()).to.equal(leaderUrl);

    await leader.master.process.kill('SIGKILL');
    // The socket drops; the page tries the masters it knows and ends on the new leader.
    await page.waitForURL(`${standbyUrl}/#/agents`, { timeout: 60_000 });
    await waitLive(page, 30_000);
    const after = await c.waitForLeader();
    expect(after.master).to.equal(standby);
    await page.getByTestId('leader-url').filter({ hasText: standbyUrl }).waitFor();
    // The agent re-registers with the new leader and the page shows it.
    await page.getByTestId(`agent-row-${agentId}`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(`agent-cpus-${agentId}`).getAttribute('data-total')).to.equal('4');
    await screenshot(page, 'failover-agents');
    expect(errors, 'errors in the page').to.deep.equal([]);
  });
});
