// The scheduler driver behind a zk:// master: it subscribes to whichever
// master ZooKeeper names, and moves to the new one after a change of leader.
import { expect } from 'chai';
import { newId } from '@mesocosm/protocol';
import { ZkClient, encodeMasterInfoJson } from '@mesocosm/protocol/zk';
import { SchedulerDriver, silentLogger, type DisconnectedEvent } from '../../src/index.js';
import { FakeMaster } from '../helpers/fake-master.js';
import { waitFor } from '../helpers/wait-for.js';
import { requireZooKeeper, zooKeeperTesting } from './zookeeper-helpers.js';

describe('SchedulerDriver with ZooKeeper detection (real ZooKeeper, fake masters)', function () {
  const sessions: ZkClient[] = [];
  const masters: FakeMaster[] = [];
  let driver: SchedulerDriver | undefined;

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    for (const zk of sessions.splice(0)) zk.close();
    for (const m of masters.splice(0)) await m.stop();
  });

  it('re-subscribes to the new leader when the published one goes away', async function () {
    requireZooKeeper(this);
    const { connectString } = await (await zooKeeperTesting()).sharedZooKeeper();
    const path = `/test-redetect-${newId()}/mesos`;
    /** Each fake master's "election session": closing it is the master losing ZooKeeper. */
    const publish = async (m: FakeMaster): Promise<ZkClient> => {
      const zk = await ZkClient.connect({ connect: connectString });
      sessions.push(zk);
      await zk.mkdirp(path);
      await zk.create(
        `${path}/json.info_`,
        encodeMasterInfoJson({ id: m.address, ip: '127.0.0.1', port: 5050, grpcPort: m.port, version: 't' }),
        'EPHEMERAL_SEQUENTIAL',
      );
      return zk;
    };
    const a = await FakeMaster.start();
    const b = await FakeMaster.start();
    masters.push(a, b);
    const sessionA = await publish(a);
    await publish(b); // a standby: queued behind a

    const d = new SchedulerDriver({
      master: `zk://${connectString}${path}`,
      framework: { name: 'ha', user: 'nobody' },
      logger: silentLogger,
      reconnectBackoffMs: 10,
    });
    driver = d;
    const disconnects: DisconnectedEvent[] = [];
    d.on('disconnected', (e) => {
      disconnects.push(e);
    });
    const first = await d.start();
    expect(a.streams).to.have.length(1);
    expect(b.streams).to.have.length(0);

    sessionA.close(); // a's znode goes; b is now the lowest
    await waitFor(() => b.streams[0]?.streamId, 'a subscription to b');
    const resubscribe = b.streams[0]?.call;
    expect(b.streams[0]?.frameworkId).to.equal(first.frameworkId);
    expect(resubscribe).to.not.equal(undefined);
    // a's stream was left, not kept open beside the new one.
    await waitFor(() => a.streams[0]?.call.cancelled || a.streams[0]?.ended, 'the stream to a to close');
    expect(disconnects.map((e) => [e.reason, e.willReconnect])).to.deep.equal([
      [`a new leading master was detected at ${b.address}`, true],
    ]);
  });
});
