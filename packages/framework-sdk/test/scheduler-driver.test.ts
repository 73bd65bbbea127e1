// The scheduler driver against a fake master over real gRPC on 127.0.0.1.
import { expect } from 'chai';
import {
  CallType,
  EventType,
  SchedulerDriver,
  TaskState,
  silentLogger,
  type Event,
  type SchedulerDriverOptions,
  type UpdateEvent,
} from '../src/index.js';
import { FakeMaster } from './helpers/fake-master.js';
import { waitFor } from './helpers/wait-for.js';

const uuid = (n: number): Uint8Array => Uint8Array.from([n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

function update(taskId: string, state: TaskState, id?: Uint8Array) {
  return {
    type: EventType.UPDATE,
    update: {
      status: { taskId: { value: taskId }, agentId: { value: 'agent-1' }, state, ...(id ? { uuid: id } : {}) },
    },
  };
}

describe('SchedulerDriver', () => {
  let master: FakeMaster;
  let driver: SchedulerDriver | undefined;

  const newDriver = (extra: Partial<SchedulerDriverOptions> = {}): SchedulerDriver => {
    driver = new SchedulerDriver({
      master: master.address,
      framework: { name: 'test', user: 'nobody' },
      logger: silentLogger,
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

  it('subscribes, then stamps the stream ID and framework ID on every later call', async () => {
    const d = newDriver();
    const errors: string[] = [];
    d.on('error', (e) => {
      errors.push(e.code ?? '');
    });
    let heartbeats = 0;
    d.on('heartbeat', (e) => {
      expect(e.type).to.equal(EventType.HEARTBEAT);
      heartbeats++;
    });
    const sub = await d.start();
    expect(sub.frameworkId).to.equal('fw-1');
    expect(sub.streamId).to.equal('stream-0');
    expect(sub.heartbeatIntervalSeconds).to.equal(15);
    expect(sub.masterInfo.id).to.equal('fake-master');
    expect(d.frameworkId).to.equal('fw-1');

    const first = master.calls[0]?.call;
    expect(first?.type).to.equal(CallType.SUBSCRIBE);
    expect(first?.subscribe?.frameworkInfo?.name).to.equal('test');
    expect(first?.streamId).to.equal('');

    d.revive(['web']);
    d.kill('task-1', 'agent-1', { gracePeriodSeconds: 3 });
    const [kill] = await master.waitForCalls(CallType.KILL);
    const [revive] = master.callsOf(CallType.REVIVE);
    for (const c of [revive?.call, kill?.call]) {
      expect(c?.streamId).to.equal('stream-0');
      expect(c?.frameworkId?.value).to.equal('fw-1');
    }
    expect(revive?.call.revive?.roles).to.deep.equal(['web']);
    expect(kill?.call.kill?.taskId?.value).to.equal('task-1');
    expect(kill?.call.kill?.agentId?.value).to.equal('agent-1');
    expect(kill?.call.kill?.killPolicy?.gracePeriodSeconds).to.equal(3);
    // The fake master answers a wrongly stamped call with STALE_STREAM, before this heartbeat: none came.
    master.send({ type: EventType.HEARTBEAT });
    await waitFor(() => heartbeats === 1, 'the heartbeat');
    expect(errors).to.deep.equal([]);
  });

  it('resumes a framework ID given in the FrameworkInfo', async () => {
    const d = newDriver({ framework: { name: 'test', id: { value: 'fw-resumed' } } });
    expect(d.frameworkId).to.equal('fw-resumed');
    const sub = await d.start();
    expect(sub.frameworkId).to.equal('fw-resumed');
    expect(master.calls[0]?.call.subscribe?.frameworkInfo?.id?.value).to.equal('fw-resumed');
  });

  it('queues calls made before the subscription completes and sends them after SUBSCRIBE, in order', async () => {
    const d = newDriver();
    d.suppress();
    d.reconcile([{ taskId: 't1', agentId: 'a1' }, { taskId: 't2' }]);
    d.decline(['offer-9'], { refuseSeconds: 60 }, [{ reason: 'insufficient cpus', count: 2 }]);
    expect(master.calls).to.have.length(0);
    await d.start();
    await master.waitForCalls(CallType.DECLINE);
    expect(master.calls.map((c) => c.call.type)).to.deep.equal([
      CallType.SUBSCRIBE,
      CallType.SUPPRESS,
      CallType.RECONCILE,
      CallType.DECLINE,
    ]);
    for (const c of master.calls.slice(1)) expect(c.call.streamId).to.equal('stream-0');
    const reconcile = master.callsOf(CallType.RECONCILE)[0]?.call.reconcile;
    expect(reconcile?.tasks?.map((t) => [t.taskId?.value, t.agentId?.value ?? null])).to.deep.equal([
      ['t1', 'a1'],
      ['t2', null],
    ]);
    const decline = master.callsOf(CallType.DECLINE)[0]?.call.decline;
    expect(decline?.offerIds?.map((o) => o.value)).to.deep.equal(['offer-9']);
    expect(decline?.filters?.refuseSeconds).to.equal(60);
    expect(decline?.reasons?.[0]?.reason).to.equal('insufficient cpus');
  });

  it('sends launch as an ACCEPT with one LAUNCH operation', async () => {
    const d = newDriver();
    await d.start();
    d.launch('offer-1', [{ name: 't', taskId: { value: 't' }, agentId: { value: 'a' } }], { refuseSeconds: 0 });
    const [accept] = await master.waitForCalls(CallType.ACCEPT);
    const a = accept?.call.accept;
    expect(a?.offerIds?.map((o) => o.value)).to.deep.equal(['offer-1']);
    expect(a?.operations?.[0]?.launch?.taskInfos?.[0]?.taskId?.value).to.equal('t');
    expect(a?.filters?.refuseSeconds).to.equal(0);
  });

  it('delivers events in order to several iterators and to typed callbacks', async () => {
    const d = newDriver();
    const it1 = d.events();
    const it2 = d.events();
    const offers: string[] = [];
    const rescinds: string[] = [];
    const off = d.on('offers', (p) => {
      offers.push(...(p.offers ?? []).map((o) => o.id?.value ?? ''));
    });
    d.on('rescind', (p, event) => {
      rescinds.push(p.offerId?.value ?? '');
      expect(event?.type).to.equal(EventType.RESCIND);
    });
    await d.start();
    master.send({ type: EventType.OFFERS, offers: { offers: [{ id: { value: 'o1' } }, { id: { value: 'o2' } }] } });
    master.send({ type: EventType.RESCIND, rescind: { offerId: { value: 'o1' } } });
    await waitFor(() => rescinds.length === 1, 'rescind callback');
    off();
    master.send({ type: EventType.OFFERS, offers: { offers: [{ id: { value: 'o3' } }] } });
    master.send({ type: EventType.HEARTBEAT });

    const take = async (it: AsyncIterableIterator<Event>, n: number): Promise<EventType[]> => {
      const types: EventType[] = [];
      while (types.length < n) {
        const r = await it.next();
        if (r.done) break;
        types.push(r.value.type);
      }
      return types;
    };
    const expected = [EventType.SUBSCRIBED, EventType.OFFERS, EventType.RESCIND, EventType.OFFERS, EventType.HEARTBEAT];
    expect(await take(it1, 5)).to.deep.equal(expected);
    expect(await take(it2, 5)).to.deep.equal(expected);
    expect(offers).to.deep.equal(['o1', 'o2']); // unsubscribed before o3
    expect(rescinds).to.deep.equal(['o1']);

    await it2.return?.();
    await d.stop();
    expect((await it1.next()).done).to.equal(true);
  });

  it('acknowledges updates that carry a uuid after the handlers ran, and not those without', async () => {
    const d = newDriver();
    const seen: string[] = [];
    let acksWhenHandled = -1;
    d.on('update', async ({ status }) => {
      await new Promise((resolve) => setImmediate(resolve));
      acksWhenHandled = master.callsOf(CallType.ACKNOWLEDGE).length;
      seen.push(status?.taskId?.value ?? '');
    });
    await d.start();
    master.send(update('no-uuid', TaskState.TASK_LOST));
    master.send(update('with-uuid', TaskState.TASK_RUNNING, uuid(1)));
    const [ack] = await master.waitForCalls(CallType.ACKNOWLEDGE);
    expect(seen).to.deep.equal(['no-uuid', 'with-uuid']);
    expect(acksWhenHandled).to.equal(0); // the handler had finished before the ACK went out
    expect(ack?.call.acknowledge?.taskId?.value).to.equal('with-uuid');
    expect(ack?.call.acknowledge?.agentId?.value).to.equal('agent-1');
    expect(Buffer.from(ack?.call.acknowledge?.uuid ?? []).equals(Buffer.from(uuid(1)))).to.equal(true);
    // Nothing was acknowledged for the update without uuid, and nothing else follows.
    master.send(update('marker', TaskState.TASK_RUNNING, uuid(2)));
    await master.waitForCalls(CallType.ACKNOWLEDGE, 2);
    expect(master.callsOf(CallType.ACKNOWLEDGE).map((c) => c.call.acknowledge?.taskId?.value)).to.deep.equal([
      'with-uuid',
      'marker',
    ]);
  });

  it('with autoAcknowledge off, acknowledges only when told to', async () => {
    const d = newDriver({ autoAcknowledge: false });
    const updates: UpdateEvent[] = [];
    d.on('update', (u) => {
      updates.push(u);
    });
    await d.start();
    master.send(update('t1', TaskState.TASK_RUNNING, uuid(1)));
    await waitFor(() => updates.length === 1, 'update');
    d.reconcile();
    await master.waitForCalls(CallType.RECONCILE);
    expect(master.callsOf(CallType.ACKNOWLEDGE)).to.have.length(0);
    const status = updates[0]?.status;
    if (!status) throw new Error('no status');
    d.acknowledge(status);
    const [ack] = await master.waitForCalls(CallType.ACKNOWLEDGE);
    expect(ack?.call.acknowledge?.taskId?.value).to.equal('t1');
    expect(() => d.acknowledge({ taskId: { value: 'x' } })).to.throw(/no uuid/);
  });

  it('delivers an update once per uuid but acknowledges every copy', async () => {
    const d = newDriver();
    const seen: string[] = [];
    d.on('update', ({ status }) => {
      seen.push(status?.taskId?.value ?? '');
    });
    await d.start();
    master.send(update('t1', TaskState.TASK_RUNNING, uuid(7)));
    await master.waitForCalls(CallType.ACKNOWLEDGE, 1);
    master.send(update('t1', TaskState.TASK_RUNNING, uuid(7))); // resent: its ACK was "lost"
    master.send(update('t1', TaskState.TASK_FINISHED, uuid(8)));
    await master.waitForCalls(CallType.ACKNOWLEDGE, 3);
    expect(seen).to.deep.equal(['t1', 't1']);
    const acked = master.callsOf(CallType.ACKNOWLEDGE).map((c) => c.call.acknowledge?.uuid?.[0]);
    expect(acked).to.deep.equal([7, 7, 8]);
  });

  it('neither acknowledges nor remembers an update whose handler threw, so its resend is delivered', async () => {
    const d = newDriver();
    let calls = 0;
    d.on('update', () => {
      calls++;
      if (calls === 1) throw new Error('database down');
    });
    await d.start();
    master.send(update('t1', TaskState.TASK_RUNNING, uuid(3)));
    await waitFor(() => calls === 1, 'first delivery');
    master.send(update('t1', TaskState.TASK_RUNNING, uuid(3)));
    const acks = await master.waitForCalls(CallType.ACKNOWLEDGE, 1);
    expect(calls).to.equal(2);
    expect(acks).to.have.length(1);
  });

  it('drops events from an older master epoch', async () => {
    master.epoch = 5;
    const d = newDriver();
    const types: string[] = [];
    d.on('offers', () => {
      types.push('offers');
    });
    d.on('rescind', () => {
      types.push('rescind');
    });
    d.on('update', () => {
      types.push('update');
    });
    await d.start();
    master.send({ epoch: 4, type: EventType.OFFERS, offers: { offers: [{ id: { value: 'stale' } }] } });
    master.send({ epoch: 3, ...update('t', TaskState.TASK_KILLED, uuid(1)) });
    master.send({ epoch: 6, type: EventType.RESCIND, rescind: { offerId: { value: 'o' } } });
    master.send({ epoch: 5, type: EventType.OFFERS, offers: { offers: [{ id: { value: 'also-stale' } }] } });
    master.send({ epoch: 6, type: EventType.OFFERS, offers: { offers: [{ id: { value: 'fresh' } }] } });
    await waitFor(() => types.length === 2, 'two fresh events');
    expect(types).to.deep.equal(['rescind', 'offers']);
    expect(master.callsOf(CallType.ACKNOWLEDGE)).to.have.length(0);
  });

  it("delivers a master ERROR as 'error' with its code", async () => {
    const d = newDriver();
    const errors: Array<[string, string]> = [];
    d.on('error', (e) => {
      errors.push([e.code ?? '', e.message ?? '']);
    });
    await d.start();
    master.send({ type: EventType.ERROR, error: { code: 'UNKNOWN_OFFER', message: 'offer o9 is unknown' } });
    await waitFor(() => errors.length === 1, 'error');
    expect(errors).to.deep.equal([['UNKNOWN_OFFER', 'offer o9 is unknown']]);
    expect(d.isSubscribed).to.equal(true);
  });

  it('tears down: TEARDOWN on the stream, then stopped', async () => {
    const d = newDriver();
    await d.start();
    await d.teardown();
    const [teardown] = master.callsOf(CallType.TEARDOWN);
    expect(teardown?.call.streamId).to.equal('stream-0');
    expect(d.isSubscribed).to.equal(false);
    expect(() => d.revive()).to.throw(/stopped/);
  });

  it('stop() closes the stream without TEARDOWN, ends iterators and refuses later calls', async () => {
    const d = newDriver();
    const it = d.events();
    await d.start();
    await d.stop();
    await waitFor(() => master.current.ended, 'the stream to close');
    expect(master.callsOf(CallType.TEARDOWN)).to.have.length(0);
    expect((await it.next()).value?.type).to.equal(EventType.SUBSCRIBED);
    expect((await it.next()).done).to.equal(true);
    expect(() => d.kill('t')).to.throw(/stopped/);
    await d.start().then(
      () => expect.fail('start after stop must fail'),
      (err: Error) => expect(err.name).to.equal('DriverStoppedError'),
    );
  });

  it('rejects malformed calls at once', async () => {
    const d = newDriver();
    expect(() => d.decline([])).to.throw(/at least one offer/);
    expect(() => d.kill('')).to.throw(/taskId/);
    expect(() => new SchedulerDriver({ master: 'nohost', framework: {} })).to.throw(/host:port|127\.0\.0\.1:5060/);
  });
});
