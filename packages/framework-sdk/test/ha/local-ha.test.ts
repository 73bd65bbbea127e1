import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@mesocosm/protocol';
import {
  FileStateStore,
  FrameworkIdStore,
  FrameworkLeaderElection,
  LocalLeadership,
  MemoryStateStore,
  NotLeaderError,
  StateCorruptError,
  createFrameworkHa,
  type LeaderInfo,
} from '../../src/ha/index.js';
import { requireZooKeeper, zooKeeperTesting } from '../detector/zookeeper-helpers.js';
import { waitFor } from '../helpers/wait-for.js';

const info: LeaderInfo = { id: 'only', hostname: 'localhost', port: 8080, url: 'http://localhost:8080' };

describe('LocalLeadership', () => {
  it('leads from start() to withdraw(), with the events of an election', async () => {
    const leadership = new LocalLeadership(info);
    const events: string[] = [];
    leadership.on('elected', (epoch) => events.push(`elected ${epoch}`));
    leadership.on('deposed', (why) => events.push(`deposed ${why}`));
    leadership.on('leaderChanged', (l) => events.push(`leader ${l?.id ?? 'none'}`));
    expect(leadership.isLeader).to.equal(false);
    expect(leadership.leader()).to.equal(undefined);
    await leadership.start();
    await leadership.start(); // idempotent
    expect(leadership.isLeader).to.equal(true);
    expect(leadership.leader()).to.deep.equal(info);
    await leadership.withdraw();
    await leadership.withdraw();
    expect(events).to.deep.equal(['elected 0', 'leader only', 'deposed withdrew', 'leader none']);
    expect(leadership.isLeader).to.equal(false);
  });
});

describe('FrameworkIdStore', () => {
  it('keeps the framework ID across store instances, and forgets it on clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesocosm-fwid-'));
    try {
      const ids = new FrameworkIdStore(new FileStateStore(dir));
      expect(await ids.load()).to.equal(undefined);
      await ids.save('fw-1');
      await ids.save('fw-1');
      expect(await new FrameworkIdStore(new FileStateStore(dir)).load()).to.deep.equal({ value: 'fw-1' });
      expect((await new FileStateStore(dir).get('framework', 'id'))?.version).to.equal(0); // the same ID is not rewritten
      await ids.clear();
      expect(await ids.load()).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stored ID that is not one', async () => {
    const store = new MemoryStateStore();
    await store.put('framework', 'id', { value: 42 });
    try {
      await new FrameworkIdStore(store).load();
      expect.fail('expected a StateCorruptError');
    } catch (err) {
      expect(err).to.be.instanceOf(StateCorruptError);
    }
  });
});

describe('createFrameworkHa', function () {
  this.timeout(20_000);

  it('without ZooKeeper: always the leader, state in a directory (or memory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesocosm-ha-'));
    try {
      const ha = createFrameworkHa({ info, stateDir: dir });
      expect(ha.leadership).to.be.instanceOf(LocalLeadership);
      expect(ha.store).to.be.instanceOf(FileStateStore);
      await ha.leadership.start();
      await ha.frameworkId.save('fw-local');
      await ha.close();
      const again = createFrameworkHa({ info, stateDir: dir });
      expect(await again.frameworkId.load()).to.deep.equal({ value: 'fw-local' });
      await again.close();
      expect(createFrameworkHa({ info }).store).to.be.instanceOf(MemoryStateStore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with ZooKeeper: elected instances, and a store only the leader writes', async function () {
    requireZooKeeper(this);
    const { connectString } = await (await zooKeeperTesting()).sharedZooKeeper();
    const zk = `zk://${connectString}/test-ha-${newId()}/chronos`;
    const one = createFrameworkHa({ info, zk, sessionTimeoutMs: 4_000 });
    const two = createFrameworkHa({ info: { ...info, id: 'two', url: 'http://localhost:8081' }, zk });
    try {
      expect(one.leadership).to.be.instanceOf(FrameworkLeaderElection);
      await one.leadership.start();
      await waitFor(() => one.leadership.isLeader, 'one to lead');
      await two.leadership.start();
      await waitFor(() => two.leadership.leader()?.id === 'only', 'two to know the leader');
      await one.frameworkId.save('fw-zk');
      expect(await two.frameworkId.load()).to.deep.equal({ value: 'fw-zk' });
      try {
        await two.frameworkId.save('fw-other');
        expect.fail('a standby wrote');
      } catch (err) {
        expect(err).to.be.instanceOf(NotLeaderError);
      }
      await one.close();
      await waitFor(() => two.leadership.isLeader, 'two to lead after one closed');
      await two.frameworkId.clear();
      expect(await two.frameworkId.load()).to.equal(undefined);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
