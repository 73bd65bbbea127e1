// The executor driver's longest wait between subscription attempts: set by
// the agent (MESOS_SUBSCRIPTION_BACKOFF_MAX) so that an executor re-subscribes
// within the agent's re-registration timeout after the agent restarts.
import { createServer } from 'node:net';
import { expect } from 'chai';
import {
  ExecutorDriver,
  ExecutorEnvironmentError,
  FakeClock,
  readExecutorEnvironment,
  silentLogger,
  type TimerHandle,
} from '../src/index.js';
import { waitFor } from './helpers/wait-for.js';

/** A fake clock that records the delay of every timer set on it. */
class RecordingClock extends FakeClock {
  readonly delays: number[] = [];

  override setTimeout(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimeout(fn, ms);
  }
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

const base = {
  MESOCOSM_AGENT_ENDPOINT: '127.0.0.1:5061',
  MESOCOSM_EXECUTOR_ID: 'e',
  MESOCOSM_FRAMEWORK_ID: 'f',
};

describe('executor driver: subscription backoff max', () => {
  it("reads MESOCOSM_/MESOS_SUBSCRIPTION_BACKOFF_MAX in Mesos' duration notation", () => {
    expect(
      readExecutorEnvironment({ ...base, MESOS_SUBSCRIPTION_BACKOFF_MAX: '2secs' }).subscriptionBackoffMaxMs,
    ).to.equal(2000);
    expect(
      readExecutorEnvironment({
        ...base,
        MESOCOSM_SUBSCRIPTION_BACKOFF_MAX: '250ms',
        MESOS_SUBSCRIPTION_BACKOFF_MAX: '1mins',
      }).subscriptionBackoffMaxMs,
    ).to.equal(250);
    expect(readExecutorEnvironment(base)).to.not.have.property('subscriptionBackoffMaxMs');
    expect(() => readExecutorEnvironment({ ...base, MESOS_SUBSCRIPTION_BACKOFF_MAX: 'soon' })).to.throw(
      ExecutorEnvironmentError,
      'MESOS_SUBSCRIPTION_BACKOFF_MAX',
    );
  });

  it('never waits longer than the maximum between two attempts', async () => {
    const clock = new RecordingClock(1_700_000_000_000);
    const driver = new ExecutorDriver({
      environment: {
        agentEndpoint: `127.0.0.1:${await closedPort()}`,
        executorId: 'e',
        frameworkId: 'f',
        agentId: '',
        sandbox: '',
        subscriptionBackoffMaxMs: 1000,
      },
      clock,
      logger: silentLogger,
      reconnectBackoffMs: 250,
    });
    const started = driver.start().catch(() => undefined);
    // Each refused connection schedules the next attempt; the fake clock fires it.
    for (let attempt = 1; attempt <= 6; attempt++) {
      await waitFor(() => clock.delays.length >= attempt, `attempt ${attempt} to fail`);
      clock.advance(clock.delays.at(-1) ?? 0);
    }
    expect(clock.delays.slice(0, 6)).to.deep.equal([250, 500, 1000, 1000, 1000, 1000]);
    await driver.stop();
    await started;
  });
});
