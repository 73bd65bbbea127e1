// ZooKeeperRegistry against a real ZooKeeper: one znode per record, removal,
// fencing (a session that expired cannot write), bad data named by znode.
import { expect } from 'chai';
import { newId } from '@mesocosm/protocol';
import { ZkClient, ZkError } from '@mesocosm/protocol/zk';
import { RegistryDataError } from '../../src/errors.js';
import { READ_BATCH, ZooKeeperRegistry } from '../../src/registry/zk-registry.js';
import { requireZooKeeper, zooKeeperTesting, type ZooKeeperTesting } from '../election/zookeeper-helpers.js';

describe('ZooKeeperRegistry (real ZooKeeper)', function () {
  this.timeout(20_000);
  let testing: ZooKeeperTesting;
  let connect = '';
  let path = '';
  const sessions: ZkClient[] = [];
  const session = async (): Promise<ZkClient> => {
    const zk = await ZkClient.connect({ connect, sessionTimeoutMs: 4_000 });
    sessions.push(zk);
    return zk;
  };

  beforeEach(async function () {
    requireZooKeeper(this);
    testing = await zooKeeperTesting();
    connect = (await testing.sharedZooKeeper()).connectString;
    path = `/test-registry-${newId()}/mesos`;
  });
  afterEach(() => {
    for (const zk of sessions.splice(0)) zk.close();
  });

  it('round-trips every record kind, one znode per record, and removes them', async () => {
    const zk = await session();
    const registry = new ZooKeeperRegistry(zk, path);
    await registry.admitAgent({
      id: { value: 'A1' },
      hostname: 'h1',
      port: 5051,
      resources: [{ name: 'cpus', type: 0, scalar: { value: 2.5 } }],
    });
    await registry.admitAgent({ id: { value: 'A2' }, hostname: 'h2' });
    await registry.putFramework({
      id: { value: 'F1' },
      name: 'web',
      failoverTimeout: 3600,
      capabilities: [1],
      roles: ['web'],
    });
    await registry.putDrain({
      agentId: 'A1',
      deactivated: true,
      drain: { state: 'DRAINING', config: { maxGracePeriodMs: 1500, markGone: false, leaveTasksRunning: true } },
    });
    await registry.putDrain({ agentId: 'A2', deactivated: true, drain: undefined });

    const reader = new ZooKeeperRegistry(await session(), path); // another session reads what the first wrote
    expect(await reader.agentIds()).to.deep.equal(['A1', 'A2']);
    expect(await new ZooKeeperRegistry(zk, `${path}-empty`).agentIds()).to.deep.equal([]);
    expect((await reader.agents()).map((a) => [a.info.id?.value, a.info.hostname])).to.deep.equal([
      ['A1', 'h1'],
      ['A2', 'h2'],
    ]);
    expect((await reader.agents())[0]?.info.resources?.[0]?.scalar?.value).to.equal(2.5);
    const [fw] = await reader.frameworks();
    expect(fw).to.deep.include({ name: 'web', failoverTimeout: 3600, capabilities: [1], roles: ['web'] });
    expect(await reader.drains()).to.deep.equal([
      {
        agentId: 'A1',
        deactivated: true,
        drain: { state: 'DRAINING', config: { maxGracePeriodMs: 1500, markGone: false, leaveTasksRunning: true } },
      },
      { agentId: 'A2', deactivated: true, drain: undefined },
    ]);

    // The layout: one znode per record, JSON with "v": 1.
    const root = `${path}/registry`;
    expect((await zk.getChildren(root)).sort()).to.deep.equal(['agents', 'frameworks', 'gone', 'maintenance']);
    expect((await zk.getChildren(`${root}/agents`)).sort()).to.deep.equal(['A1', 'A2']);
    expect(await zk.getChildren(`${root}/frameworks`)).to.deep.equal(['F1']);
    const raw = JSON.parse((await zk.get(`${root}/frameworks/F1`)).data.toString()) as Record<string, unknown>;
    expect(raw).to.deep.include({ v: 1 });
    expect(raw['info']).to.deep.include({ name: 'web', failoverTimeout: 3600, capabilities: ['PARTITION_AWARE'] });
    const drainRaw = JSON.parse((await zk.get(`${root}/maintenance/A1`)).data.toString()) as Record<string, unknown>;
    expect(drainRaw).to.deep.equal({
      v: 1,
      agentId: 'A1',
      deactivated: true,
      drainInfo: {
        state: 'DRAINING',
        config: { maxGracePeriod: { nanoseconds: '1500000000' }, markGone: false, leaveTasksRunning: true },
      },
    });
    // The election path's detectors only look at json.info_ children: the registry sits beside them.
    expect(await zk.getChildren(path)).to.deep.equal(['registry']);

    await registry.markAgentGone({ agentId: 'A1', goneTime: 1234, byOperator: false });
    await registry.removeFramework('F1');
    await registry.removeDrain('A2');
    await registry.removeDrain('A2'); // idempotent
    expect((await reader.agents()).map((a) => a.info.id?.value)).to.deep.equal(['A2']);
    expect(await reader.frameworks()).to.deep.equal([]);
    expect(await reader.drains()).to.deep.equal([]); // A1's went with it
    expect(await reader.goneAgents()).to.deep.equal([{ agentId: 'A1', goneTime: 1234, byOperator: false }]);
    expect(await zk.getChildren(`${root}/agents`)).to.deep.equal(['A2']);
  });

  it('refuses writes once its session expired (SESSIONEXPIRED) and once fenced', async () => {
    const zk = await session();
    const registry = new ZooKeeperRegistry(zk, path);
    await registry.admitAgent({ id: { value: 'A1' }, hostname: 'h1' });
    await testing.expireZooKeeperSession(zk);
    let err: unknown;
    await registry.admitAgent({ id: { value: 'A2' }, hostname: 'h2' }).catch((e: unknown) => (err = e));
    expect(ZkError.is(err, 'SESSIONEXPIRED')).to.equal(true);
    err = undefined;
    await registry.removeAgent('A1').catch((e: unknown) => (err = e));
    expect(ZkError.is(err, 'SESSIONEXPIRED')).to.equal(true);
    const reader = new ZooKeeperRegistry(await session(), path);
    expect((await reader.agents()).map((a) => a.info.id?.value)).to.deep.equal(['A1']);

    reader.fence('deposed in a test');
    err = undefined;
    await reader.putFramework({ id: { value: 'F' }, name: 'f' }).catch((e: unknown) => (err = e));
    expect(err).to.have.property('code', 'NOT_LEADER');
    expect(String(err)).to.match(/deposed in a test/);
    expect(await reader.frameworks()).to.deep.equal([]);
  });

  it('skips writing a record it knows unchanged (read or written), and writes a changed one', async () => {
    const zk = await session();
    const registry = new ZooKeeperRegistry(zk, path);
    const agent = { id: { value: 'A1' }, hostname: 'h1', port: 5051 };
    const version = async (id: string): Promise<number | undefined> =>
      (await zk.exists(`${path}/registry/agents/${id}`))?.version;
    await registry.admitAgent(agent);
    await registry.admitAgent({ ...agent });
    expect(await version('A1')).to.equal(0);
    await registry.admitAgent({ ...agent, hostname: 'h1b' });
    expect(await version('A1')).to.equal(1);

    // A new leader knows what it read: an agent re-registering unchanged costs no write.
    const leader = new ZooKeeperRegistry(await session(), path);
    await leader.agents();
    expect(leader.knownCount).to.equal(1);
    await leader.admitAgent({ ...agent, hostname: 'h1b' });
    expect(await version('A1')).to.equal(1);
    await leader.admitAgent({ ...agent, hostname: 'h1c' });
    expect(await version('A1')).to.equal(2);

    // A delete issued while a write of the same record awaits its reply: ZooKeeper applies
    // both in order, and the write's late reply must not make the record look present.
    await leader.admitAgent({ id: { value: 'A2' }, hostname: 'h2' });
    const put = leader.admitAgent({ id: { value: 'A2' }, hostname: 'h2b' });
    await new Promise((r) => process.nextTick(r)); // the write is on the wire, its reply not read yet
    await Promise.all([put, leader.removeAgent('A2')]);
    expect(await version('A2')).to.equal(undefined);
    await leader.admitAgent({ id: { value: 'A2' }, hostname: 'h2b' });
    expect(await version('A2')).to.equal(0);

    // Unchanged or not, nothing is acknowledged once the session is gone or the registry fenced.
    await testing.expireZooKeeperSession(zk);
    let err: unknown;
    await registry.admitAgent({ ...agent, hostname: 'h1b' }).catch((e: unknown) => (err = e));
    expect(ZkError.is(err, 'SESSIONEXPIRED')).to.equal(true);
    leader.fence('deposed in a test');
    err = undefined;
    await leader.admitAgent({ id: { value: 'A2' }, hostname: 'h2' }).catch((e: unknown) => (err = e));
    expect(err).to.have.property('code', 'NOT_LEADER');
  });

  it('reads a folder a batch at a time: a write issued meanwhile is not answered after the whole folder', async () => {
    const zk = await session();
    const writer = new ZooKeeperRegistry(zk, path);
    const count = READ_BATCH * 4;
    for (let i = 0; i < count; i += 128) {
      const ids = Array.from({ length: Math.min(128, count - i) }, (_, j) => `A${i + j}`);
      await Promise.all(ids.map((id) => writer.admitAgent({ id: { value: id }, hostname: 'h' })));
    }
    // A new leader's session, whose reads are counted as they are answered.
    const leaderZk = await session();
    let answered = 0;
    let written: Promise<number> | undefined;
    const counting = new Proxy(leaderZk, {
      get(target, prop) {
        if (prop === 'get')
          return (znode: string) => {
            const reply = target.get(znode).finally(() => answered++);
            // At the first read: an agent re-registers with a changed record.
            written ??= leader.admitAgent({ id: { value: 'A0' }, hostname: 'changed' }).then(() => answered);
            return reply;
          };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const leader = new ZooKeeperRegistry(counting as unknown as ZkClient, path);
    await leader.admitAgent({ id: { value: 'A0' }, hostname: 'h' }); // its folders known: no mkdirp in the way below
    expect(await leader.agents()).to.have.length(count);
    const readsBefore = await written;
    expect(readsBefore, 'reads answered before the write').to.be.at.most(READ_BATCH);
    expect((await zk.get(`${path}/registry/agents/A0`)).data.toString()).to.include('changed');
  });

  it('names the znode that holds bad data, and refuses IDs that cannot be znode names', async () => {
    const zk = await session();
    const registry = new ZooKeeperRegistry(zk, path);
    await registry.admitAgent({ id: { value: 'A1' }, hostname: 'h1' });
    const bad = `${path}/registry/agents/A1`;
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"v":2,"info":{}}', /record version 2/],
      ['{"v":1}', /'info' is missing/],
      ['{"v":1,"info":{"id":{"value":"B"}}}', /differs from the znode name 'A1'/],
      ['{"v":1,"info":{"id":{"value":"A1"},"resources":"x"}}', /not an AgentInfo/],
    ];
    for (const [data, why] of cases) {
      await zk.set(bad, data);
      let err: unknown;
      await registry.agents().catch((e: unknown) => (err = e));
      expect(err, data).to.be.instanceOf(RegistryDataError);
      expect((err as RegistryDataError).znode).to.equal(bad);
      expect((err as Error).message)
        .to.include(bad)
        .and.match(why);
    }
    let err: unknown;
    await registry.admitAgent({ id: { value: 'a/b' } }).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.match(/cannot name a znode/);
  });
});
