// The principal an agent ID is bound to, in ZooKeeper: written with the
// agent's record, read back by another session (all records, or one), and
// absent from records written without one.
import { expect } from 'chai';
import { newId } from '@mesocosm/protocol';
import { ZkClient } from '@mesocosm/protocol/zk';
import { ZooKeeperRegistry } from '../../src/registry/zk-registry.js';
import { requireZooKeeper, zooKeeperTesting } from '../election/zookeeper-helpers.js';

describe('ZooKeeperRegistry: agent principals (real ZooKeeper)', function () {
  this.timeout(20_000);
  const sessions: ZkClient[] = [];
  afterEach(() => {
    for (const zk of sessions.splice(0)) zk.close();
  });

  it('keeps the principal beside the AgentInfo, and reads one agent or all', async function () {
    requireZooKeeper(this);
    const connect = (await (await zooKeeperTesting()).sharedZooKeeper()).connectString;
    const session = async (): Promise<ZkClient> => {
      const zk = await ZkClient.connect({ connect, sessionTimeoutMs: 4_000 });
      sessions.push(zk);
      return zk;
    };
    const path = `/test-registry-${newId()}/mesos`;
    const writer = new ZooKeeperRegistry(await session(), path);
    await writer.admitAgent({ id: { value: 'A1' }, hostname: 'h1' }, 'agent-a');
    await writer.admitAgent({ id: { value: 'A2' }, hostname: 'h2' });

    const reader = new ZooKeeperRegistry(await session(), path);
    expect((await reader.agents()).map((a) => [a.info.id?.value, a.info.hostname, a.principal])).to.deep.equal([
      ['A1', 'h1', 'agent-a'],
      ['A2', 'h2', undefined],
    ]);
    expect(await reader.agent('A1')).to.deep.include({ principal: 'agent-a' });
    expect((await reader.agent('A2'))?.principal).to.equal(undefined);
    expect(await reader.agent('A3')).to.equal(undefined);
    const { data } = await sessions[1]!.get(reader.znodeOf('agents', 'A1'));
    expect(JSON.parse(data.toString('utf8'))).to.include({ v: 1, principal: 'agent-a' });

    // Bound later (a record without one): the same znode now carries it.
    await writer.admitAgent({ id: { value: 'A2' }, hostname: 'h2' }, 'agent-b');
    expect((await reader.agent('A2'))?.principal).to.equal('agent-b');
  });
});
