// REVIVE coalescing: a real master (in this process, so that its allocator
// can be watched), 100 simulated agents and one framework on the SDK driver
// that has declined every offer (1 h filter) and suppressed. It then sends
// 1,000 REVIVE calls at once and holds the offers they bring; the master
// should answer them with one or two allocation cycles, not one per call. Cycles are counted by wrapping the
// allocator's cycle methods for the duration of the measurement.
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { Allocator, Master } from '@mesocosm/master';
import { BenchError, withDeadline } from '../errors.js';
import { SimulatedAgents } from '../simulated-agents.js';
import type { BenchContext, Figure } from '../types.js';

const AGENTS = 100;
const REVIVES = 1000;
/** No cycle for this long after the offers came: the REVIVEs are all handled. */
const QUIET_MS = 200;

type CycleMethod = 'allocate' | 'allocateChanged';

/** Counts calls of the allocator's cycle methods (every instance) until the returned function is called. */
function countCycles(): { count(): number; restore(): void } {
  let n = 0;
  const proto = Allocator.prototype as unknown as Record<CycleMethod, ((...args: unknown[]) => unknown) | undefined>;
  const originals = new Map<CycleMethod, (...args: unknown[]) => unknown>();
  for (const name of ['allocate', 'allocateChanged'] as const) {
    const original = proto[name];
    if (!original) continue;
    originals.set(name, original);
    proto[name] = function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    };
  }
  return {
    count: () => n,
    restore: () => {
      for (const [name, f] of originals) proto[name] = f;
    },
  };
}

/** The REVIVE rows of the allocator scenario. */
export async function reviveCycles(ctx: BenchContext): Promise<Figure[]> {
  ctx.progress(`allocator: ${REVIVES} REVIVEs at once, master with ${AGENTS} simulated agents`);
  // No periodic cycle during the measurement: every cycle counted answers a call.
  const master = await Master.start({
    ip: '127.0.0.1',
    port: 0,
    grpcPort: 0,
    allocationIntervalMs: 600_000,
    logger: silentLogger,
  });
  let agents: SimulatedAgents | undefined;
  const driver = new SchedulerDriver({
    master: master.grpcAddress,
    framework: { name: 'reviver', user: 'root' },
    logger: silentLogger,
  });
  let offered = 0;
  let declining = true;
  let wake: () => void = () => {};
  driver.on('offers', ({ offers }) => {
    const ids = (offers ?? []).map((o) => o.id?.value ?? '');
    offered += ids.length;
    // Before the REVIVEs: decline everything; after: hold the offers, as a framework that revived to launch.
    if (declining) driver.decline(ids, { refuseSeconds: 3600 });
    wake();
  });
  const offersAtLeast = (n: number): Promise<void> =>
    withDeadline(
      (async () => {
        while (offered < n) await new Promise<void>((r) => (wake = r));
      })(),
      30_000,
      `${n} offers`,
    );
  try {
    agents = await SimulatedAgents.start({ master: master.grpcAddress, count: AGENTS });
    await driver.start();
    await offersAtLeast(AGENTS); // every agent offered once, declined for an hour
    driver.suppress();
    await new Promise((r) => setTimeout(r, QUIET_MS));
    declining = false;
    const counter = countCycles();
    let cycles: number;
    let ms: number;
    try {
      const before = offered;
      const start = performance.now();
      for (let i = 0; i < REVIVES; i++) driver.revive();
      await offersAtLeast(before + AGENTS);
      ms = performance.now() - start;
      // Count what the remaining REVIVEs cause, until the master has been quiet for a while.
      let seen = -1;
      while (seen !== counter.count()) {
        seen = counter.count();
        await new Promise((r) => setTimeout(r, QUIET_MS));
      }
      cycles = counter.count();
    } finally {
      counter.restore();
    }
    if (cycles < 1) throw new BenchError('no allocation cycle was counted: the cycle methods were not wrapped');
    return [
      {
        scenario: 'allocator',
        figure: `${REVIVES} REVIVEs at once -> allocation cycles (master, ${AGENTS} agents)`,
        unit: 'cycles',
        value: cycles,
        better: 'lower',
        limit: 1,
        limitLabel: 'one cycle answers every REVIVE received before it',
      },
      {
        scenario: 'allocator',
        figure: `${REVIVES} REVIVEs at once -> every agent offered again`,
        unit: 'ms',
        value: ms,
        better: 'lower',
      },
    ];
  } finally {
    await driver.stop().catch(() => {});
    await agents?.stop();
    await master.stop();
  }
}
