// The gRPC fuzz run (issue 8): a fixed budget of random and mutated calls
// (seeded; the seed is printed, MESOCOSM_FUZZ_SEED replays it) against a
// running master's scheduler API and agent API, and a real agent's executor
// API. Every over-limit or unknown call gets an error, the servers stay up,
// and the master's state stays consistent throughout (no negative
// resources, no agent over its total, no task on an unknown agent); after
// the run a fresh framework still launches a task. The master's only agent
// is simulated, so that no fuzzed command ever runs.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@mesocosm/agent';
import type { MasterState } from '@mesocosm/master';
import {
  AgentCallType,
  AgentEventType,
  AgentService,
  CallType,
  EventType,
  ExecutorEventType,
  ExecutorService,
  SchedulerService,
  TaskState,
  silentLogger,
  type AgentEvent,
  type ExecutorEvent,
  type IAgentCall,
  type ICall,
  type IExecutorCall,
} from '@mesocosm/protocol';
import { LocalCluster, fetchJson, waitFor } from '@mesocosm/testing';
import {
  fuzzAgentCall,
  fuzzCall,
  fuzzExecutorCall,
  overEveryBound,
  validRegister,
  validTask,
  type Known,
} from './support/call-builders.js';
import { masterStateProblems } from './support/master-invariants.js';
import { FUZZ_CALLS, FUZZ_SEED, Rand, brief, roughSize } from './support/rand.js';
import { RawScheduler } from './support/raw-scheduler.js';
import { FUZZ_MAX_SEND_BYTES, RawStream, fuzzClient } from './support/raw-stream.js';

/** The encoded size of a message, or undefined when it cannot be encoded at all. */
function encodedSize<T>(serialize: (m: T) => Buffer, message: T): number | undefined {
  try {
    return serialize(message).length;
  } catch {
    return undefined;
  }
}

function sendable<T>(serialize: (m: T) => Buffer, message: T): boolean {
  if (roughSize(message, FUZZ_MAX_SEND_BYTES) > FUZZ_MAX_SEND_BYTES) return false;
  const size = encodedSize(serialize, message);
  return size !== undefined && size <= FUZZ_MAX_SEND_BYTES;
}

/**
 * True when gRPC itself refused the call with an error status (e.g. a
 * message over the server's limit, or bytes that are not valid UTF-8 where
 * a string is due): the stream ends with `<code> <NAME>: ...`.
 */
function refusedWhole(ended: string | undefined): boolean {
  return ended !== undefined && /^\d+ [A-Z_]+: /.test(ended);
}

/** Offers, task IDs and update UUIDs a stream has seen, for the next calls to aim at. */
function harvest(s: RawScheduler, k: Known): void {
  for (const e of s.events.splice(0)) {
    if (e.type === EventType.OFFERS) for (const o of e.offers?.offers ?? []) k.offerIds.push(o.id?.value ?? '');
    if (e.type === EventType.UPDATE) {
      const st = e.update?.status;
      if (st?.taskId?.value) k.taskIds.push(st.taskId.value);
      if (st?.uuid && st.uuid.length > 0) k.uuids.push(new Uint8Array(st.uuid));
    }
  }
  k.offerIds.splice(0, Math.max(0, k.offerIds.length - 20));
  k.taskIds.splice(0, Math.max(0, k.taskIds.length - 20));
  k.uuids.splice(0, Math.max(0, k.uuids.length - 20));
}

