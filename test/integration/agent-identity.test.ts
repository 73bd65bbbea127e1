// An agent cannot take over another agent's ID (and tasks) on a real master:
// `mesocosm master --authenticate_agents --credentials FILE` (a process,
// written by LocalCluster) with two agent principals. Agent A (a simulated
// agent, principal agent-a) runs a task and drops its stream; a raw Agent API
// client that authenticates as agent-b and re-registers with A's ID is
// refused with PERMISSION_DENIED naming both principals, counted, and A keeps
// its task; the same client authenticated as agent-a is accepted.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '@mesocosm/framework-sdk';
import type { MasterState } from '@mesocosm/master';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  Resources,
  TaskState,
  type AgentEvent,
  type IAgentCall,
  type ITaskInfo,
} from '@mesocosm/protocol';
import { defaultAgentResources, fetchJson, LocalCluster, waitFor } from '@mesocosm/testing';
import { launcherLogging, shellTask } from './auth-helpers.js';

const SECRETS = { 'agent-a': 'agent-a-secret-9e1f', 'agent-b': 'agent-b-secret-3c7d' } as const;
type AgentPrincipal = keyof typeof SECRETS;
const credential = (principal: AgentPrincipal) => ({ principal, secret: SECRETS[principal] });
const launcher = launcherLogging(silentLogger);

/** What a raw agent stream got before the master answered its registration. */
interface Answer {
  events: AgentEvent[];
  /** The stream ended (the master closed it). */
  ended: boolean;
}

/**
 * A raw Agent.Connect stream authenticated as `principal`: sends a
 * REREGISTER of `agentId` reporting `task` running, and resolves with the
 * events once the master answers (REGISTERED, or an ERROR and the stream's end).
 */
async function rawReregister(
  master: string,
  principal: AgentPrincipal,
  agentId: string,
  frameworkId: string,
  task: ITaskInfo,
): Promise<Answer & { close: () => void }> {
  const client = new grpc.Client(master, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Basic ${Buffer.from(`${principal}:${SECRETS[principal]}`).toString('base64')}`);
  const stream = client.makeBidiStreamRequest<IAgentCall, AgentEvent>(
    AgentService.connect.path,
    AgentService.connect.serialize,
    AgentService.connect.deserialize,
    metadata,
  );
  const answer: Answer = { events: [], ended: false };
  stream.on('data', (e: AgentEvent) => answer.events.push(e));
  stream.on('end', () => (answer.ended = true));
  stream.on('error', () => (answer.ended = true));
  stream.write({
    type: AgentCallType.REREGISTER,
    agentId: { value: agentId },
    register: {
      agentInfo: {
        id: { value: agentId },
        hostname: 'raw-agent',
        ip: '127.0.0.1',
        port: 5051,
        resources: Resources.parse(defaultAgentResources(0)).toProto(),
      },
      version: '0.1.0',
      tasks: [
        {
          frameworkId: { value: frameworkId },
          task,
          status: { taskId: task.taskId ?? {}, state: TaskState.TASK_RUNNING },
        },
      ],
      frameworks: [{ id: { value: frameworkId }, name: 'identity' }],
    },
  });
  await waitFor(
    () =>
      answer.events.some((e) => e.type === AgentEventType.REGISTERED) ||
      (answer.ended && answer.events.some((e) => e.type === AgentEventType.ERROR)),
    { message: `the master's answer to ${principal}'s re-registration of ${agentId}` },
  );
  return {
    ...answer,
    close: () => {
      stream.cancel();
      client.close();
    },
  };
}

describe('agent IDs bound to principals on a real master (--authenticate_agents)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  const saved = process.env['MESOCOSM_PRINCIPAL'];

  before(async () => {
    delete process.env['MESOCOSM_PRINCIPAL']; // the framework presents no credential
    cluster = await LocalCluster.start({
      mode: 'processes',
      agents: [{ simulated: { runMs: () => undefined }, credential: credential('agent-a') }],
      masterOptions: {
        authenticateAgents: true,
        credentials: { credentials: [credential('agent-a'), credential('agent-b')] },
      },
    });
    await cluster.waitForAgents(1);
  });

  after(async () => {
    await cluster?.stop();
    if (saved !== undefined) process.env['MESOCOSM_PRINCIPAL'] = saved;
  });

  it("refuses agent-b re-registering agent-a's agent ID; A keeps its task; agent-a itself is accepted", async () => {
    const agentId = cluster.agents[0]!.agentId;
    const { driver, updates } = launcher(cluster, { name: 'identity', user: 'nobody' }, undefined, (a) =>
      shellTask('t1', a, 'sleep 600'),
    );
    try {
      const { frameworkId } = await driver.start();
      await cluster.waitForTask('t1', 'TASK_RUNNING', { frameworkId });
      const t1 = shellTask('t1', agentId, 'sleep 600');

      // A's stream goes (a crash): the master waits for it to come back.
      await cluster.killAgent(0);
      const slaveStatus = async (): Promise<string | undefined> =>
        (await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`)).slaves.find((s) => s.id === agentId)
          ?.status;
      await waitFor(async () => (await slaveStatus()) === 'disconnected', { message: `agent ${agentId} disconnected` });
      const updatesBefore = updates.length;

      const intruder = await rawReregister(cluster.masterGrpc, 'agent-b', agentId, frameworkId, t1);
      intruder.close();
      expect(intruder.events.map((e) => e.type)).to.deep.equal([AgentEventType.ERROR]);
      const error = intruder.events[0]?.error;
      expect(error?.code).to.equal('PERMISSION_DENIED');
      expect(error?.message).to.match(
        new RegExp(`principal 'agent-b' may not register as agent ${agentId}: .*admitted under principal 'agent-a'`),
      );
      expect(error?.message).to.not.include(SECRETS['agent-a']).and.not.include(SECRETS['agent-b']);
      const metrics = await fetchJson<Record<string, number>>(`${cluster.masterHttp}/metrics/snapshot`);
      expect(metrics['master/authorization/denied/reregister_agents']).to.equal(1);
      const state = await fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
      expect(state.slaves.map((s) => [s.id, s.status])).to.deep.equal([[agentId, 'disconnected']]);
      const tasks = await cluster.tasks(frameworkId);
      expect(tasks.map((t) => [t.id, t.slave_id, t.state])).to.deep.equal([['t1', agentId, 'TASK_RUNNING']]);
      expect(updates.slice(updatesBefore)).to.deep.equal([]);

      // The same client as agent-a: accepted, the task still A's, nothing to kill.
      const owner = await rawReregister(cluster.masterGrpc, 'agent-a', agentId, frameworkId, t1);
      try {
        expect(owner.events.some((e) => e.type === AgentEventType.REGISTERED)).to.equal(true);
        const refusals = owner.events.filter(
          (e) => e.type === AgentEventType.ERROR || e.type === AgentEventType.KILL_TASK,
        );
        expect(refusals).to.deep.equal([]);
        expect(await slaveStatus()).to.equal('connected');
        const after = await cluster.tasks(frameworkId);
        expect(after.map((t) => [t.id, t.slave_id, t.state])).to.deep.equal([['t1', agentId, 'TASK_RUNNING']]);
      } finally {
        owner.close();
      }
      const final = await fetchJson<Record<string, number>>(`${cluster.masterHttp}/metrics/snapshot`);
      expect(final['master/authorization/denied/reregister_agents']).to.equal(1);
    } finally {
      await driver.stop().catch(() => undefined);
    }
  });
});
