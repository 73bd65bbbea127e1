// Two masters on a real ZooKeeper: the standby's feed names the leader
// (LEADER), its pages redirect to the leader (307) except the summary,
// both know every master of the group, and when the leader stops the
// standby's feed clients get a SNAPSHOT from it as the new leader.
import { expect } from 'chai';
import { newId, silentLogger } from '@mesocosm/protocol';
import { Master } from '../../src/index.js';
import type { StateSummary } from '../../src/views/feed-types.js';
import { requireZooKeeper, zooKeeperTesting } from '../election/zookeeper-helpers.js';
import { waitFor } from '../helpers/wait-for.js';
import { FeedClient } from './feed-client.js';
import { getJson } from './ops-fixture.js';

describe('operator pages and feed of a standby (real ZooKeeper, two masters)', function () {
  this.timeout(60_000);
  const masters: Master[] = [];
  const clients: FeedClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const m of masters.splice(0)) await m.stop();
  });

  it('a standby sends LEADER and redirects its pages; once elected its clients get a SNAPSHOT', async function () {
    requireZooKeeper(this);
    const { connectString } = await (await zooKeeperTesting()).sharedZooKeeper();
    const zk = `zk://${connectString}/test-ops-standby-${newId()}/mesos`;
    const start = async (): Promise<Master> => {
      const m = await Master.start({
        ip: '127.0.0.1',
        port: 0,
        grpcPort: 0,
        logger: silentLogger,
        zk,
        zkSessionTimeoutMs: 2_000,
        onDeposed: () => undefined,
      });
      masters.push(m);
      return m;
    };
    const m1 = await start();
    await waitFor(() => m1.leading && !m1.state().recovering, 'm1 leading');
    const m2 = await start();
    expect(m2.leading).to.equal(false);
    const both = [m1.httpUrl, m2.httpUrl];

    const onStandby = await FeedClient.open(m2.httpUrl);
    clients.push(onStandby);
    const leader = await onStandby.take('LEADER', (m) => m.leader_url === m1.httpUrl && m.masters.length === 2);
    expect(leader.masters).to.deep.equal(both);
    expect(onStandby.types()).to.not.include('SNAPSHOT');

    const onLeader = await FeedClient.open(m1.httpUrl);
    clients.push(onLeader);
    const snap = await onLeader.take('SNAPSHOT');
    expect(snap.summary.elected).to.equal(true);
    const masters1 = await waitFor(async () => {
      const s = (await getJson<StateSummary>(`${m1.httpUrl}/master/state-summary`)).body;
      return s.masters.length === 2 && s.masters;
    }, 'the leader knowing both masters');
    expect(masters1).to.deep.equal(both);

    const summary = await getJson<StateSummary>(`${m2.httpUrl}/master/state-summary`);
    expect(summary.status).to.equal(200);
    expect(summary.body).to.include({ elected: false, leader_url: m1.httpUrl });
    const tasks = await getJson<unknown>(`${m2.httpUrl}/master/tasks?state=running&limit=5`);
    expect(tasks.status).to.equal(307);
    expect(tasks.headers.get('location')).to.equal(`${m1.httpUrl}/master/tasks?state=running&limit=5`);
    const followed = await fetch(`${m2.httpUrl}/master/slaves`);
    expect(followed.status).to.equal(200);
    expect(followed.url).to.equal(`${m1.httpUrl}/master/slaves`);
    const teardown = await fetch(`${m2.httpUrl}/master/teardown`, {
      method: 'POST',
      body: 'framework_id=x',
      redirect: 'manual',
    });
    expect(teardown.status).to.equal(307);
    const metrics = await getJson<Record<string, number>>(`${m2.httpUrl}/metrics/snapshot`);
    expect(metrics.body['master/elected']).to.equal(0);

    await m1.stop();
    const elected = await onStandby.take('SNAPSHOT', () => true, 30_000);
    expect(elected.summary).to.include({ elected: true, leader_url: m2.httpUrl });
    expect(await waitFor(() => onLeader.closeCode, 'the old leader closing its feed')).to.equal(1001);
    await waitFor(() => m2.leading, 'm2 leading');
    expect((await getJson<unknown>(`${m2.httpUrl}/master/tasks`)).status).to.equal(200);
  });
});
