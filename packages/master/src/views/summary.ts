// GET /master/state-summary and the allocation samples of the live feed:
// small figures over the whole cluster, O(agents + tasks) scalar sums.
import { taskStateName, type IMasterInfo, type Resources } from '@mesocosm/protocol';
import type { MasterContext } from '../core/types.js';
import type { AllocationSample, ResourceTotals, StateSummary } from './feed-types.js';
import { TOTAL_SCALARS, totalsVector } from './resource-sums.js';

type Scalar = (typeof TOTAL_SCALARS)[number];
type Totals = Record<Scalar, ResourceTotals>;

/** The HTTP base URL of a master (`http://ip:port`; `https://` when the masters serve TLS). */
export function masterHttpUrl(info: IMasterInfo, scheme: 'http' | 'https' = 'http'): string {
  const ip = info.ip ?? '';
  return `${scheme}://${ip.includes(':') ? `[${ip}]` : ip}:${info.port ?? 0}`;
}

/** Every master of the election group as HTTP base URLs (standalone or not read yet: the leader and this one). */
export function mastersOf(ctx: MasterContext): string[] {
  const known = ctx.leadership.masters ?? [];
  const scheme = ctx.options.httpScheme;
  const urls = known.map((info) => masterHttpUrl(info, scheme));
  for (const info of [ctx.leadership.leader, ctx.info]) {
    if (!info) continue;
    const url = masterHttpUrl(info, scheme);
    if (!urls.includes(url)) urls.push(url);
  }
  return urls;
}

/** Adds `r`'s totals (milli-units) to `acc`. */
function add(acc: Float64Array, r: Resources): void {
  const v = totalsVector(r);
  for (let i = 0; i < v.length; i++) acc[i] = (acc[i] ?? 0) + (v[i] ?? 0);
}

/** Total, used and offered cpus, mem, disk and gpus over the reachable agents. */
export function clusterTotals(ctx: MasterContext): Totals {
  const n = TOTAL_SCALARS.length;
  const total = new Float64Array(n);
  const used = new Float64Array(n);
  const offered = new Float64Array(n);
  for (const agent of ctx.agents.values()) {
    if (agent.status === 'unreachable') continue;
    add(total, agent.total);
    for (const task of agent.tasks) add(used, task.resources);
  }
  for (const offer of ctx.offers.all()) add(offered, offer.resources);
  const out = {} as Totals;
  TOTAL_SCALARS.forEach((name, i) => {
    out[name] = { total: (total[i] ?? 0) / 1000, used: (used[i] ?? 0) / 1000, offered: (offered[i] ?? 0) / 1000 };
  });
  return out;
}

/** Task counts by state name: live and completed tasks of registered and completed frameworks. */
export function taskCountsByState(ctx: MasterContext): Record<string, number> {
  const byState = new Map<number, number>();
  for (const frameworks of [ctx.frameworks, ctx.completedFrameworks]) {
    for (const fw of frameworks.values()) {
      for (const tasks of [fw.tasks, fw.completedTasks]) {
        for (const t of tasks.values()) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
      }
    }
  }
  const out: Record<string, number> = {};
  for (const [state, n] of [...byState].sort((a, b) => a[0] - b[0])) out[taskStateName(state)] = n;
  return out;
}

/** Agents by what the allocator may do with them; each agent is counted once. */
function agentCounts(ctx: MasterContext): StateSummary['agents'] {
  const out = { active: 0, deactivated: 0, draining: 0, unreachable: 0 };
  for (const agent of ctx.agents.values()) {
    const m = ctx.maintenance.get(agent.id);
    if (agent.status !== 'connected') out.unreachable++;
    else if (m?.drain) out.draining++;
    else if (m?.deactivated) out.deactivated++;
    else out.active++;
  }
  return out;
}

/** Builds GET /master/state-summary. */
export function stateSummary(ctx: MasterContext): StateSummary {
  const info = ctx.info;
  const leader = ctx.leadership.leader;
  const now = ctx.clock.now();
  let active = 0;
  for (const fw of ctx.frameworks.values()) if (fw.active) active++;
  return {
    version: info.version ?? '',
    id: info.id ?? '',
    hostname: info.hostname ?? '',
    elected: ctx.leadership.elected,
    leader_url: leader ? masterHttpUrl(leader, ctx.options.httpScheme) : '',
    masters: mastersOf(ctx),
    start_time: ctx.startTime / 1000,
    elected_time: (ctx.leadership.electedTime ?? ctx.startTime) / 1000,
    uptime_secs: (now - ctx.startTime) / 1000,
    cluster: clusterTotals(ctx),
    agents: agentCounts(ctx),
    frameworks: { active, inactive: ctx.frameworks.size - active, completed: ctx.completedFrameworks.size },
    tasks: taskCountsByState(ctx),
    offers: ctx.offers.size,
  };
}

/** One allocation sample: used / total of each scalar (0 when the cluster has none). */
export function allocationSample(ctx: MasterContext): AllocationSample {
  const totals = clusterTotals(ctx);
  const share = (n: Scalar): number => (totals[n].total > 0 ? totals[n].used / totals[n].total : 0);
  return {
    time: ctx.clock.now() / 1000,
    cpus: share('cpus'),
    mem: share('mem'),
    disk: share('disk'),
    gpus: share('gpus'),
  };
}
