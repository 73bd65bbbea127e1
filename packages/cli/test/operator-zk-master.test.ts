// `--master zk://.../mesos`: the operator verbs find the leader's HTTP address
// in its election znode (Mesos' layout), against a real ZooKeeper.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { encodeMasterInfoJson, joinZkPath, ZkClient } from '@mesocosm/protocol/zk';
import { sharedZooKeeper } from '@mesocosm/testing';
import { agentRow, cli, FakeMaster } from './fake-master.js';

/** Skips without ZooKeeper; fails under CI=true (the repository's rule). */
function requireZooKeeper(ctx: Mocha.Context): void {
  const found =
    process.env['MESOCOSM_ZK'] ||
    ['/usr/share/zookeeper/bin/zkServer.sh', '/opt/zookeeper/bin/zkServer.sh'].some((p) => existsSync(p));
  if (found) return;
  if (process.env['CI'] === 'true') throw new Error('zookeeper is required in CI but was not found');
  ctx.skip();
}

describe('operator verbs with --master zk://', function () {
  this.timeout(30_000);
  let zk: ZkClient;
  let connect: string;
  let leader: FakeMaster;
  const path = `/cli-ops-${process.pid}/mesos`;

  before(async function () {
    requireZooKeeper(this);
    connect = (await sharedZooKeeper()).connectString;
    zk = await ZkClient.connect({ connect, sessionTimeoutMs: 10_000 });
    await zk.mkdirp(path);
    leader = await FakeMaster.start({
      '/master/slaves': () => ({ json: { slaves: [agentRow({ id: 'a1', hostname: 'h1' })] } }),
    });
  });
  after(async () => {
    zk?.close();
    await leader?.stop();
  });

  it('reads the leader (lowest json.info_ sequence) and talks to its HTTP port', async () => {
    const port = Number(new URL(leader.url).port);
    const info = (p: number, id: string): string =>
      encodeMasterInfoJson({ id, ip: '127.0.0.1', hostname: 'localhost', port: p, grpcPort: 5060, version: 'x' });
    await zk.create(joinZkPath(path, 'json.info_'), info(port, 'leader'), 'EPHEMERAL_SEQUENTIAL');
    await zk.create(joinZkPath(path, 'json.info_'), info(1, 'standby'), 'EPHEMERAL_SEQUENTIAL');
    await zk.create(joinZkPath(path, 'log_replicas'), '', 'PERSISTENT');
    const r = await cli(['agents', '--master', `zk://${connect}${path}`]);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/\na1\s+h1\s+/);
    expect(leader.to('/master/slaves')).to.have.length(1);
  });

  it('no master elected under the path: a clear error', async () => {
    await zk.mkdirp(`${path}-empty`);
    const r = await cli(['agents', '--master', `zk://${connect}${path}-empty`]);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/no master is elected under zk:\/\/.*-empty yet; retry shortly/);
  });
});
