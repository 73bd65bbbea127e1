import { expect } from 'chai';
import { createServer } from 'node:net';
import { newId } from '../../src/index.js';
import { ZkClient, ZkError, type ZkWatchEvent } from '../../src/zk/index.js';
import { requireZooKeeper, zooKeeperTesting } from './helpers/zookeeper.js';

async function rejection(p: Promise<unknown>): Promise<ZkError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ZkError) return err;
    throw err;
  }
  throw new Error('expected a ZkError');
}

/** Resolves with the first call of a one-shot watch. */
function watchEvent(): { watcher: (e: ZkWatchEvent) => void; fired: Promise<ZkWatchEvent>; count: () => number } {
  let calls = 0;
  let resolve: (e: ZkWatchEvent) => void = () => {};
  const fired = new Promise<ZkWatchEvent>((r) => (resolve = r));
  return {
    watcher: (e) => {
      calls++;
      resolve(e);
    },
    fired,
    count: () => calls,
  };
}

describe('ZkClient (real ZooKeeper)', function () {
  let connectString = '';
  const clients: ZkClient[] = [];
  const connect = async (sessionTimeoutMs = 4_000): Promise<ZkClient> => {
    const zk = await ZkClient.connect({ connect: connectString, sessionTimeoutMs });
    clients.push(zk);
    return zk;
  };
  let root = '';

  beforeEach(async function () {
    requireZooKeeper(this);
    connectString = (await (await zooKeeperTesting()).sharedZooKeeper()).connectString;
    root = `/test-client-${newId()}`;
  });
  afterEach(() => {
    for (const zk of clients.splice(0)) zk.close();
  });

  it('creates, reads, updates and deletes znodes', async () => {
    const zk = await connect();
    expect(zk.state).to.equal('connected');
    expect(zk.sessionTimeoutMs).to.equal(4_000);
    await zk.mkdirp(`${root}/a/b`);
    await zk.mkdirp(`${root}/a/b`); // idempotent
    expect(await zk.create(`${root}/a/b/c`, 'hello')).to.equal(`${root}/a/b/c`);
    const got = await zk.get(`${root}/a/b/c`);
    expect(got.data.toString()).to.equal('hello');
    expect(got.stat.version).to.equal(0);
    expect(got.stat.ephemeralOwner).to.equal('0');
    expect((await zk.set(`${root}/a/b/c`, 'again', 0)).version).to.equal(1);
    expect(await zk.getChildren(`${root}/a/b`)).to.deep.equal(['c']);
    expect((await zk.exists(`${root}/a/b/c`))?.dataLength).to.equal(5);
    await zk.delete(`${root}/a/b/c`, 1);
    expect(await zk.exists(`${root}/a/b/c`)).to.equal(null);
  });

  it('numbers sequential znodes and ties ephemeral ones to the session', async () => {
    const owner = await connect();
    const observer = await connect();
    await owner.mkdirp(root);
    const first = await owner.create(`${root}/n_`, '', 'EPHEMERAL_SEQUENTIAL');
    const second = await owner.create(`${root}/n_`, '', 'PERSISTENT_SEQUENTIAL');
    expect(first).to.equal(`${root}/n_0000000000`);
    expect(second).to.equal(`${root}/n_0000000001`);
    expect((await observer.exists(first))?.ephemeralOwner).to.equal(owner.sessionId);
    const gone = watchEvent();
    await observer.exists(first, gone.watcher);
    owner.close();
    expect(await gone.fired).to.deep.equal({ type: 'deleted', path: first });
    expect((await observer.getChildren(root)).sort()).to.deep.equal(['n_0000000001']);
  });

  it('raises typed errors named by ZooKeeper', async () => {
    const zk = await connect();
    await zk.mkdirp(`${root}/x`);
    const noNode = await rejection(zk.get(`${root}/missing`));
    expect(noNode.zkCode).to.equal('NONODE');
    expect(noNode.path).to.equal(`${root}/missing`);
    expect(noNode.message).to.match(/get .*missing failed: NONODE/);
    expect((await rejection(zk.create(`${root}/x`))).zkCode).to.equal('NODEEXISTS');
    expect((await rejection(zk.create(`${root}/no/parent`))).zkCode).to.equal('NONODE');
    expect((await rejection(zk.set(`${root}/x`, 'v', 42))).zkCode).to.equal('BADVERSION');
    expect((await rejection(zk.delete(root))).zkCode).to.equal('NOTEMPTY');
    const eph = await zk.create(`${root}/e`, '', 'EPHEMERAL');
    expect((await rejection(zk.create(`${eph}/child`))).zkCode).to.equal('NOCHILDRENFOREPHEMERALS');
    expect(ZkError.is(noNode, 'NONODE')).to.equal(true);
    expect(noNode.code).to.equal('INTERNAL');
  });

  it('fires each watch once, for the first change only, and counts the watches still set', async () => {
    const zk = await connect();
    const other = await connect();
    await zk.mkdirp(`${root}/w`);
    const data = watchEvent();
    const children = watchEvent();
    const creation = watchEvent();
    await zk.get(`${root}/w`, data.watcher);
    await zk.getChildren(`${root}/w`, children.watcher);
    expect(await zk.exists(`${root}/later`, creation.watcher)).to.equal(null);
    expect(zk.watchCount).to.equal(3);

    await other.set(`${root}/w`, '1');
    expect(await data.fired).to.deep.equal({ type: 'changed', path: `${root}/w` });
    await other.create(`${root}/w/c1`);
    expect(await children.fired).to.deep.equal({ type: 'child', path: `${root}/w` });
    await other.create(`${root}/later`);
    expect(await creation.fired).to.deep.equal({ type: 'created', path: `${root}/later` });
    expect(zk.watchCount).to.equal(0);

    // Later changes do not call the spent watchers again.
    await other.set(`${root}/w`, '2');
    await other.create(`${root}/w/c2`);
    // A read after the writes: ZooKeeper delivers a notification before later replies.
    await zk.get(`${root}/w`);
    expect([data.count(), children.count(), creation.count()]).to.deep.equal([1, 1, 1]);
  });

  it('does not keep a watch when the read fails', async () => {
    const zk = await connect();
    const w = watchEvent();
    await rejection(zk.get(`${root}/missing`, w.watcher));
    expect(zk.watchCount).to.equal(0);
  });

  it('reports closed, and refuses operations afterwards with CLOSING', async () => {
    const zk = await connect();
    const events: string[] = [];
    zk.on('closed', (e) => events.push(e));
    zk.close();
    zk.close();
    expect(zk.state).to.equal('closed');
    expect(events).to.deep.equal(['closed']);
    expect((await rejection(zk.get('/'))).zkCode).to.equal('CLOSING');
  });

  it('reports an expired session: its ephemeral znodes are gone and calls fail with SESSIONEXPIRED', async () => {
    const testing = await zooKeeperTesting();
    const zk = await connect();
    const observer = await connect();
    await zk.mkdirp(root);
    const eph = await zk.create(`${root}/e`, '', 'EPHEMERAL');
    const events: string[] = [];
    zk.on('disconnected', (e) => events.push(e)).on('expired', (e) => events.push(e));
    await testing.expireZooKeeperSession(zk);
    expect(zk.state).to.equal('expired');
    expect(events).to.include('expired');
    expect(await observer.exists(eph)).to.equal(null);
    expect((await rejection(zk.get('/'))).zkCode).to.equal('SESSIONEXPIRED');
  });

  it('reports disconnected while the server does not answer, and connected when it does again', async function () {
    requireZooKeeper(this);
    const server = await (await zooKeeperTesting()).startZooKeeper();
    try {
      const zk = await ZkClient.connect({ connect: server.connectString, sessionTimeoutMs: 1_000 });
      clients.push(zk);
      const disconnected = new Promise((r) => zk.on('disconnected', r));
      server.pause();
      await disconnected;
      expect(zk.state).to.equal('disconnected');
      const reconnected = new Promise((r) => zk.on('connected', r));
      server.resume();
      await reconnected;
    } finally {
      server.resume();
      await server.stop();
    }
  });

  it('fails to connect within the timeout when nothing listens, with CONNECTIONLOSS', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const err = await rejection(ZkClient.connect({ connect: `127.0.0.1:${port}`, connectTimeoutMs: 300 }));
    expect(err.zkCode).to.equal('CONNECTIONLOSS');
    expect(err.message).to.match(/could not connect to ZooKeeper at 127\.0\.0\.1:\d+ within 300 ms/);
  });
});
