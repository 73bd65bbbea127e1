// Scheduler event rate: UPDATE events delivered to a framework through a
// real master and the SDK's SchedulerDriver (answers to explicit RECONCILE
// calls for unknown tasks), against the same events over a bare grpc-js
// stream with the same codecs (support/raw-stream.ts). The bare stream's
// echo rate (one call in, one event out) is reported as a limit figure too.
import { Master } from '@mesocosm/master';
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';
import { withDeadline } from '../errors.js';
import { rawEventRate, startRawServer } from '../support/raw-stream.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

/** Tasks per RECONCILE call on the batched paths. */
const PER_CALL = 1000;
/** Tasks sent and not yet answered, at most (both paths): a client that keeps the pipe full without flooding it. */
const WINDOW = 4 * PER_CALL;
/** Calls in flight on the echo path. */
const ECHO_WINDOW = 256;
const DEADLINE_MS = 120_000;

/** Events per second through master + driver for `count` unknown tasks, `PER_CALL` per call. */
async function sdkEventRate(masterGrpc: string, count: number, prefix: string): Promise<number> {
  const driver = new SchedulerDriver({
    master: masterGrpc,
    framework: { name: 'bench-events', user: 'root' },
    logger: silentLogger,
  });
  try {
    let received = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((r) => (resolveAll = r));
    driver.on('update', ({ status }) => {
      if (status?.taskId?.value?.startsWith(prefix) && ++received === count) resolveAll();
    });
    await driver.start();
    const start = performance.now();
    for (let i = 0; i < count; i += PER_CALL)
      driver.reconcile(
        Array.from({ length: Math.min(PER_CALL, count - i) }, (_, k) => ({ taskId: `${prefix}${i + k}` })),
      );
    await withDeadline(all, DEADLINE_MS, `${count} reconciliation updates`);
    return count / ((performance.now() - start) / 1000);
  } finally {
    await driver.stop();
  }
}

export const grpcThroughputScenario: Scenario = {
  name: 'grpc',
  description: 'scheduler UPDATE events via master + SDK driver vs the same events on a bare grpc-js stream',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const count = ctx.quick ? 20_000 : 100_000;
    const raw = await startRawServer();
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    try {
      ctx.progress(`bare stream: ${count} events, ${PER_CALL} per call and 1 per call (echo)`);
      const batched = (n: number): Promise<number> => rawEventRate(raw.address, n, PER_CALL, WINDOW);
      const echo = (n: number): Promise<number> => rawEventRate(raw.address, n, 1, ECHO_WINDOW);
      await batched(5_000); // warm-up
      const rawBatched = await withDeadline(batched(count), DEADLINE_MS, 'raw events');
      await echo(5_000);
      const rawEcho = await withDeadline(echo(count), DEADLINE_MS, 'raw echo');
      ctx.progress(`master + driver: ${count} events, ${PER_CALL} per call`);
      await sdkEventRate(master.grpcAddress, 5_000, 'warm-');
      const sdk = await sdkEventRate(master.grpcAddress, count, 'bench-');
      return [
        {
          scenario: 'grpc',
          figure: `bare stream echo, 1 call -> 1 event, ${ECHO_WINDOW} in flight (limit figure)`,
          unit: 'msgs/s',
          value: rawEcho,
          better: 'higher',
        },
        {
          scenario: 'grpc',
          figure: `bare stream, ${PER_CALL} events per call (limit figure)`,
          unit: 'events/s',
          value: rawBatched,
          better: 'higher',
        },
        {
          scenario: 'grpc',
          figure: `master + SDK driver, ${PER_CALL} events per call`,
          unit: 'events/s',
          value: sdk,
          better: 'higher',
          limit: rawBatched,
          limitLabel: `the same UPDATE events on a bare grpc-js stream, ${PER_CALL} per call`,
        },
      ];
    } finally {
      await master.stop();
      await raw.stop();
    }
  },
};
