// `mesocosm frameworks`: the master's frameworks as a table (GET
// /master/frameworks), or the endpoint's JSON with --json.
import { connectMaster } from '../master-client.js';
import type { FrameworkRow, FrameworksPage } from '../master-json.js';
import type { OperatorIo } from '../operator-io.js';
import { formatPercent, formatTable, type Column } from '../table.js';
import { shortStateName, TASK_STATE_NAMES } from '../task-states.js';

/** Flags of `mesocosm frameworks`. */
export interface FrameworksFlags {
  master?: string;
  json: boolean;
  /** Also list the frameworks that were torn down or timed out (--json always has them). */
  completed: boolean;
}

/** `3 running, 1 finished`: task counts by state, in the protocol's order of states. Pure. */
export function formatTaskCounts(counts: Readonly<Record<string, number>>): string {
  const order = (s: string): number => {
    const i = TASK_STATE_NAMES.indexOf(s);
    return i === -1 ? TASK_STATE_NAMES.length : i;
  };
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([state, n]) => `${n} ${shortStateName(state)}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

const COLUMNS: readonly Column<FrameworkRow & { completed?: boolean }>[] = [
  { header: 'ID', value: (f) => f.id },
  { header: 'NAME', value: (f) => f.name },
  { header: 'ROLE', value: (f) => (f.roles.length > 1 ? f.roles.join(',') : f.role) },
  { header: 'PRINCIPAL', value: (f) => f.principal || '-' },
  { header: 'CONNECTED', value: (f) => (f.completed ? 'completed' : yesNo(f.connected)) },
  { header: 'ACTIVE', value: (f) => yesNo(f.active) },
  { header: 'SHARE', value: (f) => formatPercent(f.dominant_share), align: 'right' },
  { header: 'TASKS', value: (f) => formatTaskCounts(f.task_counts) },
];

/** The human table of `mesocosm frameworks` (completed ones after the others when given). Pure. */
export function formatFrameworks(rows: readonly FrameworkRow[], completed: readonly FrameworkRow[] = []): string {
  if (rows.length + completed.length === 0) return 'no frameworks\n';
  const byName = (a: FrameworkRow, b: FrameworkRow): number => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  return formatTable(COLUMNS, [
    ...[...rows].sort(byName),
    ...[...completed].sort(byName).map((f) => ({ ...f, completed: true })),
  ]);
}

/** Runs `mesocosm frameworks`. */
export async function runFrameworks(flags: FrameworksFlags, io: OperatorIo): Promise<void> {
  const master = await connectMaster(io, flags.master);
  const page = await master.get<FrameworksPage>('/master/frameworks');
  if (flags.json) io.out(`${JSON.stringify(page, null, 2)}\n`);
  else io.out(formatFrameworks(page.frameworks, flags.completed ? page.completed_frameworks : []));
}
