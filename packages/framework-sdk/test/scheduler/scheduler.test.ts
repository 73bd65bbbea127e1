// The Scheduler through a real SchedulerDriver against the fake master over
// gRPC on 127.0.0.1; the Scheduler's own time is a FakeClock.
import { expect } from 'chai';
import {
  CallType,
  EventType,
  FakeClock,
  Resources,
  Scheduler,
  SchedulerDriver,
  TaskState,
  parseConstraints,
  silentLogger,
  type IOffer,
  type ITaskStatus,
  type SchedulerOptions,
  type WantedTask,
} from '../../src/index.js';
import { FakeMaster } from '../helpers/fake-master.js';
import { waitFor } from '../helpers/wait-for.js';

function offer(id: string, hostname: string): IOffer {
  return {
    id: { value: id },
    agentId: { value: `agent-${id}` },
    hostname,
    resources: Resources.parse('cpus:2;mem:1024;ports:[31000-31009]').toProto(),
    allocationRole: '*',
  };
}

const unique = parseConstraints([['hostname', 'UNIQUE']]);
const web = (i: number): WantedTask => ({
  taskId: `web.${i}`,
  resources: 'cpus:0.5;mem:64',
  ports: 1,
  command: { value: 'sleep 100' },
  constraints: unique,
});

describe('Scheduler (driver and fake master)', () => {
  let master: FakeMaster;
  let clock: FakeClock;
  let scheduler: Scheduler | undefined;

  const start = async (options: SchedulerOptions = {}): Promise<Scheduler> => {
    const driver = new SchedulerDriver({
      master: master.address,
      framework: { name: 'sched-test', user: 'nobody' },
      logger: silentLogger,
      reconnectBackoffMs: 20,
    });
    scheduler = new Scheduler(driver, { clock, logger: silentLogger, ...options });
    return scheduler;
  };

  /** Sends a RECONCILE of a marker task and waits for it: every call made before it has arrived. */
  const barrier = async (s: Scheduler, name: string): Promise<void> => {
    s.driver.reconcile([{ taskId: name }]);
    await waitFor(
      () => master.callsOf(CallType.RECONCILE).some((c) => c.call.reconcile?.tasks?.[0]?.taskId?.value === name),
      `barrier ${name}`,
    );
  };

  beforeEach(async () => {
    master = await FakeMaster.start();
    clock = new FakeClock(1_000_000);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await master.stop();
  });

  it('launches one ACCEPT per offer, declines the rest with 120 s and reasons, suppresses when done', async () => {
    const s = await start();
    s.want('/web', [web(1), web(2), web(3)]);
    await s.start();
    master.send({
      type: EventType.OFFERS,
      offers: { offers: [offer('o1', 'h1'), offer('o2', 'h2'), offer('o3', 'h1')] },
    });

    const accepts = await master.waitForCalls(CallType.ACCEPT, 2);
    const launched = accepts.map(({ call }) => {
      const [op] = call.accept?.operations ?? [];
      expect(call.accept?.offerIds?.length).to.equal(1);
      expect(op?.launch?.taskInfos).to.have.length(1);
      const t = op?.launch?.taskInfos?.[0];
      return [call.accept?.offerIds?.[0]?.value, t?.taskId?.value, t?.agentId?.value];
    });
    expect(launched).to.deep.equal([
      ['o1', 'web.1', 'agent-o1'],
      ['o2', 'web.2', 'agent-o2'],
    ]);
    const [decline] = await master.waitForCalls(CallType.DECLINE);
    expect(decline?.call.decline?.offerIds?.map((o) => o.value)).to.deep.equal(['o3']);
    expect(decline?.call.decline?.filters?.refuseSeconds).to.equal(120);
    expect(decline?.call.decline?.reasons?.map((r) => [r.reason, r.count])).to.deep.equal([
      ['constraint hostname:UNIQUE', 1],
    ]);
    expect(s.offerStats('/web')?.rejections).to.deep.equal({ 'constraint hostname:UNIQUE': 1 });
    expect(master.callsOf(CallType.SUPPRESS)).to.have.length(0);

    // The third instance is not wanted any more: nothing pending, SUPPRESS.
    s.unwant('/web');
    await master.waitForCalls(CallType.SUPPRESS);
    expect(s.suppressed).to.equal(true);
  });

  it('revives when work appears, at most once per 5 s of its clock', async () => {
    const s = await start();
    await s.start();
    await master.waitForCalls(CallType.SUPPRESS); // nothing pending at subscription
    s.want('/a', web(1));
    await master.waitForCalls(CallType.REVIVE, 1);
    s.unwant('/a');
    await master.waitForCalls(CallType.SUPPRESS, 2);

    s.want('/b', web(2));
    s.want('/c', web(3)); // coalesced with /b
    clock.advance(4_999);
    await barrier(s, 'before');
    expect(master.callsOf(CallType.REVIVE)).to.have.length(1);
    clock.advance(1);
    await master.waitForCalls(CallType.REVIVE, 2);
    clock.advance(60_000);
    await barrier(s, 'after');
    expect(master.callsOf(CallType.REVIVE)).to.have.length(2);
  });

  it('reconciles the known tasks after each subscription and periodically', async () => {
    const known = [{ taskId: 't1', agentId: 'a1' }];
    const s = await start({ known: () => known, reconcileIntervalMs: 60_000 });
    await s.start();
    const tasksOf = (n: number) =>
      master
        .waitForCalls(CallType.RECONCILE, n)
        .then((cs) => cs.map((c) => (c.call.reconcile?.tasks ?? []).map((t) => t.taskId?.value)));
    expect(await tasksOf(2)).to.deep.equal([['t1'], []]);
    clock.advance(60_000);
    expect(await tasksOf(4)).to.deep.equal([['t1'], [], ['t1'], []]);

    // The master drops the stream: the driver re-subscribes and reconciles implicitly, we explicitly.
    master.end();
    await waitFor(() => master.streams.length === 2 && master.current.streamId !== '', 're-subscription');
    const after = await waitFor(() => {
      const cs = master.calls.filter((c) => c.stream === 1 && c.call.type !== CallType.SUBSCRIBE);
      return cs.length >= 3 && cs;
    }, 'calls on the new stream');
    expect(after.map((c) => [CallType[c.call.type], (c.call.reconcile?.tasks ?? []).length])).to.deep.equal([
      ['RECONCILE', 0],
      ['RECONCILE', 1],
      ['SUPPRESS', 0],
    ]);
  });

  it('passes status updates to onUpdate, then the driver acknowledges them', async () => {
    const seen: ITaskStatus[] = [];
    const s = await start({ onUpdate: (st) => void seen.push(st) });
    await s.start();
    const uuid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    master.send({
      type: EventType.UPDATE,
      update: { status: { taskId: { value: 'web.1' }, agentId: { value: 'a1' }, state: TaskState.TASK_RUNNING, uuid } },
    });
    const [ack] = await master.waitForCalls(CallType.ACKNOWLEDGE);
    expect(ack?.call.acknowledge?.taskId?.value).to.equal('web.1');
    expect(seen.map((st) => [st.taskId?.value, st.state])).to.deep.equal([['web.1', TaskState.TASK_RUNNING]]);
  });
});
