// The graceful hand-over's limit: a bare ZooKeeper watch round trip. One
// session creates an ephemeral znode, a second session watches it, the first
// deletes it; timed from the delete being sent to the watch firing. That is
// the least any hand-over through ZooKeeper takes: the leaving leader's znode
// goes, and the next contender hears of it.
import { ZkClient } from '@mesocosm/protocol/zk';
import { BenchError, withDeadline } from '../errors.js';

/** Round trips (ms) of `count` delete -> watch notifications under `path` (created if needed). */
export async function zkWatchRoundTrips(connect: string, path: string, count: number): Promise<number[]> {
  const owner = await ZkClient.connect({ connect, sessionTimeoutMs: 4000 });
  const watcher = await ZkClient.connect({ connect, sessionTimeoutMs: 4000 });
  try {
    await owner.mkdirp(path);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const node = `${path}/w-${i}`;
      await owner.create(node, '', 'EPHEMERAL');
      let fired: () => void = () => {};
      const deleted = new Promise<void>((r) => (fired = r));
      const stat = await watcher.exists(node, (e) => {
        if (e.type === 'deleted') fired();
      });
      if (!stat) throw new BenchError(`znode ${node} vanished before it was watched`);
      const start = performance.now();
      await owner.delete(node);
      await withDeadline(deleted, 10_000, `the watch on ${node}`);
      out.push(performance.now() - start);
    }
    return out;
  } finally {
    owner.close();
    watcher.close();
  }
}
