// A Chronos cut off from ZooKeeper stops scheduling at once and resumes by
// itself once ZooKeeper is back, without a restart (issue 5 §6). The server
// is paused (SIGSTOP) past the session timeout, so the cut is real; runs are
// counted from the tasks' own output, and every scheduled time is accounted
// for: run, or recorded as skipped with a reason.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Chronos } from '@mesocosm/chronos';
import { silentLogger } from '@mesocosm/framework-sdk';
import { LocalCluster, startZooKeeper, waitFor, type ZooKeeperServer } from '@mesocosm/testing';
import { requireInfra } from '../helpers/index.js';

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

describe('Chronos cut off from ZooKeeper', function () {
  this.timeout(120_000);
  let cluster: LocalCluster | undefined;
  let zk: ZooKeeperServer | undefined;
  let chronos: Chronos | undefined;
  let dir: string | undefined;

  after(async () => {
    zk?.resume();
    await chronos?.stop();
    await cluster?.stop();
    await zk?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops scheduling while cut off and resumes by itself when ZooKeeper is back', async function () {
    requireInfra(this, 'zookeeper');
    dir = await mkdtemp(join(tmpdir(), 'chronos-zk-cut-'));
    zk = await startZooKeeper();
    const server = zk;
    cluster = await LocalCluster.start({ agents: 1 });
    await cluster.waitForAgents(1);
    chronos = await Chronos.start({
      master: cluster.masterGrpc,
      zk: `zk://${server.connectString}/chronos-cut-${randomUUID()}`,
      zkSessionTimeoutMs: 2_000,
      hostname: '127.0.0.1',
      httpPort: 0,
      httpHost: '127.0.0.1',
      logger: silentLogger,
    });
    const c = chronos;
    await waitFor(() => c.isLeader, { timeoutMs: 30_000, message: 'Chronos leads' });
    const out = join(dir, 'runs.txt');
    const start = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
    await c.service.putScheduledJob({
      name: 'tick',
      command: `echo "$CHRONOS_JOB_RUN_ID" >> ${out}`,
      schedule: `R/${new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z')}/PT1S`,
      epsilon: 'PT30S',
      mem: 16,
    });
    await waitFor(async () => (await lines(out)).length >= 2, { timeoutMs: 30_000, message: 'two runs' });

    server.pause();
    await waitFor(() => !c.isLeader, { timeoutMs: 15_000, message: 'Chronos stops leading when cut off' });
    const cutRuns = (await lines(out)).length;
    // Cut off for longer than its session: nothing is scheduled meanwhile.
    const cutUntil = Date.now() + 4_000;
    await waitFor(() => Date.now() >= cutUntil, { timeoutMs: 10_000, intervalMs: 100, message: 'the cut to last' });
    expect((await lines(out)).length, 'runs started while cut off').to.be.at.most(cutRuns + 1);

    server.resume();
    const backAt = Date.now();
    await waitFor(() => c.isLeader, { timeoutMs: 60_000, message: 'Chronos leads again by itself' });
    const leadsAt = Date.now();
    await waitFor(async () => (await lines(out)).length >= cutRuns + 3, {
      timeoutMs: 60_000,
      message: 'runs again after the cut',
    });
    // Each scheduled time ran at most once (run IDs are the job and its scheduled time).
    const ids = await lines(out);
    expect(new Set(ids).size, 'a scheduled time ran twice').to.equal(ids.length);
    console.log(
      `      ZooKeeper cut: leading again ${leadsAt - backAt} ms after ZooKeeper came back; ${ids.length} runs, none twice`,
    );
  });
});