describe('fuzz: the master (scheduler and agent APIs) and the agent (executor API)', function () {
  this.timeout(150_000);
  let cluster: LocalCluster;
  let agentDir: string;
  let agent: Agent;

  before(async () => {
    cluster = await LocalCluster.start({ agents: [{ simulated: { runMs: 300 } }] });
    await cluster.waitForAgents(1);
    // A real agent whose master never answers: it serves its executor API, and no task ever reaches it.
    agentDir = await mkdtemp(join(tmpdir(), 'fuzz-agent-'));
    agent = await Agent.start({
      master: '127.0.0.1:1',
      workDir: agentDir,
      ip: '127.0.0.1',
      port: 0,
      grpcPort: 0,
      isolation: 'posix',
      // Fuzz the calls themselves, not only the token check that refuses every stream without one.
      authenticateHttpExecutors: false,
      logger: silentLogger,
    });
  });

  after(async () => {
    await agent?.stop();
    await cluster?.stop();
    if (agentDir) await rm(agentDir, { recursive: true, force: true });
  });

  async function state(): Promise<MasterState> {
    return fetchJson<MasterState>(`${cluster.masterHttp}/master/state`);
  }

  async function expectConsistent(when: string): Promise<void> {
    const health = await fetch(`${cluster.masterHttp}/health`);
    expect(health.status, `master health ${when}`).to.equal(200);
    expect(masterStateProblems(await state()), when).to.deep.equal([]);
  }

  /** A new, well-behaved framework: subscribes, gets an offer, launches a task that runs. */
  async function expectFullService(name: string): Promise<void> {
    const s = new RawScheduler(cluster.masterGrpc);
    try {
      await s.subscribe({ name, user: 'check', failoverTimeout: 0 });
      const status = await s.runTask(`${name}-probe`, 'cpus:0.01;mem:1', { shell: true, value: 'true' });
      expect(status.state, status.message ?? '').to.equal(TaskState.TASK_FINISHED);
    } catch (err) {
      const st = await state();
      const agents = st.slaves.map((a) => ({
        id: a.id,
        total: a.resources,
        used: a.used_resources,
        offered: a.offered_resources,
        active: a.active,
      }));
      const frameworks = st.frameworks.map((f) => ({
        id: f.id,
        name: f.name,
        active: f.active,
        connected: f.connected,
        roles: f.roles,
        used: f.used_resources,
        offered: f.offered_resources,
        tasks: f.tasks.length,
        failover: f.failover_timeout,
      }));
      throw new Error(`${String(err)}; agents ${JSON.stringify(agents)}; frameworks ${JSON.stringify(frameworks)}`);
    } finally {
      s.close();
    }
  }

  it(`scheduler API: ${FUZZ_CALLS} random and mutated calls, over-limit ones refused, state consistent`, async () => {
    const rand = new Rand(FUZZ_SEED ^ 0x51);
    console.log(`      scheduler fuzz: seed ${FUZZ_SEED}, ${FUZZ_CALLS} calls`);
    const simulated = cluster.agents[0]!.agentId;
    const k: Known = { frameworkId: '', streamId: '', offerIds: [], agentIds: [simulated], taskIds: [], uuids: [] };
    const open = async (): Promise<RawScheduler> => {
      const s = new RawScheduler(cluster.masterGrpc);
      await s.subscribe({ name: 'fuzz', user: 'fuzz', failoverTimeout: 0 });
      return s;
    };
    let s = await open();
    let sent = 0;
    let streams = 1;
    let unary = 0;
    let refused = 0;
    try {
      while (sent < FUZZ_CALLS) {
        if (s.ended !== undefined) {
          s.close();
          s = await open();
          streams++;
        }
        harvest(s, k);
        k.frameworkId = s.frameworkId;
        k.streamId = s.streamId;
        const call: ICall = fuzzCall(rand, k, sent);
        if (!sendable(SchedulerService.subscribe.serialize, call)) continue;
        sent++;
        // The wire carries the type as an int32: 0.5 arrives as 0 (UNKNOWN), NaN as 0.
        const wireType = (call.type ?? 0) | 0;
        const unknownType = wireType === CallType.UNKNOWN || CallType[wireType] === undefined;
        if (rand.chance(0.25) || overEveryBound(call)) {
          unary++;
          const code = await s.unary(call);
          if (code !== 0) refused++;
          if (overEveryBound(call) || unknownType) {
            expect(code, `unary call ${sent}: ${brief(call)}`).to.not.equal(0);
          }
        } else s.write(call);
        if (sent % 25 === 0) await new Promise((r) => setImmediate(r));
        if (sent % 500 === 0) await expectConsistent(`after ${sent} scheduler calls`);
      }
    } finally {
      s.close();
    }
    console.log(`      ${sent} calls on ${streams} streams, ${unary} unary (${refused} refused)`);
    await expectConsistent('after the scheduler fuzz');
    await expectFullService('after-scheduler-fuzz');
  });

  it(`agent API: ${FUZZ_CALLS} random and mutated agent calls, every registration answered`, async () => {
    const rand = new Rand(FUZZ_SEED ^ 0xa6);
    console.log(`      agent fuzz: seed ${FUZZ_SEED}, ${FUZZ_CALLS} calls`);
    const simulated = cluster.agents[0]!.agentId;
    // A live framework with running tasks, for updates and re-registrations to aim at.
    const fw = new RawScheduler(cluster.masterGrpc);
    await fw.subscribe({ name: 'fuzz-target', user: 'fuzz', failoverTimeout: 0 });
    const [offer] = await fw.offers();
    fw.send({
      type: CallType.ACCEPT,
      accept: {
        offerIds: [{ value: offer?.id?.value ?? '' }],
        operations: [{ type: 1, launch: { taskInfos: [validTask('target-1', simulated)] } }],
      },
    });
    const k: Known = {
      frameworkId: fw.frameworkId,
      streamId: fw.streamId,
      offerIds: [],
      agentIds: [simulated],
      taskIds: ['target-1'],
      uuids: [],
    };
    const client = fuzzClient(cluster.masterGrpc);
    let sent = 0;
    let streams = 0;
    let registered = 0;
    while (sent < FUZZ_CALLS) {
      const stream = new RawStream<IAgentCall, AgentEvent>(cluster.masterGrpc, AgentService.connect, client);
      streams++;
      let agentId: string | undefined;
      const calls = 1 + rand.int(8);
      for (let i = 0; i < calls && sent < FUZZ_CALLS && stream.ended === undefined; i++) {
        // Most streams start registered, so that the calls after it reach a registered agent.
        const call =
          i === 0 && rand.chance(0.6) ? validRegister(`fuzz-${sent}`) : fuzzAgentCall(rand, k, sent, agentId);
        if (!sendable(AgentService.connect.serialize, call)) continue;
        sent++;
        const before = stream.events.length;
        stream.write(call);
        if (call.type === AgentCallType.REGISTER || call.type === AgentCallType.REREGISTER || i === 0) {
          // Every registration (and every first call) is answered: REGISTERED, an ERROR, or the stream ends.
          const answer = await waitFor<Partial<AgentEvent>>(
            () =>
              stream.events
                .slice(before)
                .find((e) => e.type === AgentEventType.REGISTERED || e.type === AgentEventType.ERROR) ??
              (stream.ended !== undefined && { type: AgentEventType.UNKNOWN }),
            { timeoutMs: 10_000, intervalMs: 5, message: `an answer to agent call ${sent}: ${brief(call)}` },
          );
          if (answer.type === AgentEventType.REGISTERED) {
            agentId = answer.registered?.agentId?.value ?? agentId;
            registered++;
            if (agentId) k.agentIds.push(agentId);
          }
        }
      }
      stream.close();
      k.agentIds.splice(1, Math.max(0, k.agentIds.length - 10));
      if (streams % 50 === 0) await expectConsistent(`after ${sent} agent calls`);
    }
    fw.close();
    client.close();
    console.log(`      ${sent} calls on ${streams} streams, ${registered} registrations accepted`);
    await expectConsistent('after the agent fuzz');
    const agents = (await state()).slaves;
    expect(agents.find((a) => a.id === simulated)?.active, 'the real (simulated) agent is still active').to.equal(true);
    await expectFullService('after-agent-fuzz');
  });

  it(`executor API: ${FUZZ_CALLS} random and mutated executor calls, each refused with an ERROR`, async () => {
    const rand = new Rand(FUZZ_SEED ^ 0xe3);
    console.log(`      executor fuzz: seed ${FUZZ_SEED}, ${FUZZ_CALLS} calls`);
    const k: Known = { frameworkId: 'fw', streamId: '', offerIds: [], agentIds: [], taskIds: [], uuids: [] };
    const client = fuzzClient(agent.grpcAddress);
    // Each call on a stream of its own (the first call of a stream is the one checked), ten at a time.
    const answered = async (call: IExecutorCall, n: number): Promise<void> => {
      const stream = new RawStream<IExecutorCall, ExecutorEvent>(agent.grpcAddress, ExecutorService.subscribe, client);
      stream.write(call);
      // No executor of this agent exists: whatever is sent, an ERROR comes back (or the call is refused whole).
      await waitFor(() => stream.events.some((e) => e.type === ExecutorEventType.ERROR) || refusedWhole(stream.ended), {
        timeoutMs: 10_000,
        intervalMs: 2,
        message: `an ERROR for executor call ${n}: ${brief(call)}`,
      });
      stream.close();
    };
    let sent = 0;
    while (sent < FUZZ_CALLS) {
      const batch: Promise<void>[] = [];
      while (batch.length < 10 && sent < FUZZ_CALLS) {
        const call = fuzzExecutorCall(rand, k, sent);
        if (!sendable(ExecutorService.subscribe.serialize, call)) continue;
        batch.push(answered(call, ++sent));
      }
      await Promise.all(batch);
    }
    client.close();
    const health = await fetch(`${agent.httpUrl}/health`);
    expect(health.status, 'agent health after the executor fuzz').to.equal(200);
  });
});
