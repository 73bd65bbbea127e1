// `mesocosm agents`: the master's agents as a table (GET /master/slaves), or
// the endpoint's JSON with --json.
import { connectMaster } from '../master-client.js';
import type { AgentRow, AgentsPage } from '../master-json.js';
import type { OperatorIo } from '../operator-io.js';
import { formatMegabytes, formatNumber, formatTable, formatUsedOfTotal, scalar, type Column } from '../table.js';

/** Flags of `mesocosm agents`. */
export interface AgentsFlags {
  master?: string;
  json: boolean;
}

function usedOfTotal(a: AgentRow, name: string, format: (n: number) => string): string {
  return formatUsedOfTotal(scalar(a.used_resources, name), scalar(a.resources, name), format);
}

/** The DRAIN column: DRAINING/DRAINED, `deactivated` without a drain, else `-`. */
function drainState(a: AgentRow): string {
  if (a.drain_info) return a.drain_info.state;
  return a.deactivated ? 'deactivated' : '-';
}

const COLUMNS: readonly Column<AgentRow>[] = [
  { header: 'ID', value: (a) => a.id },
  { header: 'HOSTNAME', value: (a) => a.hostname },
  { header: 'CPUS', value: (a) => usedOfTotal(a, 'cpus', (n) => formatNumber(n)), align: 'right' },
  { header: 'MEM', value: (a) => usedOfTotal(a, 'mem', formatMegabytes), align: 'right' },
  { header: 'DISK', value: (a) => usedOfTotal(a, 'disk', formatMegabytes), align: 'right' },
  { header: 'TASKS', value: (a) => String(a.task_count), align: 'right' },
  { header: 'STATUS', value: (a) => a.status },
  { header: 'DRAIN', value: drainState },
];

/** The human table of `mesocosm agents`, sorted by hostname then ID. Pure. */
export function formatAgents(rows: readonly AgentRow[]): string {
  if (rows.length === 0) return 'no agents\n';
  const sorted = [...rows].sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
  return formatTable(COLUMNS, sorted);
}

/** Runs `mesocosm agents`. */
export async function runAgents(flags: AgentsFlags, io: OperatorIo): Promise<void> {
  const master = await connectMaster(io, flags.master);
  const page = await master.get<AgentsPage>('/master/slaves');
  io.out(flags.json ? `${JSON.stringify(page, null, 2)}\n` : formatAgents(page.slaves));
}
