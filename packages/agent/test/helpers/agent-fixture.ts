// Starting a real agent against a fake master in a temporary work dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, createLogger } from '@mesocosm/protocol';
import { Agent, type AgentOptions } from '../../src/index.js';
import { FakeMaster } from './fake-master.js';

export interface Fixture {
  master: FakeMaster;
  agent: Agent;
  workDir: string;
  agentId: string;
}

const logger = process.env['AGENT_TEST_LOG'] ? createLogger('agent-test', 'debug') : silentLogger;

/** A fake master, a temporary work dir and a registered agent. */
export async function startFixture(options: Partial<AgentOptions> = {}): Promise<Fixture> {
  const master = await FakeMaster.start();
  const workDir = await mkdtemp(join(tmpdir(), 'agent-test-'));
  const agent = await Agent.start({
    master: master.address,
    workDir,
    ip: '127.0.0.1',
    port: 0,
    resources: 'cpus:2;mem:1024;disk:1024',
    registrationBackoffMs: 50,
    defaultKillGracePeriodMs: 500,
    killTasksOnExit: true,
    logger,
    ...options,
  });
  const agentId = await agent.registered();
  return { master, agent, workDir, agentId };
}

export async function stopFixture(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  await f.agent.stop();
  await f.master.stop();
  await rm(f.workDir, { recursive: true, force: true });
}

/** GETs a JSON document from the agent. */
export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

/** The agent's view of one task, from /state. */
export interface StateTask {
  id: string;
  framework_id: string;
  state: string;
  directory: string | null;
  pid: number | null;
}

export async function stateTask(agent: Agent, taskId: string): Promise<StateTask | undefined> {
  const { body } = await getJson<{ tasks: StateTask[]; completed_tasks: StateTask[] }>(`${agent.httpUrl}/state`);
  return [...body.tasks, ...body.completed_tasks].find((t) => t.id === taskId);
}
