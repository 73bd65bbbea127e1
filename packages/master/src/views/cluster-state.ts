// Operator.GetState: the cluster as a ClusterState message.
import type { IClusterState } from '@mesocosm/protocol';
import { SEE_ALL, type Viewer } from '../auth/viewer.js';
import { offerToProto } from '../core/offer-lifecycle.js';
import type { MasterContext, TaskRecord } from '../core/types.js';
import { maintenanceJson, offered, safeResources, usedBy } from './state-json.js';
import { v1 } from '@mesocosm/protocol';

const DRAIN_STATE = { DRAINING: v1.DrainInfo.State.DRAINING, DRAINED: v1.DrainInfo.State.DRAINED } as const;

function maintenanceProto(
  ctx: MasterContext,
  agentId: string,
): Pick<NonNullable<IClusterState['agents']>[number], 'deactivated' | 'drainInfo'> {
  const m = maintenanceJson(ctx, agentId);
  const d = m.drain_info;
  if (!d) return { deactivated: m.deactivated };
  return {
    deactivated: true,
    drainInfo: {
      state: DRAIN_STATE[d.state],
      config: {
        ...(d.config.max_grace_period
          ? { maxGracePeriod: { nanoseconds: d.config.max_grace_period.nanoseconds } }
          : {}),
        markGone: d.config.mark_gone,
        leaveTasksRunning: d.config.leave_tasks_running,
      },
    },
  };
}

function taskEntry(t: TaskRecord): NonNullable<IClusterState['tasks']>[number] {
  return { task: t.info, frameworkId: { value: t.frameworkId }, state: t.state, statuses: t.statuses };
}

/** Builds the operator API's ClusterState; frameworks and tasks `viewer` may not see are left out. */
export function clusterState(ctx: MasterContext, viewer: Viewer = SEE_ALL): IClusterState {
  const frameworks = [...ctx.frameworks.values()].filter((f) => viewer.all || viewer.framework(f.info));
  const shown = new Set(frameworks.map((f) => f.id));
  return {
    masterInfo: ctx.info,
    startTime: ctx.startTime / 1000,
    electedTime: (ctx.leadership.electedTime ?? ctx.startTime) / 1000,
    recovered: !ctx.recovering,
    agents: [
      ...[...ctx.agents.values()].map((a) => ({
        agentInfo: a.info,
        total: a.total.toProto(),
        used: usedBy(a.tasks).toProto(),
        offered: offered(ctx.offers.byAgent(a.id)).toProto(),
        active: a.status === 'connected',
        registeredTime: a.registeredTime / 1000,
        status: a.status,
        ...maintenanceProto(ctx, a.id),
      })),
      ...[...ctx.recovered.values()].map((r) => ({
        agentInfo: r.info,
        total: safeResources(r.info.resources).toProto(),
        active: false,
        status: 'recovered',
        ...maintenanceProto(ctx, r.id),
      })),
    ],
    frameworks: frameworks.map((f) => ({
      frameworkInfo: f.info,
      connected: f.conn !== undefined,
      active: f.active,
      used: usedBy(f.tasks.values()).toProto(),
      offered: offered(ctx.offers.byFramework(f.id)).toProto(),
      dominantShare: f.inAllocator ? ctx.allocator.dominantShare(f.id) : 0,
      declineReasons: f.declineReasons,
      registeredTime: f.registeredTime / 1000,
    })),
    tasks: frameworks.flatMap((f) =>
      [...f.tasks.values(), ...f.completedTasks.values()]
        .filter((t) => viewer.all || viewer.task(f.info, t.info))
        .map(taskEntry),
    ),
    offers: [...ctx.offers.all()].filter((o) => shown.has(o.frameworkId)).map((o) => offerToProto(ctx, o)),
  };
}
