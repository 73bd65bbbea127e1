import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '@mesocosm/protocol/zk';
import { sharedZooKeeper, startZooKeeper, startZooKeeperEnsemble, waitFor } from '../src/index.js';

/** The repository's rule: skip when ZooKeeper is missing, fail when CI=true. */
function requireZooKeeper(ctx: Mocha.Context): void {
  if (process.env['MESOCOSM_ZK'] || existsSync('/usr/share/zookeeper/bin/zkServer.sh')) return;
  if (process.env['CI'] === 'true') throw new Error('zookeeper is required in CI: apt-get install zookeeper');
  ctx.skip();
}

describe('ZooKeeper test servers', function () {
  this.timeout(60_000);
  beforeEach(function () {
    requireZooKeeper(this);
  });

  it('starts a standalone server that serves at once, and stop() removes its data', async () => {
    const server = await startZooKeeper();
    expect(server.connectString).to.match(/^127\.0\.0\.1:\d+$/);
    expect(await server.fourLetterWord('srvr')).to.match(/^Mode: standalone$/m);
    const zk = await ZkClient.connect({ connect: server.connectString, connectTimeoutMs: 2_000 });
    expect(await zk.getChildren('/')).to.include('zookeeper');
    zk.close();
    const dir = server.dataDir;
    expect(existsSync(dir)).to.equal(true);
    await server.stop();
    expect(server.running).to.equal(false);
    expect(existsSync(dir)).to.equal(false);
  });

  it('keeps a given data directory, and pause() makes it silent until resume()', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zk-given-'));
    const server = await startZooKeeper({ dataDir });
    try {
      server.pause();
      expect(await server.fourLetterWord('ruok', 300)).to.equal('');
      server.resume();
      expect(await server.fourLetterWord('ruok')).to.equal('imok');
      await server.kill();
      expect(server.running).to.equal(false);
      await server.start();
      expect(await server.fourLetterWord('ruok')).to.equal('imok');
      await server.stop();
      expect(existsSync(join(dataDir, 'zoo.cfg'))).to.equal(true);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shares one server per process', async () => {
    const [a, b] = await Promise.all([sharedZooKeeper(), sharedZooKeeper()]);
    expect(a).to.equal(b);
    expect(await sharedZooKeeper()).to.equal(a);
  });

  it('runs a three-server ensemble that loses and regains its quorum, keeping its data', async () => {
    const ensemble = await startZooKeeperEnsemble(3);
    try {
      expect(ensemble.connectString.split(',')).to.have.length(3);
      const modes = await Promise.all(ensemble.servers.map((s) => s.fourLetterWord('srvr')));
      expect(modes.map((m) => /^Mode: (\w+)$/m.exec(m)?.[1]).sort()).to.deep.equal(['follower', 'follower', 'leader']);
      const zk = await ZkClient.connect({ connect: ensemble.connectString, sessionTimeoutMs: 4_000 });
      await zk.create('/kept', 'x');
      zk.close();

      await ensemble.stopQuorum();
      expect(ensemble.servers.filter((s) => s.running)).to.have.length(1);
      const survivor = ensemble.servers.find((s) => s.running);
      await waitFor(async () => !/^Mode: /m.test((await survivor?.fourLetterWord('srvr')) ?? ''), {
        message: 'the survivor to stop serving',
      });

      await ensemble.startAgain();
      const again = await ZkClient.connect({ connect: ensemble.connectString });
      expect((await again.get('/kept')).data.toString()).to.equal('x');
      again.close();
    } finally {
      await ensemble.stop();
    }
  });
});
