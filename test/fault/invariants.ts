// The invariants every fault test ends with ("nothing lost"), as checks that
// return what is wrong (empty: all hold), so a failure names every breach.
//
// I1 every acknowledged framework, agent admission and drain survives;
// I2 every launched task is terminal or running and known to both master and
//    framework, with no stray process;
// I3 status updates arrive in order, at least once, with exactly one terminal
//    transition per task after dedupe;
// I4 at most one acting leader at any time, and no message of an old epoch accepted.
import { readdirSync, readFileSync } from 'node:fs';
import { TERMINAL_TASK_STATES, taskStateName } from '@mesocosm/framework-sdk';
import type { MasterState, TaskJson } from '@mesocosm/master';
import type { LaunchedTask, RecordedUpdate } from './fixtures/recording-framework.js';
import type { LeaderSample } from './leader-sampler.js';

/** Terminal states by name (the fixture records names). */
const TERMINAL = new Set([...TERMINAL_TASK_STATES].map((s) => taskStateName(s)));
/** What a framework is told about tasks on an agent that was removed for good. */
const GONE = new Set(['TASK_GONE', 'TASK_LOST', 'TASK_GONE_BY_OPERATOR']);
/** Where a state sits in a task's life: updates of one task never go back down. */
const RANK: Record<string, number> = {
  TASK_STAGING: 0,
  TASK_STARTING: 1,
  TASK_RUNNING: 2,
  TASK_UNREACHABLE: 2,
  TASK_KILLING: 3,
};
const rank = (state: string): number => (TERMINAL.has(state) ? 4 : (RANK[state] ?? 2));

/** I1: the frameworks and agents acknowledged before the fault are still there. */
export function checkI1(state: MasterState, expected: { frameworks: string[]; agents: string[] }): string[] {
  const problems: string[] = [];
  const frameworks = new Set(state.frameworks.map((f) => f.id));
  const agents = new Set(state.slaves.map((a) => a.id));
  for (const id of expected.frameworks) if (!frameworks.has(id)) problems.push(`I1: framework ${id} is gone`);
  for (const id of expected.agents) if (!agents.has(id)) problems.push(`I1: agent ${id} is gone`);
  return problems;
}

/** The last update the framework recorded for each task (file order). */
export function lastRecorded(updates: RecordedUpdate[]): Map<string, RecordedUpdate> {
  return new Map(updates.map((u) => [u.taskId, u]));
}

/** The latest state the framework recorded for each task, from the last update of each. */
export function latestState(updates: RecordedUpdate[]): Map<string, string> {
  return new Map([...lastRecorded(updates)].map(([taskId, u]) => [taskId, u.state]));
}

/** Every task the master knows, live or completed, by ID. */
export function masterTasks(state: MasterState): Map<string, TaskJson> {
  const out = new Map<string, TaskJson>();
  for (const f of state.frameworks) {
    for (const t of [...f.completed_tasks, ...f.unreachable_tasks, ...f.tasks]) out.set(t.id, t);
  }
  return out;
}

/** Task IDs whose marked shell is alive (their command line carries `marker`). */
export function liveTaskProcesses(marker: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // gone meanwhile
    }
    // The task's own shell (the agent's exit-status wrapper carries the command line too).
    const m = new RegExp(`^/bin/sh -c sleep \\d+; : ${marker} (\\S+)`).exec(cmdline);
    if (!m?.[1]) continue;
    out.set(m[1], [...(out.get(m[1]) ?? []), Number(entry)]);
  }
  return out;
}

/**
 * I2: each launched task is known to the master and the framework in the
 * same state, running (one live process) or terminal (none).
 */
export function checkI2(
  state: MasterState,
  launched: LaunchedTask[],
  updates: RecordedUpdate[],
  processes: Map<string, number[]>,
): string[] {
  const problems: string[] = [];
  const known = masterTasks(state);
  const last = lastRecorded(updates);
  for (const { taskId } of launched) {
    const m = known.get(taskId);
    const f = last.get(taskId)?.state;
    const pids = processes.get(taskId) ?? [];
    // A task on an agent removed for good is forgotten by the master once the framework was told.
    const forgotten = f !== undefined && GONE.has(f);
    if (!m && !forgotten) problems.push(`I2: ${taskId} is unknown to the master`);
    if (!f) problems.push(`I2: ${taskId} never reached the framework`);
    if (m && f && m.state !== f) {
      const u = last.get(taskId);
      problems.push(
        `I2: ${taskId} is ${m.state} at the master but ${f} at the framework (${u?.reason ?? ''}, epoch ${u?.epoch ?? '?'}: ${u?.message ?? ''})`,
      );
    }
    const s = m?.state ?? f ?? '';
    if (s === 'TASK_RUNNING' && pids.length !== 1)
      problems.push(`I2: ${taskId} runs with ${pids.length} processes: ${pids.map(describeProcess).join('; ')}`);
    if (TERMINAL.has(s) && pids.length > 0) problems.push(`I2: ${taskId} is ${s} but pid(s) ${pids.join(',')} live`);
    if (s !== 'TASK_RUNNING' && !TERMINAL.has(s)) problems.push(`I2: ${taskId} settled in ${s || 'no state'}`);
  }
  for (const [taskId, pids] of processes) {
    if (!launched.some((t) => t.taskId === taskId)) problems.push(`I2: stray ${taskId} (pids ${pids.join(',')})`);
  }
  return problems;
}

/**
 * I3: per task, the updates (deduplicated by UUID across framework restarts;
 * master-made ones without a UUID by state and reason) never go back and
 * hold at most one terminal state. Reconciliation answers are left out: they
 * repeat the latest state.
 */
export function checkI3(updates: RecordedUpdate[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const byTask = new Map<string, string[]>();
  for (const u of updates) {
    if (u.reason === 'REASON_RECONCILIATION') continue;
    const key = u.uuid || `${u.taskId} ${u.state} ${u.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    byTask.set(u.taskId, [...(byTask.get(u.taskId) ?? []), u.state]);
  }
  for (const [taskId, states] of byTask) {
    const terminal = states.filter((s) => TERMINAL.has(s));
    if (terminal.length > 1)
      problems.push(`I3: ${taskId} has ${terminal.length} terminal updates: ${states.join(' > ')}`);
    for (let i = 1; i < states.length; i++) {
      if (rank(states[i] ?? '') < rank(states[i - 1] ?? '')) {
        problems.push(`I3: ${taskId} went back: ${states.join(' > ')}`);
        break;
      }
    }
  }
  return problems;
}

/**
 * I4: no sampling round saw two leaders, and every framework process accepted
 * events in non-decreasing epoch order (an older epoch after a newer one
 * would be a deposed leader's message getting through).
 */
export function checkI4(samples: LeaderSample[], updates: RecordedUpdate[]): string[] {
  const problems: string[] = [];
  for (const s of samples) {
    if (s.leaders.length > 1) problems.push(`I4: ${s.leaders.length} leaders at ${s.at}: ${JSON.stringify(s.leaders)}`);
  }
  const highest = new Map<number, number>();
  for (const u of updates) {
    const h = highest.get(u.pid) ?? 0;
    if (u.epoch < h)
      problems.push(`I4: framework pid ${u.pid} accepted epoch ${u.epoch} after ${h} (${u.taskId} ${u.state})`);
    highest.set(u.pid, Math.max(h, u.epoch));
  }
  return problems;
}

/** `pid (ppid) cmdline`, for a breach message. */
function describeProcess(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    const ppid = /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
    return `${pid} (parent ${ppid}) ${cmdline}`;
  } catch {
    return `${pid} (gone)`;
  }
}
