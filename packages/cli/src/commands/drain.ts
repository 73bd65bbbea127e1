// `mesocosm drain AGENT` and `mesocosm undrain AGENT`: Mesos' DRAIN_AGENT and
// REACTIVATE_AGENT through POST /api/v1. `--wait` shows the drain's progress
// (tasks left) until the agent is DRAINED (or removed, with --mark-gone).
import { MesocosmError } from '@mesocosm/protocol';
import { pickAgent } from '../lookup.js';
import { connectMaster, type MasterClient } from '../master-client.js';
import type { AgentRow, AgentsPage } from '../master-json.js';
import type { OperatorIo } from '../operator-io.js';
import { pollUntil, type PollResult } from '../progress.js';

/** Flags of `mesocosm drain`. */
export interface DrainFlags {
  master?: string;
  /** Agent ID or hostname. */
  agent: string;
  /** Caps each task's kill grace period (Mesos' max_grace_period). */
  maxGracePeriodMs?: number;
  /** Remove the agent for good once drained (its tasks become TASK_GONE_BY_OPERATOR). */
  markGone: boolean;
  /** Do not kill tasks: the agent is DRAINED once they end by themselves. */
  leaveTasksRunning: boolean;
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
}

/** Flags of `mesocosm undrain`. */
export interface UndrainFlags {
  master?: string;
  agent: string;
}

/** The DRAIN_AGENT call of Mesos' operator API for `flags`. Pure. */
export function drainCall(agentId: string, flags: DrainFlags): { type: 'DRAIN_AGENT' } & Record<string, unknown> {
  return {
    type: 'DRAIN_AGENT',
    drain_agent: {
      agent_id: { value: agentId },
      ...(flags.maxGracePeriodMs === undefined
        ? {}
        : { max_grace_period: { nanoseconds: Math.round(flags.maxGracePeriodMs * 1e6) } }),
      mark_gone: flags.markGone,
      leave_tasks_running: flags.leaveTasksRunning,
    },
  };
}

/**
 * How far a drain is, from the agent's row (undefined: the master no longer
 * lists the agent). Pure.
 * @throws MesocosmError when the drain cannot end in DRAINED any more.
 */
export function drainProgress(agent: AgentRow | undefined, agentId: string, markGone: boolean): PollResult<string> {
  if (agent === undefined) {
    if (markGone) return { done: true, value: 'DRAINED and removed (--mark-gone)' };
    throw new MesocosmError(
      'UNKNOWN_AGENT',
      `agent ${agentId} is gone before it was DRAINED: the master no longer lists it`,
    );
  }
  const state = agent.drain_info?.state;
  if (state === 'DRAINED') return { done: true, value: 'DRAINED' };
  if (state === undefined) {
    throw new MesocosmError('CONFLICT', `agent ${agentId} is no longer draining: it was reactivated (undrain)`);
  }
  const left = agent.task_count;
  return { done: false, status: `DRAINING ${agent.hostname || agent.id}: ${left} task${left === 1 ? '' : 's'} left` };
}

async function agentRow(master: MasterClient, text: string): Promise<AgentRow> {
  return pickAgent((await master.get<AgentsPage>('/master/slaves')).slaves, text);
}

const label = (a: AgentRow): string => (a.hostname ? `${a.id} (${a.hostname})` : a.id);

/** Runs `mesocosm drain`. */
export async function runDrain(flags: DrainFlags, io: OperatorIo): Promise<void> {
  const interrupts = io.interrupts();
  try {
    const master = await connectMaster(io, flags.master, interrupts.signal);
    const agent = await agentRow(master, flags.agent);
    await master.call(drainCall(agent.id, flags));
    io.out(`agent ${label(agent)}: draining\n`);
    if (!flags.wait) return;
    const outcome = await pollUntil({
      io,
      signal: interrupts.signal,
      intervalMs: flags.intervalMs,
      timeoutMs: flags.timeoutMs,
      what: `agent ${label(agent)} to be DRAINED`,
      check: async () => {
        const rows = (await master.get<AgentsPage>('/master/slaves')).slaves;
        return drainProgress(
          rows.find((a) => a.id === agent.id),
          agent.id,
          flags.markGone,
        );
      },
    });
    io.out(`agent ${label(agent)}: ${outcome}\n`);
  } finally {
    interrupts.dispose();
  }
}

/** Runs `mesocosm undrain` (REACTIVATE_AGENT: offers again, a drain in progress stops). */
export async function runUndrain(flags: UndrainFlags, io: OperatorIo): Promise<void> {
  const master = await connectMaster(io, flags.master);
  const agent = await agentRow(master, flags.agent);
  await master.call({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agent.id } } });
  io.out(`agent ${label(agent)}: reactivated\n`);
}
