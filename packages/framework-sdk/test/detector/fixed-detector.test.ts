import { expect } from 'chai';
import {
  DetectorClosedError,
  FixedMasterDetector,
  ValidationError,
  ZooKeeperMasterDetector,
  createMasterDetector,
  parseMasterAddress,
} from '../../src/index.js';

describe('master detectors (no ZooKeeper)', () => {
  it('a fixed detector answers its address, and waits forever on detect(itself) until closed', async () => {
    const d = new FixedMasterDetector(' 127.0.0.1:5060 ');
    expect(await d.detect()).to.equal('127.0.0.1:5060');
    expect(await d.detect('10.0.0.1:5060')).to.equal('127.0.0.1:5060');
    const waiting = d.detect('127.0.0.1:5060');
    let settled = false;
    waiting.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setImmediate(r));
    expect(settled).to.equal(false);
    d.close();
    let error: unknown;
    await waiting.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(DetectorClosedError);
    await d.detect().then(
      () => expect.fail('closed'),
      (e: unknown) => expect(e).to.be.instanceOf(DetectorClosedError),
    );
  });

  it('createMasterDetector picks a ZooKeeper detector for zk:// URLs and a fixed one for host:port', () => {
    const zk = createMasterDetector('zk://127.0.0.1:2181,127.0.0.1:2182/mesos');
    expect(zk).to.be.instanceOf(ZooKeeperMasterDetector);
    expect((zk as ZooKeeperMasterDetector).url).to.deep.equal({
      connect: '127.0.0.1:2181,127.0.0.1:2182',
      path: '/mesos',
    });
    zk.close();
    expect(createMasterDetector('127.0.0.1:5060')).to.be.instanceOf(FixedMasterDetector);
  });

  it('says what is wrong with a bad master', () => {
    expect(() => createMasterDetector('zk://127.0.0.1:2181')).to.throw(ValidationError, /no znode path/);
    expect(() => createMasterDetector('localhost')).to.throw(ValidationError, /or zk:\/\/host:2181\/mesos/);
    expect(() => parseMasterAddress('zk://h:2181/mesos')).to.throw(ValidationError, /use createMasterDetector/);
  });
});
