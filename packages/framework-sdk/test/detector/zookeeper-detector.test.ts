import { expect } from 'chai';
import { newId } from '@mesocosm/protocol';
import { ZkClient, encodeMasterInfoJson } from '@mesocosm/protocol/zk';
import { DetectorClosedError, ValidationError, ZooKeeperMasterDetector } from '../../src/index.js';
import { requireZooKeeper, zooKeeperTesting } from './zookeeper-helpers.js';

/** Settles-or-not, without waiting: true when `p` is still pending after a ZooKeeper round trip on `zk`. */
async function stillPending(p: Promise<unknown>, zk: ZkClient, path: string): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await zk.getChildren(path);
  await new Promise((r) => setTimeout(r, 100)); // let the detector's own round trip finish too
  return !settled;
}

describe('ZooKeeperMasterDetector (real ZooKeeper)', function () {
  let zk: ZkClient;
  let path = '';
  let url = '';
  const detectors: ZooKeeperMasterDetector[] = [];
  const detector = (): ZooKeeperMasterDetector => {
    const d = new ZooKeeperMasterDetector(url, { sessionTimeoutMs: 4_000 });
    detectors.push(d);
    return d;
  };
  /** Publishes a contender the way a master does: an ephemeral sequential json.info_ znode. */
  const publish = (grpcPort: number, ip = '127.0.0.1'): Promise<string> =>
    zk.create(
      `${path}/json.info_`,
      encodeMasterInfoJson({ id: `m${grpcPort}`, ip, port: 5050, grpcPort, version: 't' }),
      'EPHEMERAL_SEQUENTIAL',
    );

  beforeEach(async function () {
    requireZooKeeper(this);
    const { connectString } = await (await zooKeeperTesting()).sharedZooKeeper();
    zk = await ZkClient.connect({ connect: connectString });
    path = `/test-detector-${newId()}/mesos`;
    url = `zk://${connectString}${path}`;
  });
  afterEach(() => {
    for (const d of detectors.splice(0)) d.close();
    zk?.close();
  });

  it('waits for a leader when the election path does not exist yet', async () => {
    const d = detector();
    const detected = d.detect();
    await zk.mkdirp(path);
    expect(await stillPending(detected, zk, path)).to.equal(true);
    await publish(6001);
    expect(await detected).to.equal('127.0.0.1:6001');
    expect(d.current).to.equal('127.0.0.1:6001');
  });

  it('follows the lowest json.info_ child through a change of leader', async () => {
    await zk.mkdirp(path);
    const first = await publish(6001);
    await publish(6002);
    const d = detector();
    expect(await d.detect()).to.equal('127.0.0.1:6001');
    const next = d.detect('127.0.0.1:6001');
    // A new contender behind the leader, or an unrelated child, is not a change of leader.
    await publish(6003);
    await zk.create(`${path}/info_0000000000`, 'legacy protobuf');
    expect(await stillPending(next, zk, path)).to.equal(true);
    await zk.delete(first);
    expect(await next).to.equal('127.0.0.1:6002');
    expect(await d.detect('127.0.0.1:6001')).to.equal('127.0.0.1:6002');
  });

  it('brackets an IPv6 leader address', async () => {
    await zk.mkdirp(path);
    await publish(6001, '::1');
    expect(await detector().detect()).to.equal('[::1]:6001');
  });

  it('rejects when the leader is not a Mesocosm master (no grpc_port), and recovers once it is', async () => {
    await zk.mkdirp(path);
    const mesos = await zk.create(
      `${path}/json.info_`,
      '{"address":{"hostname":"h","ip":"10.0.0.1","port":5050},"id":"x","port":5050}',
      'EPHEMERAL_SEQUENTIAL',
    );
    const d = detector();
    let error: unknown;
    await d.detect().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ValidationError);
    expect(String(error)).to.match(/no grpc_port/);
    await publish(6002);
    // The new contender makes the detector read the queue again, and the leader is still not a
    // Mesocosm master: a detect() made while that read is in flight is rejected again (as it
    // should be). One made after it waits for the next change.
    let next: Promise<string> | undefined;
    for (let i = 0; i < 20 && next === undefined; i++) {
      const attempt = d.detect();
      if (await stillPending(attempt, zk, path)) next = attempt;
      else expect(String(await attempt.catch((e: unknown) => e))).to.match(/no grpc_port/);
    }
    if (!next) expect.fail('every detect() was rejected while the invalid leader stayed');
    await zk.delete(mesos);
    expect(await next).to.equal('127.0.0.1:6002');
  });

  it('rejects pending and later detect() calls once closed', async () => {
    await zk.mkdirp(path);
    await publish(6001);
    const d = detector();
    await d.detect();
    const pending = d.detect('127.0.0.1:6001');
    d.close();
    let error: unknown;
    await pending.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(DetectorClosedError);
    await d.detect().then(
      () => expect.fail('closed'),
      (e: unknown) => expect(e).to.be.instanceOf(DetectorClosedError),
    );
  });

  it('rejects when ZooKeeper cannot be reached, and can be asked again', async () => {
    const d = new ZooKeeperMasterDetector('zk://127.0.0.1:1/mesos', { connectTimeoutMs: 200 });
    detectors.push(d);
    let error: unknown;
    await d.detect().catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/could not connect to ZooKeeper at 127\.0\.0\.1:1 within 200 ms/);
    await d.detect().catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/could not connect/);
  });
});
