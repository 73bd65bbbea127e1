// GET /metrics/snapshot: Mesos' master metric keys.
import { TaskState, TERMINAL_TASK_STATES, taskStateName, type Resources } from '@mesocosm/protocol';
import type { MasterContext } from '../core/types.js';
import { offeredWhere, usedBy } from './state-json.js';

const LIVE_STATES = [
  TaskState.TASK_STAGING,
  TaskState.TASK_STARTING,
  TaskState.TASK_RUNNING,
  TaskState.TASK_KILLING,
  TaskState.TASK_UNREACHABLE,
];

/** The metrics snapshot, keyed as Mesos keys them (e.g. `master/tasks_running`). */
export function metricsSnapshot(ctx: MasterContext): Record<string, number> {
  const agents = [...ctx.agents.values()];
  const frameworks = [...ctx.frameworks.values()];
  const out: Record<string, number> = {
    'master/elected': ctx.leadership.elected ? 1 : 0,
    'master/epoch': ctx.epoch,
    'master/uptime_secs': (ctx.clock.now() - ctx.startTime) / 1000,
    'master/slaves_active': agents.filter((a) => a.status === 'connected').length,
    'master/slaves_inactive': agents.filter((a) => a.status !== 'connected').length,
    'master/slaves_connected': agents.filter((a) => a.status === 'connected').length,
    'master/slaves_disconnected': agents.filter((a) => a.status === 'disconnected').length,
    'master/slaves_unreachable': agents.filter((a) => a.status === 'unreachable').length,
    'master/frameworks_active': frameworks.filter((f) => f.active).length,
    'master/frameworks_inactive': frameworks.filter((f) => !f.active).length,
    'master/frameworks_connected': frameworks.filter((f) => f.conn !== undefined).length,
    'master/frameworks_disconnected': frameworks.filter((f) => f.conn === undefined).length,
    'master/outstanding_offers': ctx.offers.size,
    'master/offers_outstanding': ctx.offers.size,
    'master/offers_sent': ctx.counters.offersSent,
    'master/offers_declined': ctx.counters.offersDeclined,
    'master/offers_rescinded': ctx.counters.offersRescinded,
    'master/invalid_calls': ctx.counters.invalidCalls,
    ...ctx.auth.metrics(),
  };
  const live = frameworks.flatMap((f) => [...f.tasks.values()]);
  for (const state of LIVE_STATES) out[tasksKey(state)] = live.filter((t) => t.state === state).length;
  for (const state of TERMINAL_TASK_STATES) out[tasksKey(state)] = ctx.counters.terminal.get(taskStateName(state)) ?? 0;

  const reachable = agents.filter((a) => a.status !== 'unreachable');
  const total = reachable.reduce<Resources | undefined>((sum, a) => (sum ? sum.add(a.total) : a.total), undefined);
  const used = usedBy(reachable.flatMap((a) => [...a.tasks]));
  const offered = offeredWhere(ctx, () => true);
  for (const name of ['cpus', 'mem', 'disk', 'gpus']) {
    const t = total?.scalar(name) ?? 0;
    const u = used.scalar(name);
    out[`master/${name}_total`] = t;
    out[`master/${name}_used`] = u;
    out[`master/${name}_offered`] = offered.scalar(name);
    out[`master/${name}_percent`] = t > 0 ? u / t : 0;
  }
  return out;
}

/** `TASK_RUNNING` -> `master/tasks_running`. */
function tasksKey(state: TaskState): string {
  return `master/tasks_${taskStateName(state).slice('TASK_'.length).toLowerCase()}`;
}
