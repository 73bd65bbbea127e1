// Authentication and ACLs on a real cluster (LocalCluster in this process: a
// master with --authenticate_frameworks/_agents/_http, credentials and ACLs,
// and an agent with --credential and --switch_user): who gets in, what the
// ACLs let them do, what they see, that denials are counted, and that no
// secret reaches /master/state or the logs.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Agent } from '@mesocosm/agent';
import { Chronos } from '@mesocosm/chronos';
import { Marathon } from '@mesocosm/marathon';
import { SchedulerDriver, SubscribeRefusedError, TaskState, taskStateName } from '@mesocosm/framework-sdk';
import type { MasterState, TasksPage } from '@mesocosm/master';
import { OperatorService, reasonName, type mesocosm } from '@mesocosm/protocol';
import { LocalCluster, waitFor } from '@mesocosm/testing';
import { capturingLogger } from '@mesocosm/protocol';
import { basic, cred, launcherLogging, refusal, SECRETS, shellTask } from './auth-helpers.js';

/** What the cluster and the drivers logged. */
const logs: string[] = [];
const launcher = launcherLogging(capturingLogger(logs));

describe('authentication and ACLs on a LocalCluster', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  const drivers: SchedulerDriver[] = [];
  const saved = { principal: process.env['MESOCOSM_PRINCIPAL'], secret: process.env['MESOCOSM_SECRET'] };

  before(async () => {
    delete process.env['MESOCOSM_PRINCIPAL'];
    delete process.env['MESOCOSM_SECRET'];
    cluster = await LocalCluster.start({
      agents: [{ credential: cred('agent'), switchUser: true }],
      logger: capturingLogger(logs),
      operatorCredential: cred('ops'),
      masterOptions: {
        authenticateFrameworks: true,
        authenticateAgents: true,
        authenticateHttp: true,
        credentials: {
          credentials: (['web', 'batch', 'agent', 'ops', 'viewer', 'marathon', 'chronos'] as const).map(cred),
          tokens: [{ principal: 'ops', token: SECRETS.token }],
        },
        acls: {
          permissive: false,
          register_frameworks: [
            { principals: { values: ['web'] }, roles: { values: ['web'] } },
            { principals: { values: ['batch'] }, roles: { values: ['batch'] } },
            { principals: { values: ['marathon', 'chronos'] }, roles: { values: ['*'] } },
          ],
          run_tasks: [{ principals: { type: 'ANY' }, users: { values: ['nobody', 'mesocosm-ghost'] } }],
          teardown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } }],
          drain_agents: [{ principals: { values: ['ops'] }, agents: { type: 'ANY' } }],
          view_frameworks: [
            { principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } },
            { principals: { values: ['viewer'] }, framework_principals: { values: ['web'] } },
          ],
          view_tasks: [
            { principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } },
            { principals: { values: ['viewer'] }, framework_principals: { values: ['web'] } },
          ],
          view_sandboxes: [
            { principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } },
            { principals: { values: ['viewer'] }, framework_principals: { values: ['web'] } },
          ],
        },
      },
    });
    await cluster.waitForAgents(1);
  });

  after(async () => {
    for (const d of drivers) await d.stop().catch(() => undefined);
    await cluster?.stop();
    for (const [k, v] of Object.entries({ MESOCOSM_PRINCIPAL: saved.principal, MESOCOSM_SECRET: saved.secret })) {
      if (v !== undefined) process.env[k] = v;
    }
  });

  it('refuses a framework without credentials (UNAUTHENTICATED), and one with a wrong secret', async () => {
    const none = await refusal(launcher(cluster, { name: 'anon', user: 'nobody', roles: ['web'] }, undefined).driver);
    expect(none).to.be.instanceOf(SubscribeRefusedError);
    expect(none.masterCode).to.equal('UNAUTHENTICATED');
    expect(none.message).to.match(/frameworks must authenticate \(--authenticate_frameworks\)/);

    const wrong = await refusal(
      launcher(cluster, { name: 'guess', user: 'nobody', roles: ['web'] }, { principal: 'web', secret: 'guess' })
        .driver,
    );
    expect(wrong.masterCode).to.equal('UNAUTHENTICATED');
    expect(wrong.message).to.match(/authentication of principal 'web' failed: unknown principal or wrong secret/);
  });

  it('refuses a role its ACL does not give the principal, and a FrameworkInfo.principal that is not its own', async () => {
    const role = await refusal(launcher(cluster, { name: 'w', user: 'nobody', roles: ['batch'] }, cred('web')).driver);
    expect(role.masterCode).to.equal('PERMISSION_DENIED');
    expect(role.message).to.match(
      /principal 'web' may not register a framework with role 'batch': denied by .*"permissive" is false/,
    );
    const other = await refusal(
      launcher(cluster, { name: 'w', user: 'nobody', roles: ['web'], principal: 'batch' }, cred('web')).driver,
    );
    expect(other.masterCode).to.equal('PERMISSION_DENIED');
    expect(other.message).to.match(
      /framework_info.principal 'batch' is not the principal the framework authenticated as \('web'\)/,
    );
  });

  it("runs an authenticated framework's task as nobody, with nobody's uid and gid", async function () {
    if (process.getuid?.() !== 0) {
      if (process.env['CI'] === 'true') throw new Error('running tasks as another user needs the agent to be root');
      this.skip();
    }
    const { driver, updates } = launcher(cluster, { name: 'web', user: 'nobody', roles: ['web'] }, cred('web'), (a) =>
      shellTask('whoami', a, 'id -u; id -g; echo "$USER"; touch mine'),
    );
    drivers.push(driver);
    const { frameworkId } = await driver.start();
    await waitFor(() => updates.some((s) => s.taskId?.value === 'whoami' && s.state === TaskState.TASK_FINISHED), {
      timeoutMs: 30_000,
      message: `task whoami FINISHED (updates: ${updates.map((s) => taskStateName(s.state)).join(', ')})`,
    });
    const state = (await (
      await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('ops') } })
    ).json()) as MasterState;
    expect(state.frameworks.find((f) => f.id === frameworkId)?.principal).to.equal('web');
    const sandbox = join(cluster.agents[0]!.workDir, 'sandboxes', frameworkId, 'tasks', 'whoami', 'run-1');
    expect((await readFile(join(sandbox, 'stdout'), 'utf8')).split('\n').slice(0, 3)).to.deep.equal([
      '65534',
      '65534',
      'nobody',
    ]);
  });

  it('fails a task whose user the agent does not know, naming the user', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const { driver, updates } = launcher(
      cluster,
      { name: 'web-ghost', user: 'nobody', roles: ['web'] },
      cred('web'),
      (a) => shellTask('ghost', a, 'true', 'mesocosm-ghost'),
    );
    drivers.push(driver);
    await driver.start();
    const failed = await waitFor(
      () => updates.find((s) => s.taskId?.value === 'ghost' && s.state === TaskState.TASK_FAILED),
      {
        timeoutMs: 30_000,
        message: 'task ghost FAILED',
      },
    );
    expect(failed.message).to.match(/user 'mesocosm-ghost' does not exist on this agent/);
  });

  it('refuses a task that asks to run as root (run_tasks) with TASK_ERROR naming the ACL', async () => {
    const { driver, updates } = launcher(
      cluster,
      { name: 'web-root', user: 'nobody', roles: ['web'] },
      cred('web'),
      (a) => shellTask('as-root', a, 'id -u', 'root'),
    );
    drivers.push(driver);
    await driver.start();
    const error = await waitFor(() => updates.find((s) => s.taskId?.value === 'as-root'), {
      message: 'an update of as-root',
    });
    expect(taskStateName(error.state)).to.equal('TASK_ERROR');
    expect(reasonName(error.reason)).to.equal('REASON_TASK_UNAUTHORIZED');
    expect(error.message).to.equal(
      "principal 'web' may not run task 'as-root' as user 'root': denied by the ACLs' default: no run_tasks rule applies and \"permissive\" is false",
    );
  });

  it('hides the frameworks, tasks, sandboxes and feed a view ACL does not give', async () => {
    const { driver, updates } = launcher(
      cluster,
      { name: 'batch', user: 'nobody', roles: ['batch'] },
      cred('batch'),
      (a) => shellTask('batch-1', a, 'sleep 60'),
    );
    drivers.push(driver);
    const { frameworkId: batchId } = await driver.start();
    await waitFor(() => updates.some((s) => s.state === TaskState.TASK_RUNNING), { message: 'batch-1 RUNNING' });

    const tasksAs = async (who: 'ops' | 'viewer'): Promise<string[]> => {
      const res = await fetch(`${cluster.masterHttp}/master/tasks?limit=1000`, {
        headers: { authorization: basic(who) },
      });
      expect(res.status).to.equal(200);
      return ((await res.json()) as TasksPage).tasks.map((t) => t.id);
    };
    expect(await tasksAs('ops')).to.include('batch-1');
    const seen = await tasksAs('viewer');
    expect(seen).not.to.include('batch-1');
    expect(seen).to.include('whoami');

    const state = (await (
      await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('viewer') } })
    ).json()) as MasterState;
    expect(state.frameworks.map((f) => f.principal)).to.not.include('batch');
    expect(state.frameworks.map((f) => f.principal)).to.include('web');

    const agentId = cluster.agents[0]!.agentId;
    const files = (who: 'ops' | 'viewer') =>
      fetch(
        `${cluster.masterHttp}/master/agents/${agentId}/files/browse?path=${encodeURIComponent(`${batchId}/tasks/batch-1`)}`,
        { headers: { authorization: basic(who) } },
      );
    const denied = await files('viewer');
    expect(denied.status).to.equal(403);
    expect(((await denied.json()) as { error: string }).error).to.match(
      new RegExp(`principal 'viewer' may not read the sandboxes of framework ${batchId}: denied by`),
    );
    expect((await files('ops')).status).to.equal(200);

    // The feed is filtered per connection: the snapshot's frameworks, by principal.
    const feedAs = (who: 'ops' | 'viewer') =>
      new Promise<string[] | string>((resolve) => {
        const ws = new WebSocket(`${cluster.masterHttp.replace('http', 'ws')}/api/v1/feed`, {
          headers: { authorization: basic(who) },
        });
        ws.once('message', (data: Buffer) => {
          ws.close();
          const snapshot = JSON.parse(data.toString('utf8')) as { frameworks?: { principal: string }[] };
          resolve((snapshot.frameworks ?? []).map((f) => f.principal).sort());
        });
        ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.once('error', () => resolve('error'));
      });
    const viewerSees = await feedAs('viewer');
    expect(viewerSees).to.include('web');
    expect(viewerSees).to.not.include('batch');
    expect(await feedAs('ops')).to.include.members(['batch', 'web']);
  });

  it('answers 401 without credentials (and keeps /health open); accepts a bearer token', async () => {
    const anon = await fetch(`${cluster.masterHttp}/master/state`);
    expect(anon.status).to.equal(401);
    expect(anon.headers.get('www-authenticate')).to.match(/^Basic realm="mesocosm"/);
    expect(((await anon.json()) as { error: string }).error).to.match(/--authenticate_http/);
    expect((await fetch(`${cluster.masterHttp}/health`)).status).to.equal(200);
    const wrong = await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).to.equal(401);
    const token = await fetch(`${cluster.masterHttp}/master/state`, {
      headers: { authorization: `Bearer ${SECRETS.token}` },
    });
    expect(token.status).to.equal(200);
  });

  it('denies drain and teardown to a principal without the ACL (403, PERMISSION_DENIED) and allows them with it', async () => {
    const agentId = cluster.agents[0]!.agentId;
    const call = (who: string, body: unknown) =>
      fetch(`${cluster.masterHttp}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: who },
        body: JSON.stringify(body),
      });
    const drain = { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: agentId }, leave_tasks_running: true } };
    const deniedDrain = await call(basic('viewer'), drain);
    expect(deniedDrain.status).to.equal(403);
    expect(((await deniedDrain.json()) as { code: string }).code).to.equal('PERMISSION_DENIED');

    // The Operator gRPC service: the same ACL, PERMISSION_DENIED as a gRPC status.
    const client = new grpc.Client(cluster.masterGrpc, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', basic('viewer'));
    const m = OperatorService.drainAgent;
    const grpcError = await new Promise<grpc.ServiceError | null>((resolve) => {
      const request: mesocosm.v1.IDrainAgentRequest = { agentId: { value: agentId } };
      client.makeUnaryRequest(m.path, m.serialize, m.deserialize, request, metadata, (err) => resolve(err));
    });
    client.close();
    expect(grpcError?.code).to.equal(grpc.status.PERMISSION_DENIED);

    expect((await call(basic('ops'), drain)).status).to.equal(200);
    expect(
      (await call(basic('ops'), { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agentId } } }))
        .status,
    ).to.equal(200);

    const state = (await (
      await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('ops') } })
    ).json()) as MasterState;
    const batch = state.frameworks.find((f) => f.principal === 'batch');
    expect(batch).to.not.equal(undefined);
    const teardown = (who: string) =>
      fetch(`${cluster.masterHttp}/master/teardown`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: who },
        body: `framework_id=${batch!.id}`,
      });
    const denied = await teardown(basic('viewer'));
    expect(denied.status).to.equal(403);
    expect(((await denied.json()) as { error: string }).error).to.match(
      new RegExp(`principal 'viewer' may not tear down framework ${batch!.id} \\(principal 'batch'\\)`),
    );
    expect((await teardown(`Bearer ${SECRETS.token}`)).status).to.equal(200);
  });

  it('refuses an agent without credentials, counting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auth-agent-'));
    const agent = await Agent.start({
      master: cluster.masterGrpc,
      workDir: dir,
      ip: '127.0.0.1',
      port: 0,
      grpcPort: 0,
      resources: 'cpus:1;mem:128',
      logger: capturingLogger(logs),
      registrationBackoffMs: 100,
    });
    try {
      await waitFor(
        async () => {
          const m = (await (
            await fetch(`${cluster.masterHttp}/metrics/snapshot`, { headers: { authorization: basic('ops') } })
          ).json()) as Record<string, number>;
          return (m['master/authentication/failed/agents'] ?? 0) >= 1;
        },
        { message: 'an agent authentication failure counted' },
      );
      const state = (await (
        await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('ops') } })
      ).json()) as MasterState;
      expect(state.slaves).to.have.length(1);
      expect(logs.some((l) => l.includes('UNAUTHENTICATED') && l.includes('--authenticate_agents'))).to.equal(true);
    } finally {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets Marathon and Chronos subscribe with their credentials, as their principals', async () => {
    const marathon = await Marathon.start({
      master: cluster.masterGrpc,
      http: false,
      credential: cred('marathon'),
      logger: capturingLogger(logs),
    });
    const chronos = await Chronos.start({
      master: cluster.masterGrpc,
      http: false,
      credential: cred('chronos'),
      logger: capturingLogger(logs),
    });
    try {
      const principals = async (): Promise<string[]> => {
        const state = (await (
          await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('ops') } })
        ).json()) as MasterState;
        return state.frameworks.filter((f) => f.active).map((f) => f.principal);
      };
      await waitFor(async () => (await principals()).includes('marathon') && (await principals()).includes('chronos'), {
        timeoutMs: 30_000,
        message: 'marathon and chronos subscribed',
      });
      expect(marathon.info()['marathon_config']).to.deep.include({ mesos_authentication_principal: 'marathon' });
    } finally {
      await marathon.stop();
      await chronos.stop();
    }
  });

  it('counts denials in /metrics/snapshot and /metrics', async () => {
    const m = (await (
      await fetch(`${cluster.masterHttp}/metrics/snapshot`, { headers: { authorization: basic('ops') } })
    ).json()) as Record<string, number>;
    expect(m['master/authorization/denied/register_frameworks']).to.be.at.least(1);
    expect(m['master/authorization/denied/run_tasks']).to.be.at.least(1);
    expect(m['master/authorization/denied/teardown_frameworks']).to.be.at.least(1);
    expect(m['master/authorization/denied/drain_agents']).to.be.at.least(2);
    expect(m['master/authorization/denied/view_sandboxes']).to.be.at.least(1);
    expect(m['master/authentication/failed/frameworks']).to.be.at.least(2);
    expect(m['master/authentication/failed/http']).to.be.at.least(2);
    const text = await (
      await fetch(`${cluster.masterHttp}/metrics`, { headers: { authorization: basic('ops') } })
    ).text();
    expect(text).to.match(/^mesocosm_master_authorization_denied_run_tasks [1-9]/m);
  });

  it('keeps every secret out of /master/state and the logs', async () => {
    const state = await (
      await fetch(`${cluster.masterHttp}/master/state`, { headers: { authorization: basic('ops') } })
    ).text();
    expect(logs.length).to.be.greaterThan(10);
    const everything = [state, ...logs].join('\n');
    for (const [who, secret] of Object.entries(SECRETS)) {
      expect(everything, who).not.to.include(secret);
      expect(everything, who).not.to.include(Buffer.from(`${who}:${secret}`).toString('base64'));
    }
  });
});
