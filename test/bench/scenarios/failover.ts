// Master failover on a real ZooKeeper: master processes contending with a
// 4 s session timeout, 1,000 simulated agents and one framework (SDK driver)
// that follow the leader through ZooKeeper (a shared detector for the agents,
// as each real agent would have its own). The leader is killed with SIGKILL:
// time to the framework's first offer from the new leader, and to every
// agent re-registered with it; nothing can notice a dead leader before its
// ZooKeeper session expires, so the session timeout is the limit. Then a
// third master joins and the new leader is stopped with SIGTERM (a graceful
// hand-over: it deletes its election znode first, then closes its streams):
// the same two times, against a bare ZooKeeper watch round trip
// (support/zk-watch.ts).
import { SchedulerDriver, ZooKeeperMasterDetector, silentLogger } from '@mesocosm/framework-sdk';
import { createLogger, newId } from '@mesocosm/protocol';
import { sharedZooKeeper } from '@mesocosm/testing';
import { BenchError, withDeadline } from '../errors.js';
import { median } from '../stats.js';
import { startMasterProcess, type MasterProcess } from '../support/master-process.js';
import { loadAverage } from '../support/proc-stats.js';
import { reconnectAll, startRawServerProcess } from '../support/raw-echo.js';
import { zkWatchRoundTrips } from '../support/zk-watch.js';
import { SimulatedAgents, wallNowMs } from '../simulated-agents.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

const SESSION_MS = 4000;
const DEADLINE_MS = 60_000;

/** A framework that holds every offer and notes when offers arrive. */
class OfferWatch {
  private times: number[] = [];
  private waiters: Array<() => void> = [];
  readonly driver: SchedulerDriver;

