// GET /master/maintenance: the agents under maintenance, in Mesos' terms.
import type { MasterContext } from '../core/types.js';
import type { MaintenancePage } from './feed-types.js';
import { maintenanceJson } from './state-json.js';

/** Builds GET /master/maintenance. */
export function maintenancePage(ctx: MasterContext): MaintenancePage {
  const agents: MaintenancePage['agents'] = [];
  for (const agentId of ctx.maintenance.keys()) {
    const live = ctx.agents.get(agentId);
    const recovered = ctx.recovered.get(agentId);
    agents.push({
      id: agentId,
      hostname: live?.info.hostname ?? recovered?.info.hostname ?? '',
      status: live?.status ?? (recovered ? 'recovered' : 'unknown'),
      ...maintenanceJson(ctx, agentId),
    });
  }
  return { agents: agents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
