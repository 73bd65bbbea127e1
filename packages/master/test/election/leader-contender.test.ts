import { expect } from 'chai';
import { newId, type IMasterInfo } from '@mesocosm/protocol';
import { ZkClient, decodeMasterInfoJson } from '@mesocosm/protocol/zk';
import { LeaderContender, leaderOf } from '../../src/election/index.js';
import { requireZooKeeper, zooKeeperTesting, type ZooKeeperTesting } from './zookeeper-helpers.js';

const info = (n: number): IMasterInfo => ({
  id: `master-${n}`,
  hostname: 'localhost',
  ip: '127.0.0.1',
  port: 5050 + n,
  grpcPort: 5060 + n,
  version: 'test',
});

/** Polls `check` until it holds (10 s at most): the election reacts asynchronously. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Candidate {
  zk: ZkClient;
  contender: LeaderContender;
  events: string[];
}

describe('LeaderContender (real ZooKeeper)', function () {
  let testing: ZooKeeperTesting;
  let connectString = '';
  let path = '';
  const sessions: ZkClient[] = [];

  const candidate = async (n: number, connect = connectString, sessionTimeoutMs = 4_000): Promise<Candidate> => {
    const zk = await ZkClient.connect({ connect, sessionTimeoutMs });
    sessions.push(zk);
    const contender = new LeaderContender(zk, { path, info: info(n) });
    const events: string[] = [];
    contender.on('elected', (epoch) => events.push(`elected ${epoch}`));
    contender.on('deposed', () => events.push('deposed'));
    contender.on('ended', () => events.push('ended'));
    await contender.contend();
    return { zk, contender, events };
  };

  beforeEach(async function () {
    requireZooKeeper(this);
    testing = await zooKeeperTesting();
    connectString = (await testing.sharedZooKeeper()).connectString;
    path = `/test-election-${newId()}/mesos`;
  });
  afterEach(() => {
    for (const zk of sessions.splice(0)) zk.close();
  });

  it('lets the lowest sequence lead, with its sequence as epoch, and publishes MasterInfo JSON', async () => {
    const [a, b, c] = [await candidate(1), await candidate(2), await candidate(3)];
    expect([a.contender.sequence, b.contender.sequence, c.contender.sequence]).to.deep.equal([0, 1, 2]);
    await eventually(() => a.contender.leading, 'the first contender to lead');
    expect(a.events).to.deep.equal(['elected 0']);
    expect(b.events).to.deep.equal([]);
    expect(c.events).to.deep.equal([]);
    expect([b.contender.state, c.contender.state]).to.deep.equal(['contending', 'contending']);

    const children = await a.zk.getChildren(path);
    expect(leaderOf(children)).to.equal('json.info_0000000000');
    const published = decodeMasterInfoJson((await a.zk.get(`${path}/json.info_0000000002`)).data);
    expect(published).to.include({ id: 'master-3', grpcPort: 5063, port: 5053, ip: '127.0.0.1', epoch: 2 });
  });

  it('has each contender watch only its predecessor', async () => {
    const [a, b, c] = [await candidate(1), await candidate(2), await candidate(3)];
    await eventually(() => a.contender.leading, 'a leader');
    expect([a.zk.watchCount, b.zk.watchCount, c.zk.watchCount]).to.deep.equal([0, 1, 1]);
    const shared = await testing.sharedZooKeeper();
    if (shared.server) {
      // The server's own view: which of our paths have watches (no child watch on the election path).
      const wchp = await testing.fourLetterWord(shared.server.port, 'wchp');
      const watched = wchp.split('\n').filter((l) => l.startsWith(path));
      expect(watched.sort()).to.deep.equal([`${path}/json.info_0000000000`, `${path}/json.info_0000000001`]);
    }
  });

  it('elects the next contender when the leader session is closed', async () => {
    const [a, b, c] = [await candidate(1), await candidate(2), await candidate(3)];
    await eventually(() => a.contender.leading, 'a leader');
    a.zk.close();
    await eventually(() => b.contender.leading, 'the second contender to lead');
    expect(a.events).to.deep.equal(['elected 0', 'deposed', 'ended']);
    expect(b.events).to.deep.equal(['elected 1']);
    expect(c.events).to.deep.equal([]);
    expect(c.contender.state).to.equal('contending');
  });

  it('keeps the leader when a contender in the middle leaves, and wakes only its successor', async () => {
    const [a, b, c, d] = [await candidate(1), await candidate(2), await candidate(3), await candidate(4)];
    await eventually(() => a.contender.leading, 'a leader');
    const before = { c: c.contender.checks, d: d.contender.checks };
    await b.contender.withdraw();
    expect(b.events).to.deep.equal(['ended']);
    await eventually(() => c.contender.checks === before.c + 1 && c.zk.watchCount === 1, 'c to watch a');
    // A round trip on d's session after the deletion: a notification for it would have arrived by now.
    await d.zk.getChildren(path);
    expect(d.contender.checks).to.equal(before.d);
    expect(a.contender.leading).to.equal(true);
    expect([c.events, d.events]).to.deep.equal([[], []]);

    a.zk.close(); // c now follows a directly
    await eventually(() => c.contender.leading, 'c to lead after a');
    expect(c.events).to.deep.equal(['elected 2']);
    expect(d.contender.leading).to.equal(false);
  });

  it("sends the delete of a withdrawing leader's znode before its deposed listeners run", async () => {
    const [a, b] = [await candidate(1), await candidate(2)];
    await eventually(() => a.contender.leading, 'a leader');
    const znode = a.contender.znode ?? '';
    // ZooKeeper answers one session's requests in order: an exists sent by the listener
    // finds the znode gone only if the delete went out before the listener ran.
    let seenByListener: Promise<unknown> | undefined;
    a.contender.on('deposed', () => (seenByListener = a.zk.exists(znode)));
    await a.contender.withdraw();
    expect(await seenByListener).to.equal(null);
    expect(a.events).to.deep.equal(['elected 0', 'deposed', 'ended']);
    await eventually(() => b.contender.leading, 'the standby to lead');
  });

  it('ends a standby whose session expired, without deposing anyone', async () => {
    const [a, b] = [await candidate(1), await candidate(2)];
    await eventually(() => a.contender.leading, 'a leader');
    await testing.expireZooKeeperSession(b.zk);
    await eventually(() => b.contender.state === 'ended', 'the standby to end');
    expect(b.events).to.deep.equal(['ended']);
    expect(a.events).to.deep.equal(['elected 0']);
    expect(await a.zk.getChildren(path)).to.deep.equal(['json.info_0000000000']);
  });

  it('deposes the leader at its first disconnection (server paused), then lets the standby lead', async function () {
    const server = await testing.startZooKeeper();
    try {
      const a = await candidate(1, server.connectString, 1_000);
      const b = await candidate(2, server.connectString, 1_000);
      await eventually(() => a.contender.leading, 'a leader');
      const deposed = new Promise<string>((r) => a.contender.on('deposed', r));
      server.pause();
      expect(await deposed).to.match(/disconnected from ZooKeeper/);
      expect(a.contender.leading).to.equal(false);
      expect(b.events).to.deep.equal([]); // nobody leads while ZooKeeper is unreachable
      server.resume();
      // Either a's session survived and it gave up its znode, or the session expired: b leads.
      await eventually(() => b.contender.leading, 'the standby to lead');
      expect(a.events).to.deep.equal(['elected 0', 'deposed', 'ended']);
    } finally {
      server.resume();
      await server.stop();
    }
  });

  it('deposes the leader when the ensemble loses its quorum', async function () {
    this.timeout(60_000);
    const ensemble = await testing.startZooKeeperEnsemble(3);
    try {
      const a = await candidate(1, ensemble.connectString, 4_000);
      await eventually(() => a.contender.leading, 'a leader');
      const deposed = new Promise<string>((r) => a.contender.on('deposed', r));
      await ensemble.stopQuorum();
      expect(await deposed).to.match(/disconnected/);
      expect(a.contender.state).to.equal('ended');
    } finally {
      await ensemble.stop();
    }
  });
});