  constructor(detector: ZooKeeperMasterDetector) {
    this.driver = new SchedulerDriver({
      master: '',
      detector,
      framework: { name: 'failover-watch', user: 'root', failoverTimeout: 3600 },
      // With the masters' log (MESOCOSM_BENCH_MASTER_LOG=1), the driver's too: to follow a hand-over.
      logger:
        process.env['MESOCOSM_BENCH_MASTER_LOG'] === '1' ? createLogger('bench.framework', 'debug') : silentLogger,
      reconnectBackoffMs: 50,
    });
    this.driver.on('offers', () => {
      this.times.push(wallNowMs());
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Wall time of the first offer after `since`. */
  async firstAfter(since: number): Promise<number> {
    const found = (): number | undefined => this.times.find((t) => t >= since);
    return withDeadline(
      (async () => {
        for (;;) {
          const t = found();
          if (t !== undefined) return t;
          await new Promise<void>((r) => this.waiters.push(r));
        }
      })(),
      DEADLINE_MS,
      'an offer from the new leader',
    );
  }
}

interface HandOver {
  firstOfferMs: number;
  firstAgentMs: number;
  allAgentsMs: number;
}

/** Stops `leader` with `signal` and times the framework's first offer and the agents' re-registrations. */
async function handOver(
  leader: MasterProcess,
  signal: NodeJS.Signals,
  agents: SimulatedAgents,
  count: number,
  watch: OfferWatch,
  reregistered: number[],
): Promise<HandOver> {
  const before = agents.reregisteredCount;
  const start = wallNowMs();
  await leader.stop(signal);
  const offer = await watch.firstAfter(start);
  await agents.reregisteredAtLeast(before + count, DEADLINE_MS);
  const times = reregistered.slice(before);
  const last = times.reduce((a, b) => Math.max(a, b), 0);
  const first = times.reduce((a, b) => Math.min(a, b), Infinity);
  return { firstOfferMs: offer - start, firstAgentMs: first - start, allAgentsMs: last - start };
}

export const failoverScenario: Scenario = {
  name: 'failover',
  description: `leader killed (SIGKILL) or stopped (SIGTERM) -> first offer and all agents re-registered, real ZooKeeper, ${SESSION_MS / 1000} s session`,
  async run(ctx: BenchContext): Promise<Figure[]> {
    const count = ctx.quick ? 300 : 1000;
    const zk = await sharedZooKeeper();
    const path = `/bench-failover-${newId().slice(0, 8)}`;
    const url = `zk://${zk.connectString}${path}`;
    ctx.progress('failover: bare ZooKeeper watch round trips; bare reconnection of as many gRPC clients');
    const watchRtt = await zkWatchRoundTrips(zk.connectString, `${path}-watch`, ctx.quick ? 20 : 50);
    const raw = await startRawServerProcess();
    let reconnectMs: number;
    try {
      await reconnectAll(raw.address, count); // warm-up
      reconnectMs = await reconnectAll(raw.address, count);
    } finally {
      await raw.stop();
    }
    const flags = ['--zk', url, '--zk_session_timeout', `${SESSION_MS}ms`, '--offer_timeout', '0ms'];
    const masters: MasterProcess[] = [];
    const detector = new ZooKeeperMasterDetector(url, { sessionTimeoutMs: SESSION_MS });
    const fwDetector = new ZooKeeperMasterDetector(url, { sessionTimeoutMs: SESSION_MS });
    const reregistered: number[] = [];
    let agents: SimulatedAgents | undefined;
    let watch: OfferWatch | undefined;
    try {
      masters.push(await startMasterProcess({ name: 'failover-a', flags }));
      const first = await withDeadline(detector.detect(), DEADLINE_MS, 'a leader');
      masters.push(await startMasterProcess({ name: 'failover-b', flags }));
      ctx.progress(`failover: ${count} simulated agents registering with ${first}`);
      agents = await SimulatedAgents.start({
        master: first,
        count,
        detector,
        onReregistered: (_id, at) => reregistered.push(at),
      });
      watch = new OfferWatch(fwDetector);
      await watch.driver.start();
      await watch.firstAfter(0);
      const leader = masters.find((m) => m.grpc === first);
      if (!leader) throw new BenchError(`the leader ${first} is none of the masters started`);
      ctx.progress(`failover: SIGKILL of the leader at ${new Date().toISOString()}`);
      const killed = await handOver(leader, 'SIGKILL', agents, count, watch, reregistered);
      const second = await detector.detect();
      masters.push(await startMasterProcess({ name: 'failover-c', flags }));
      const next = masters.find((m) => m.grpc === second);
      if (!next) throw new BenchError(`the new leader ${second} is none of the masters started`);
      ctx.progress(`failover: SIGTERM of the new leader (graceful hand-over) at ${new Date().toISOString()}`);
      const graceful = await handOver(next, 'SIGTERM', agents, count, watch, reregistered);
      const rtt = median(watchRtt);
      ctx.note(
        `one hand-over of each kind per run; znode watch round trip p50 ${rtt.toFixed(2)} ms over ${watchRtt.length}; ` +
          `${count} new gRPC clients of this process connected and answered by a bare server in ${reconnectMs.toFixed(0)} ms; ` +
          `first agent back ${killed.firstAgentMs.toFixed(0)} ms after SIGKILL, ${graceful.firstAgentMs.toFixed(0)} ms after SIGTERM; load average ${(await loadAverage()).toFixed(2)}`,
      );
      const row = (figure: string, value: number, limit: number, limitLabel: string): Figure => ({
        scenario: 'failover',
        figure,
        unit: 'ms',
        value,
        better: 'lower',
        limit,
        limitLabel,
      });
      const sessionLabel = `the ZooKeeper session timeout (${SESSION_MS} ms): the dead leader's znode goes no sooner`;
      const watchLabel = 'bare ZooKeeper round trip: znode deleted -> watcher notified, p50';
      const reconnectLabel = `the same + ${count} new gRPC clients of this process connected to a bare server (${reconnectMs.toFixed(0)} ms here)`;
      return [
        row('SIGKILL of the leader -> first offer from the new one', killed.firstOfferMs, SESSION_MS, sessionLabel),
        row(
          `SIGKILL of the leader -> all ${count} agents re-registered`,
          killed.allAgentsMs,
          SESSION_MS + reconnectMs,
          `session timeout + ${count} clients reconnected (${reconnectMs.toFixed(0)} ms here)`,
        ),
        row('SIGTERM of the leader -> first offer from the new one', graceful.firstOfferMs, rtt, watchLabel),
        row(
          `SIGTERM of the leader -> all ${count} agents re-registered`,
          graceful.allAgentsMs,
          rtt + reconnectMs,
          reconnectLabel.replace('the same', 'znode watch round trip'),
        ),
      ];
    } finally {
      await watch?.driver.stop().catch(() => {});
      await agents?.stop();
      detector.close();
      fwDetector.close();
      // SIGTERM, so that each master still running writes its CPU profile (MESOCOSM_BENCH_PROFILE).
      await Promise.allSettled(masters.map((m) => m.stop('SIGTERM')));
    }
  },
};
