// The operator HTTP endpoints and Operator gRPC API against a real master.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { AgentEventType, OperatorService, silentLogger, TaskState, type mesocosm } from '@mesocosm/protocol';
import { Master, type MasterState } from '../src/index.js';
import { FakeAgent } from './helpers/fake-agent.js';
import { RawScheduler } from './helpers/raw-scheduler.js';
import { acceptCall, idOf, task } from './helpers/tasks.js';
import { waitFor } from './helpers/wait-for.js';

describe('master HTTP and operator APIs', function () {
  this.timeout(15_000);
  let master: Master;
  let agent: FakeAgent;
  let sched: RawScheduler;

  before(async () => {
    master = await Master.start({ ip: '127.0.0.1', port: 0, grpcPort: 0, logger: silentLogger, hostname: 'm1' });
    agent = new FakeAgent(master.grpcAddress);
    await agent.register('cpus:4;mem:4096;disk:1000', {
      attributes: [{ name: 'zone', type: 3, text: { value: 'a' } }],
    });
    sched = new RawScheduler(master.grpcAddress);
    await sched.subscribe({ name: 'web', roles: ['web'] });
    const offer = await sched.offer();
    sched.send(acceptCall([idOf(offer)], [task('h1', agent.agentId, 'cpus:1.5;mem:256')], 60));
    await agent.take(AgentEventType.RUN_TASK);
    agent.sendUpdate(sched.frameworkId, 'h1', TaskState.TASK_RUNNING);
    await sched.update('h1', TaskState.TASK_RUNNING);
  });

  after(async () => {
    agent.close();
    sched.close();
    await master.stop();
  });

  it('serves /master/state reflecting agents, frameworks and tasks', async () => {
    const res = await fetch(`${master.httpUrl}/master/state`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json');
    const state = (await res.json()) as MasterState;
    expect(state.id).to.equal(master.info.id);
    expect(state.hostname).to.equal('m1');
    expect(state.leader_info.grpc_port).to.equal(master.info.grpcPort);
    expect(state.leader_info.epoch).to.equal(1);
    expect(state.slaves).to.have.length(1);
    const slave = state.slaves[0];
    expect(slave?.id).to.equal(agent.agentId);
    expect(slave?.resources).to.deep.equal({ cpus: 4, mem: 4096, disk: 1000 });
    expect(slave?.used_resources).to.deep.equal({ cpus: 1.5, mem: 256 });
    expect(slave?.attributes).to.deep.equal({ zone: 'a' });
    expect(slave?.active).to.equal(true);
    expect(slave?.url).to.equal('http://127.0.0.1:5051');
    const fw = state.frameworks[0];
    expect(fw?.name).to.equal('web');
    expect(fw?.roles).to.deep.equal(['web']);
    expect(fw?.connected).to.equal(true);
    expect(fw?.dominant_share).to.be.closeTo(0.375, 1e-9);
    expect(fw?.tasks[0]).to.include({ id: 'h1', state: 'TASK_RUNNING', agent_id: agent.agentId, role: 'web' });
    expect(fw?.tasks[0]?.statuses.map((s) => s.state)).to.deep.equal(['TASK_RUNNING']);
    expect(state).to.deep.equal(JSON.parse(JSON.stringify(master.state())));
  });

  it('serves /metrics/snapshot with Mesos keys', async () => {
    const metrics = (await (await fetch(`${master.httpUrl}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/elected']).to.equal(1);
    expect(metrics['master/uptime_secs']).to.be.a('number').and.at.least(0);
    expect(metrics['master/slaves_active']).to.equal(1);
    expect(metrics['master/frameworks_active']).to.equal(1);
    expect(metrics['master/tasks_running']).to.equal(1);
    expect(metrics['master/tasks_finished']).to.equal(0);
    expect(metrics['master/cpus_total']).to.equal(4);
    expect(metrics['master/cpus_used']).to.equal(1.5);
    expect(metrics['master/mem_total']).to.equal(4096);
    expect(metrics['master/mem_used']).to.equal(256);
    expect(metrics).to.have.property('master/offers_outstanding');
  });

  it('serves /health, /master/redirect, 404 and 405', async () => {
    expect((await fetch(`${master.httpUrl}/health`)).status).to.equal(200);
    const redirect = await fetch(`${master.httpUrl}/master/redirect`, { redirect: 'manual' });
    expect(redirect.status).to.equal(307);
    expect(redirect.headers.get('location')).to.equal(master.httpUrl);
    const missing = await fetch(`${master.httpUrl}/nope`);
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: string }).error).to.match(/no such endpoint/);
    const post = await fetch(`${master.httpUrl}/master/state`, { method: 'POST', body: 'x' });
    expect(post.status).to.equal(405);
    const huge = await fetch(`${master.httpUrl}/master/state`, { method: 'POST', body: 'x'.repeat(100_000) }).catch(
      () => undefined,
    );
    if (huge) expect(huge.status).to.equal(413);
  });

  it('answers Operator.GetState and Operator.Teardown over gRPC', async () => {
    const client = new grpc.Client(master.grpcAddress, grpc.credentials.createInsecure());
    const unary = <Req, Res>(
      m: { path: string; serialize: (r: Req) => Buffer; deserialize: (b: Buffer) => Res },
      req: Req,
    ) =>
      new Promise<Res>((resolve, reject) =>
        client.makeUnaryRequest(m.path, m.serialize, m.deserialize, req, (err, res) =>
          err || !res ? reject(err) : resolve(res),
        ),
      );
    const state = await unary<mesocosm.v1.IOperatorRequest, mesocosm.v1.ClusterState>(OperatorService.getState, {});
    expect(state.masterInfo?.id).to.equal(master.info.id);
    expect(state.agents[0]?.agentInfo?.id?.value).to.equal(agent.agentId);
    expect(state.frameworks[0]?.frameworkInfo?.id?.value).to.equal(sched.frameworkId);
    expect(state.tasks[0]?.state).to.equal(TaskState.TASK_RUNNING);
    const missing = await unary(OperatorService.teardown, { frameworkId: { value: 'nope' } }).catch(
      (e: { code: number }) => e,
    );
    expect((missing as { code: number }).code).to.equal(grpc.status.NOT_FOUND);
    await unary(OperatorService.teardown, { frameworkId: { value: sched.frameworkId } });
    await agent.take(AgentEventType.SHUTDOWN_FRAMEWORK);
    await waitFor(() => master.state().frameworks.length === 0, 'framework removed');
    client.close();
  });
});
