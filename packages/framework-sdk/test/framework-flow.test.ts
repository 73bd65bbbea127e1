// A small framework, as the README writes one, against the fake master:
// offers in, LAUNCH out, updates in, acknowledgements and TEARDOWN out.
import { expect } from 'chai';
import {
  CallType,
  EventType,
  Resources,
  SchedulerDriver,
  TaskState,
  isTerminalState,
  matchOffers,
  silentLogger,
  type TaskRequest,
} from '../src/index.js';
import { FakeMaster } from './helpers/fake-master.js';
import { waitFor } from './helpers/wait-for.js';

describe('a framework built on the SDK', () => {
  let master: FakeMaster;
  beforeEach(async () => {
    master = await FakeMaster.start();
  });
  afterEach(() => master.stop());

  it('places its tasks, declines the rest with reasons, suppresses, and tears down when done', async () => {
    const pending: TaskRequest[] = [1, 2, 3].map((i) => ({
      taskId: `hello-${i}`,
      resources: 'cpus:1;mem:32',
      ports: 1,
      command: { value: 'echo hello' },
    }));
    let running = pending.length;
    const driver = new SchedulerDriver({ master: master.address, framework: { name: 'hello' }, logger: silentLogger });
    driver.on('offers', ({ offers }) => {
      const m = matchOffers(offers ?? [], pending.splice(0));
      for (const { offer, tasks } of m.launches) driver.launch(offer.id?.value ?? '', tasks);
      pending.push(...m.unmatched.map((u) => u.request));
      const unused = m.unused.map((o) => o.id?.value ?? '');
      if (unused.length > 0) driver.decline(unused, { refuseSeconds: 30 }, m.declineReasons);
      if (pending.length === 0) driver.suppress();
    });
    let tornDown: Promise<void> | undefined;
    driver.on('update', ({ status }) => {
      if (isTerminalState(status?.state) && --running === 0) tornDown = driver.teardown();
    });
    await driver.start();

    const offer = (id: string, res: string) => ({
      id: { value: id },
      agentId: { value: `agent-${id}` },
      hostname: id,
      resources: Resources.parse(res).toProto(),
    });
    master.send({
      type: EventType.OFFERS,
      offers: { offers: [offer('o1', 'cpus:2;mem:64;ports:[31000-31001]'), offer('o2', 'cpus:0.5;mem:512')] },
    });
    const [accept] = await master.waitForCalls(CallType.ACCEPT);
    const [decline] = await master.waitForCalls(CallType.DECLINE);
    const launched = accept?.call.accept?.operations?.[0]?.launch?.taskInfos ?? [];
    expect(launched.map((t) => t.taskId?.value)).to.deep.equal(['hello-1', 'hello-2']);
    expect(decline?.call.decline?.offerIds?.map((o) => o.value)).to.deep.equal(['o2']);
    expect(decline?.call.decline?.reasons?.map((r) => [r.reason, r.count])).to.deep.equal([
      ['insufficient cpus', 1], // o1 is full after two tasks, o2 has 0.5 cpus
      ['insufficient mem', 1], // o1 is full
    ]);
    expect(master.callsOf(CallType.SUPPRESS)).to.have.length(0);

    master.send({ type: EventType.OFFERS, offers: { offers: [offer('o3', 'cpus:1;mem:32;ports:[8000-8000]')] } });
    await master.waitForCalls(CallType.SUPPRESS);
    expect(
      master.callsOf(CallType.ACCEPT)[1]?.call.accept?.operations?.[0]?.launch?.taskInfos?.[0]?.agentId?.value,
    ).to.equal('agent-o3');

    for (const [i, t] of ['hello-1', 'hello-2', 'hello-3'].entries()) {
      const uuid = Uint8Array.from({ length: 16 }, (_, k) => (k === 0 ? i + 1 : k));
      master.send({
        type: EventType.UPDATE,
        update: { status: { taskId: { value: t }, agentId: { value: 'a' }, state: TaskState.TASK_FINISHED, uuid } },
      });
    }
    await master.waitForCalls(CallType.TEARDOWN);
    await waitFor(() => tornDown, 'teardown() to be called');
    await tornDown;
    // The last update's handler tore the framework down: its ACK would have nowhere to go.
    const acked = master.callsOf(CallType.ACKNOWLEDGE).map((c) => c.call.acknowledge?.taskId?.value);
    expect(acked).to.deep.equal(['hello-1', 'hello-2']);
    expect(driver.isSubscribed).to.equal(false);
  });
});
