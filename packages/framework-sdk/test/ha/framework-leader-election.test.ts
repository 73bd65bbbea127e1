import { expect } from 'chai';
import { newId } from '@mesocosm/protocol';
import { ZkClient } from '@mesocosm/protocol/zk';
import { FrameworkLeaderElection, HaClosedError, ZooKeeperConnection, type LeaderInfo } from '../../src/ha/index.js';
import { requireZooKeeper, zooKeeperTesting, type ZooKeeperTesting } from '../detector/zookeeper-helpers.js';
import { waitFor } from '../helpers/wait-for.js';

const info = (n: number): LeaderInfo => ({
  id: `instance-${n}`,
  hostname: 'localhost',
  port: 8080 + n,
  url: `http://localhost:${8080 + n}`,
});

interface Instance {
  n: number;
  connection: ZooKeeperConnection;
  election: FrameworkLeaderElection;
  /** Every event, in order: `elected`, `deposed`, `leader <n>` / `leader none`. */
  events: string[];
}

describe('FrameworkLeaderElection (real ZooKeeper)', function () {
  this.timeout(40_000);
  let testing: ZooKeeperTesting;
  let connectString = '';
  let url = '';
  let observer: ZkClient;
  const instances: Instance[] = [];

  const instance = async (n: number, start = true, connect = connectString): Promise<Instance> => {
    const connection = new ZooKeeperConnection(url.replace(connectString, connect), { sessionTimeoutMs: 2_000 });
    const election = new FrameworkLeaderElection(connection, { info: info(n) });
    const events: string[] = [];
    election.on('elected', () => events.push('elected'));
    election.on('deposed', () => events.push('deposed'));
    election.on('leaderChanged', (l) => events.push(`leader ${l?.id.replace('instance-', '') ?? 'none'}`));
    const it = { n, connection, election, events };
    instances.push(it);
    if (start) await election.start();
    return it;
  };
  const three = async (): Promise<[Instance, Instance, Instance]> => {
    const a = await instance(1);
    await waitFor(() => a.election.isLeader, 'the first instance to lead', 10_000);
    const b = await instance(2);
    const c = await instance(3);
    await waitFor(() => b.election.leader() && c.election.leader(), 'the standbys to know the leader', 10_000);
    return [a, b, c];
  };
  const memberData = async (): Promise<unknown[]> => {
    const dir = `${url.slice(url.indexOf('/', 'zk://'.length))}/leader`;
    const names = (await observer.getChildren(dir)).sort((x, y) => x.slice(-10).localeCompare(y.slice(-10)));
    return Promise.all(names.map(async (name) => JSON.parse((await observer.get(`${dir}/${name}`)).data.toString())));
  };

  beforeEach(async function () {
    requireZooKeeper(this);
    testing = await zooKeeperTesting();
    connectString = (await testing.sharedZooKeeper()).connectString;
    url = `zk://${connectString}/test-ha-${newId()}/marathon`;
    observer = await ZkClient.connect({ connect: connectString });
  });
  afterEach(async () => {
    for (const i of instances.splice(0)) {
      await i.election.withdraw();
      i.connection.close();
    }
    observer?.close();
  });

  it('lets the lowest sequence lead and tells every instance who leads', async () => {
    const [a, b, c] = await three();
    expect(a.events).to.deep.equal(['elected', 'leader 1']);
    expect(b.events).to.deep.equal(['leader 1']);
    expect(c.events).to.deep.equal(['leader 1']);
    expect([a.election.state, b.election.state, c.election.state]).to.deep.equal(['leading', 'standby', 'standby']);
    expect(b.election.leader()).to.deep.equal(info(1));
    expect(a.election.epoch).to.equal(0);
    expect(b.election.epoch).to.equal(undefined);
    // Ephemeral sequential znodes under <path>/leader, holding {id, hostname, port, url}.
    expect(await memberData()).to.deep.equal([info(1), info(2), info(3)]);
    expect(a.election.znode).to.match(/\/marathon\/leader\/member_[0-9a-f-]+_0000000000$/);
    // The leader watches its own znode; each standby watches the leader's, once.
    expect([a, b, c].map((i) => i.connection.current?.watchCount)).to.deep.equal([1, 1, 1]);
  });

  it('elects exactly the next instance when the leader’s session ends', async () => {
    const [a, b, c] = await three();
    a.connection.close(); // as a kill -9: the server drops the session and its znode at once
    await waitFor(() => b.election.isLeader, 'the second instance to lead', 10_000);
    await waitFor(() => c.election.leader()?.id === 'instance-2', 'c to learn the new leader', 10_000);
    expect(a.events).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none']);
    expect(b.events).to.deep.equal(['leader 1', 'elected', 'leader 2']);
    expect(c.events).to.deep.equal(['leader 1', 'leader 2']);
    expect(c.election.state).to.equal('standby');
    expect(b.election.epoch).to.equal(1);
  });

  it('wakes nobody when an instance in the middle of the queue leaves', async () => {
    const [a, b, c] = await three();
    const before = { a: a.election.checks, c: c.election.checks };
    await b.election.withdraw();
    expect(b.events).to.deep.equal(['leader 1']); // a standby withdrawing is not deposed
    // A round trip on c's session after the deletion: a notification for it would have arrived by now.
    await c.connection.current?.getChildren(c.election.electionPath);
    expect(await memberData()).to.deep.equal([info(1), info(3)]);
    expect({ a: a.election.checks, c: c.election.checks }).to.deep.equal(before);
    expect([a.events, c.events]).to.deep.equal([['elected', 'leader 1'], ['leader 1']]);
    expect(c.connection.current?.watchCount).to.equal(1);
    // c still follows the leader directly.
    a.connection.close();
    await waitFor(() => c.election.isLeader, 'c to lead after a', 10_000);
    expect(c.election.epoch).to.equal(2);
  });

  it('deposes a leader whose session expired, then stands it again by itself as a standby', async () => {
    const [a, b, c] = await three();
    const session = a.connection.current ?? expect.fail('a has a session');
    await testing.expireZooKeeperSession(session);
    await waitFor(() => b.election.isLeader, 'b to lead', 10_000);
    // Generous: under load the C client takes seconds to open the new session.
    await waitFor(() => a.election.state === 'standby' && a.election.leader()?.id === 'instance-2', 'a back', 30_000);
    expect(a.connection.current).to.not.equal(session); // a new session
    // The expiry is forced by taking the session over from a twin client, which may take a few
    // tries: meanwhile a can get its session back once, lose the connection again before it has
    // deleted its old znode, and so see that znode (itself, instance 1) lead until the expiry
    // removes it. It never leads meanwhile, and ends following instance 2.
    expect(a.events.slice(0, 4)).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none']);
    expect(a.events.at(-1)).to.equal('leader 2');
    expect(a.events.slice(4, -1).every((e) => e === 'leader 1')).to.equal(true, a.events.join(', '));
    expect(c.events).to.deep.equal(['leader 1', 'leader 2']);
    expect(await memberData()).to.deep.equal([info(2), info(3), info(1)]);
    // And it leads again when its turn comes.
    b.connection.close();
    c.connection.close();
    await waitFor(() => a.election.isLeader, 'a to lead again', 10_000);
    expect(a.events.slice(-2)).to.deep.equal(['elected', 'leader 1']);
  });

  it('re-enters a standby whose session expired, without deposing anyone', async () => {
    const [a, b] = await three();
    const session = b.connection.current ?? expect.fail('b has a session');
    await testing.expireZooKeeperSession(session);
    await waitFor(() => b.connection.current !== undefined && b.connection.current !== session, 'a new session');
    await waitFor(() => b.election.state === 'standby', 'b to stand again', 10_000);
    expect(await memberData()).to.deep.equal([info(1), info(3), info(2)]);
    expect(a.events).to.deep.equal(['elected', 'leader 1']);
    expect(b.events).to.deep.equal(['leader 1']);
    expect(a.election.isLeader).to.equal(true);
  });

  it('deposes the leader at its first disconnection and re-elects it once ZooKeeper is back', async function () {
    const server = await testing.startZooKeeper();
    try {
      const a = await instance(1, true, server.connectString);
      await waitFor(() => a.election.isLeader, 'a to lead', 10_000);
      const deposed = new Promise<string>((r) => a.election.on('deposed', r));
      server.pause();
      expect(await deposed).to.match(/disconnected from ZooKeeper/);
      expect(a.election.isLeader).to.equal(false);
      server.resume();
      // Alone, it leads again (its old znode deleted, or its session expired and renewed).
      await waitFor(() => a.election.isLeader, 'a to lead again', 15_000);
      expect(a.events).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none', 'elected', 'leader 1']);
      const members = await a.connection.current?.getChildren(a.election.electionPath);
      expect(members).to.have.length(1);
      expect(a.election.epoch).to.equal(1);
    } finally {
      server.resume();
      for (const i of instances.splice(0)) {
        await i.election.withdraw();
        i.connection.close();
      }
      await server.stop();
    }
  });

  it('deposes a leader whose znode is deleted by hand, and stands it again behind the new leader', async () => {
    const [a, b] = await three();
    await observer.delete(a.election.znode ?? expect.fail('a has a znode'));
    await waitFor(() => b.election.isLeader, 'b to lead', 10_000);
    // Generous: under load the C client takes seconds to open the new session.
    await waitFor(() => a.election.state === 'standby' && a.election.leader()?.id === 'instance-2', 'a back', 30_000);
    expect(a.events).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none', 'leader 2']);
    expect(await memberData()).to.deep.equal([info(2), info(3), info(1)]);
  });

  it('stands again by itself when its session is lost without expiring (closed under it)', async () => {
    const [a, b] = await three();
    a.connection.current?.close(); // as the addon does when it gives up on a connection
    await waitFor(() => b.election.isLeader, 'b to lead', 10_000);
    await waitFor(
      () => a.election.state === 'standby' && a.election.leader()?.id === 'instance-2',
      'a to stand again',
      10_000,
    );
    expect(a.events).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none', 'leader 2']);
  });

  it('withdraws: a leader is deposed and the next leads; a withdrawn election cannot start again', async () => {
    const [a, b] = await three();
    await a.election.withdraw();
    expect(a.events).to.deep.equal(['elected', 'leader 1', 'deposed', 'leader none']);
    await waitFor(() => b.election.isLeader, 'b to lead', 10_000);
    try {
      await a.election.start();
      expect.fail('started again');
    } catch (err) {
      expect(err).to.be.instanceOf(HaClosedError);
    }
  });

  it('rejects start() when ZooKeeper cannot be reached, and stays idle', async () => {
    const connection = new ZooKeeperConnection('zk://127.0.0.1:1/marathon', { connectTimeoutMs: 300 });
    const election = new FrameworkLeaderElection(connection, { info: info(9) });
    try {
      await election.start();
      expect.fail('started without ZooKeeper');
    } catch (err) {
      expect((err as Error).message).to.match(/could not connect to ZooKeeper at 127\.0\.0\.1:1/);
    }
    expect(election.state).to.equal('idle');
    connection.close();
  });
});
