// The scheduler driver when things go wrong: broken streams, silent masters,
// refusals, failover of the framework, a master that is not up yet.
import { expect } from 'chai';
import {
  CallType,
  EventType,
  FakeClock,
  SchedulerDriver,
  SubscribeRefusedError,
  silentLogger,
  type DisconnectedEvent,
  type SchedulerDriverOptions,
} from '../src/index.js';
import { captureLogger } from './helpers/capture-logger.js';
import { FakeMaster } from './helpers/fake-master.js';
import { waitFor } from './helpers/wait-for.js';

describe('SchedulerDriver reconnection', () => {
  let master: FakeMaster;
  let driver: SchedulerDriver | undefined;

  const newDriver = (extra: Partial<SchedulerDriverOptions> = {}): SchedulerDriver => {
    driver = new SchedulerDriver({
      master: master.address,
      framework: { name: 'test', user: 'nobody' },
      logger: silentLogger,
      reconnectBackoffMs: 10,
      ...extra,
    });
    return driver;
  };

  beforeEach(async () => {
    master = await FakeMaster.start();
  });
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await master.stop();
  });

  it('re-subscribes with the same framework ID after the master drops the stream, then reconciles', async () => {
    const d = newDriver();
    const disconnects: DisconnectedEvent[] = [];
    const subscribed: string[] = [];
    d.on('disconnected', (e) => {
      disconnects.push(e);
      d.kill('queued-while-down'); // queued, sent after the re-subscription
    });
    d.on('subscribed', (s) => {
      subscribed.push(s.streamId ?? '');
    });
    await d.start();
    master.end();
    await waitFor(() => subscribed.length === 2, 're-subscription');
    expect(disconnects).to.have.length(1);
    expect(disconnects[0]?.willReconnect).to.equal(true);
    expect(disconnects[0]?.reason).to.match(/ended the stream/);

    const subscribes = master.callsOf(CallType.SUBSCRIBE);
    expect(subscribes).to.have.length(2);
    expect(subscribes[1]?.call.subscribe?.frameworkInfo?.id?.value).to.equal('fw-1');
    expect(subscribed).to.deep.equal(['stream-0', 'stream-1']);

    const [kill] = await master.waitForCalls(CallType.KILL);
    const [reconcile] = master.callsOf(CallType.RECONCILE);
    expect(reconcile?.stream).to.equal(1);
    expect(reconcile?.call.reconcile?.tasks ?? []).to.have.length(0); // implicit
    expect(reconcile?.call.streamId).to.equal('stream-1');
    expect(kill?.call.streamId).to.equal('stream-1');
    expect(master.calls.filter((c) => c.stream === 1).map((c) => c.call.type)).to.deep.equal([
      CallType.SUBSCRIBE,
      CallType.RECONCILE,
      CallType.KILL,
    ]);
    expect(d.frameworkId).to.equal('fw-1');
  });

  it('declares the master gone after 5 heartbeat intervals of silence (driven by a fake clock)', async () => {
    const clock = new FakeClock(1_000_000);
    master.heartbeatIntervalSeconds = 2;
    const d = newDriver({ clock, reconnectBackoffMs: 1_000 });
    const disconnects: DisconnectedEvent[] = [];
    d.on('disconnected', (e) => {
      disconnects.push(e);
    });
    let heartbeats = 0;
    d.on('heartbeat', () => {
      heartbeats++;
    });
    await d.start();

    clock.advance(9_000);
    master.send({ type: EventType.HEARTBEAT }); // resets the watchdog
    await waitFor(() => heartbeats === 1, 'heartbeat');
    clock.advance(9_999);
    expect(disconnects).to.have.length(0);
    clock.advance(1);
    await waitFor(() => disconnects.length === 1, 'disconnected');
    expect(disconnects[0]?.reason).to.match(/no heartbeat .* 10000 ms/);
    await waitFor(() => master.current.ended, 'the silent stream to be closed');

    clock.advance(999);
    expect(master.callsOf(CallType.SUBSCRIBE)).to.have.length(1);
    clock.advance(1); // the backoff
    await master.waitForCalls(CallType.RECONCILE);
    expect(master.callsOf(CallType.SUBSCRIBE)[1]?.call.subscribe?.frameworkInfo?.id?.value).to.equal('fw-1');
  });

  it('backs off exponentially while the master refuses with a retryable code', async () => {
    const clock = new FakeClock(0);
    const logger = captureLogger();
    const refusals = (): number => logger.lines.filter((l) => l.msg.startsWith('re-subscription refused')).length;
    const d = newDriver({ clock, reconnectBackoffMs: 100, logger });
    let disconnected = false;
    d.on('disconnected', () => {
      disconnected = true;
    });
    await d.start();
    master.nextSubscribes.push(
      { refuse: { code: 'NOT_LEADER', message: 'not the leader' } },
      { refuse: { code: 'NOT_LEADER', message: 'not the leader' } },
    );
    master.end();
    await waitFor(() => disconnected, 'disconnected');
    clock.advance(99);
    expect(master.callsOf(CallType.SUBSCRIBE)).to.have.length(1);
    clock.advance(1);
    await waitFor(() => refusals() === 1, 'refused attempt');
    clock.advance(199);
    expect(master.callsOf(CallType.SUBSCRIBE)).to.have.length(2);
    clock.advance(1);
    await waitFor(() => refusals() === 2, 'refused again');
    clock.advance(399);
    expect(master.callsOf(CallType.SUBSCRIBE)).to.have.length(3);
    clock.advance(1);
    await master.waitForCalls(CallType.RECONCILE);
    expect(d.isSubscribed).to.equal(true);
  });

  it('rejects start() with a typed error when the master refuses the subscription', async () => {
    master.nextSubscribes.push({ refuse: { code: 'FRAMEWORK_REMOVED', message: 'framework fw-0 was removed' } });
    const d = newDriver({ framework: { name: 'test', id: { value: 'fw-0' } } });
    const codes: string[] = [];
    d.on('error', (e) => {
      codes.push(e.code ?? '');
    });
    const err = await d.start().then(
      () => expect.fail('start() must reject'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(SubscribeRefusedError);
    const refused = err as SubscribeRefusedError;
    expect(refused.masterCode).to.equal('FRAMEWORK_REMOVED');
    expect(refused.code).to.equal('FRAMEWORK_REMOVED');
    expect(refused.message).to.match(/refused the subscription .*was removed/);
    await waitFor(() => codes.length === 1, 'error callback');
    expect(codes).to.deep.equal(['FRAMEWORK_REMOVED']);
    await waitFor(() => !d.isSubscribed && throws(() => d.revive()), 'the driver to stop');
  });

  it('stops for good when another instance of the framework takes over (FRAMEWORK_FAILED_OVER)', async () => {
    const d = newDriver();
    const disconnects: DisconnectedEvent[] = [];
    d.on('disconnected', (e) => {
      disconnects.push(e);
    });
    await d.start();
    master.send({ type: EventType.ERROR, error: { code: 'FRAMEWORK_FAILED_OVER', message: 'another scheduler' } });
    await waitFor(() => disconnects.length === 1, 'disconnected');
    expect(disconnects[0]?.willReconnect).to.equal(false);
    await waitFor(() => throws(() => d.revive()), 'the driver to stop');
    expect(master.callsOf(CallType.SUBSCRIBE)).to.have.length(1);
  });

  it('keeps trying while nothing listens at the address, and subscribes once a master is up', async () => {
    const port = master.port;
    await master.stop();
    const logger = captureLogger();
    const d = newDriver({ master: `127.0.0.1:${port}`, logger });
    let settled = false;
    const started = d.start().finally(() => {
      settled = true;
    });
    await waitFor(() => logger.lines.filter((l) => l.msg === 'cannot subscribe').length >= 2, 'two failed attempts');
    expect(settled).to.equal(false);
    expect(logger.lines.find((l) => l.msg === 'cannot subscribe')?.fields?.['reason']).to.match(/UNAVAILABLE/);
    master = await FakeMaster.start(port);
    const sub = await started;
    expect(sub.frameworkId).to.equal('fw-1');
  });
});

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}
