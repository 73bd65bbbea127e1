import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@mesocosm/agent';
import { SchedulerDriver, matchOffers } from '@mesocosm/framework-sdk';
import { Master } from '@mesocosm/master';
import {
  AgentCallType,
  CallType,
  SchedulerService,
  TaskState,
  silentLogger,
  uuidToString,
  type ITaskStatus,
} from '@mesocosm/protocol';
import { GrpcMessageProxy, waitFor } from '../../src/index.js';

describe('GrpcMessageProxy between a real agent and master', function () {
  this.timeout(60_000);
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('drops the first 2 status updates: the agent resends and the framework gets each update once, in order', async () => {
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    cleanups.push(() => master.stop());
    const agentProxy = await GrpcMessageProxy.start({ service: 'agent', target: master.grpcAddress });
    cleanups.push(() => agentProxy.close());
    const schedulerProxy = await GrpcMessageProxy.start({ service: 'scheduler', target: master.grpcAddress });
    cleanups.push(() => schedulerProxy.close());

    // Every UPDATE the agent sends, as the proxy saw it (dropped or not).
    const sent: Array<{ uuid: string; state: number }> = [];
    agentProxy.addFilter((direction, m) => {
      if (direction === 'toServer' && m.type === AgentCallType.UPDATE) {
        const status = m.update?.status;
        sent.push({ uuid: uuidToString(status?.uuid ?? new Uint8Array()), state: status?.state ?? -1 });
      }
      return 'pass';
    });
    const drops = agentProxy.dropFirst(2, { direction: 'toServer', type: 'UPDATE' });

    const workDir = await mkdtemp(join(tmpdir(), 'mesocosm-proxy-agent-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const agent = await Agent.start({
      master: agentProxy.address,
      workDir,
      ip: '127.0.0.1',
      port: 0,
      grpcPort: 0,
      resources: 'cpus:1;mem:256;disk:256;ports:[34000-34009]',
      isolation: 'posix',
      killTasksOnExit: true,
      statusUpdateRetryMs: 1_000,
      logger: silentLogger,
    });
    cleanups.push(() => agent.stop());
    await agent.registered(); // through the proxy
    expect(agentProxy.counts().passed.toServer['REGISTER']).to.equal(1);
    expect(agentProxy.counts().passed.toClient['REGISTERED']).to.equal(1);

    const updates: ITaskStatus[] = [];
    let pending = [{ taskId: 'short', resources: 'cpus:0.1;mem:16', command: { value: 'echo hello' } }];
    const driver = new SchedulerDriver({
      master: schedulerProxy.address,
      framework: { name: 'proxy-probe', user: 'nobody' },
      logger: silentLogger,
    });
    cleanups.push(() => driver.stop());
    driver.on('offers', ({ offers }) => {
      const m = matchOffers(offers ?? [], pending);
      pending = [];
      for (const { offer, tasks } of m.launches) driver.launch(offer.id?.value ?? '', tasks);
      const unused = m.unused.map((o) => o.id?.value ?? '');
      if (unused.length > 0) driver.decline(unused, { refuseSeconds: 3600 });
    });
    driver.on('update', ({ status }) => {
      if (status) updates.push(status);
    });
    await driver.start();

    await waitFor(() => updates.some((s) => s.state === TaskState.TASK_FINISHED), {
      timeoutMs: 30_000,
      message: 'TASK_FINISHED at the framework',
    });
    // Every update the agent sent reached the framework once, in the order sent; the two dropped sends
    // were the first update, resent by the agent until it got through.
    const distinct = sent.filter((s, i) => sent.findIndex((t) => t.uuid === s.uuid) === i);
    await waitFor(() => updates.length >= distinct.length, { message: 'every distinct update at the framework' });
    const got = updates.map((s) => ({ uuid: uuidToString(s.uuid ?? new Uint8Array()), state: s.state ?? -1 }));
    expect(got).to.deep.equal(distinct);
    expect(got.at(-1)?.state).to.equal(TaskState.TASK_FINISHED);
    expect(new Set(got.map((g) => g.uuid)).size).to.equal(got.length);
    expect(sent.slice(0, 3).map((s) => s.uuid)).to.deep.equal(Array(3).fill(distinct[0]?.uuid));
    expect(drops.dropped).to.equal(2);
    const counts = agentProxy.counts();
    expect(counts.dropped.toServer).to.deep.equal({ UPDATE: 2 });
    expect(counts.passed.toServer['UPDATE']).to.equal(distinct.length);
    // The framework's stream went through the other proxy: each update, and an ACKNOWLEDGE for each.
    await waitFor(() => schedulerProxy.counts().passed.toServer['ACKNOWLEDGE'] === distinct.length, {
      message: 'an acknowledgement per update',
    });
    expect(schedulerProxy.counts().passed.toClient['UPDATE']).to.equal(distinct.length);
    expect(schedulerProxy.counts().passed.toServer['SUBSCRIBE']).to.equal(1);
    console.log(
      `      states at the framework: ${got.map((g) => TaskState[g.state]).join(', ')}; sends seen by the proxy: ${sent.length}`,
    );
  });

  it("proxies the scheduler's unary Call too: the master's answer comes back, a dropped call gets UNAVAILABLE", async () => {
    const master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger });
    cleanups.push(() => master.stop());
    const proxy = await GrpcMessageProxy.start({ service: 'scheduler', target: master.grpcAddress });
    cleanups.push(() => proxy.close());
    const client = new grpc.Client(proxy.address, grpc.credentials.createInsecure());
    cleanups.push(async () => client.close());
    const call = (): Promise<grpc.ServiceError | null> =>
      new Promise((resolve) =>
        client.makeUnaryRequest(
          SchedulerService.call.path,
          SchedulerService.call.serialize,
          SchedulerService.call.deserialize,
          { type: CallType.REVIVE, streamId: 'no-such-stream' },
          (err) => resolve(err),
        ),
      );
    const refused = await call();
    expect(refused?.code).to.equal(grpc.status.FAILED_PRECONDITION); // the master's own answer: no live stream
    proxy.dropFirst(1, { direction: 'toServer', type: 'REVIVE' });
    const dropped = await call();
    expect([dropped?.code, dropped?.details]).to.deep.equal([grpc.status.UNAVAILABLE, 'dropped by the proxy']);
    expect(proxy.counts().dropped.toServer).to.deep.equal({ REVIVE: 1 });
    expect(proxy.counts().passed.toServer).to.deep.equal({ REVIVE: 1 });
  });
});
