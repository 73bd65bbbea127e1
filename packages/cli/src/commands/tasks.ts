// `mesocosm tasks`: the master's tasks, filtered and paged by the master
// (GET /master/tasks), as a table or --json; `--wait N` first waits, with a
// progress line, until N tasks match (e.g. `--wait-running 3`).
import { pickAgent, pickFramework } from '../lookup.js';
import { connectMaster, type MasterClient, type Query } from '../master-client.js';
import type { AgentsPage, FrameworksPage, TaskRow, TasksPage } from '../master-json.js';
import type { OperatorIo } from '../operator-io.js';
import { pollUntil } from '../progress.js';
import { formatMegabytes, formatNumber, formatTable, scalar, type Column } from '../table.js';
import { shortStateName } from '../task-states.js';

/** Flags of `mesocosm tasks`. */
export interface TasksFlags {
  master?: string;
  json: boolean;
  /** Full state names (`TASK_RUNNING`); any of them matches. */
  states?: string[];
  /** Framework ID or name. */
  framework?: string;
  /** Agent ID or hostname. */
  agent?: string;
  /** Substring of the task's name or ID. */
  name?: string;
  /** At most this many rows (the master's page size). */
  limit: number;
  /** Every matching task, page after page. */
  all: boolean;
  /** First wait until at least this many tasks match. */
  wait?: number;
  timeoutMs: number;
  /** Poll interval of --wait. */
  intervalMs: number;
}

/** Rows per request: the master's largest page. */
const PAGE_SIZE = 1000;

const COLUMNS: readonly Column<TaskRow>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'STATE', value: (t) => t.state },
  { header: 'FRAMEWORK', value: (t) => t.framework_name || t.framework_id },
  { header: 'AGENT', value: (t) => t.agent_hostname || t.agent_id },
  { header: 'CPUS', value: (t) => formatNumber(scalar(t.resources, 'cpus')), align: 'right' },
  { header: 'MEM', value: (t) => formatMegabytes(scalar(t.resources, 'mem')), align: 'right' },
];

const HEALTH: Column<TaskRow> = {
  header: 'HEALTH',
  value: (t) => (t.healthy === undefined ? '-' : t.healthy ? 'healthy' : 'unhealthy'),
};

/** The human table of `mesocosm tasks`; a HEALTH column when any task has a health check. Pure. */
export function formatTasks(rows: readonly TaskRow[]): string {
  if (rows.length === 0) return 'no tasks\n';
  const columns = rows.some((t) => t.healthy !== undefined) ? [...COLUMNS, HEALTH] : COLUMNS;
  return formatTable(columns, rows);
}

/** What `--wait` waits for, in words: `3 tasks running`, `2 tasks (any state)`. Pure. */
export function describeWait(count: number, states: readonly string[] | undefined): string {
  const what = states && states.length > 0 ? ` ${states.map(shortStateName).join(' or ')}` : '';
  return `${count} task${count === 1 ? '' : 's'}${what}`;
}

/** The master's query for the filters, with framework and agent resolved to IDs. */
async function queryOf(master: MasterClient, flags: TasksFlags): Promise<Query> {
  let frameworkId: string | undefined;
  let agentId: string | undefined;
  if (flags.framework !== undefined) {
    const page = await master.get<FrameworksPage>('/master/frameworks');
    const rows = [...page.frameworks, ...page.completed_frameworks];
    frameworkId = pickFramework(rows, flags.framework, '--framework').id;
  }
  if (flags.agent !== undefined) {
    agentId = pickAgent((await master.get<AgentsPage>('/master/slaves')).slaves, flags.agent, '--agent').id;
  }
  return {
    framework_id: frameworkId,
    agent_id: agentId,
    state: flags.states && flags.states.length > 0 ? flags.states : undefined,
    name: flags.name,
  };
}

/**
 * The first `limit` matching tasks, or with `all` every one, fetched in pages
 * of at most {@link PAGE_SIZE} (the most the master gives at once).
 */
export async function fetchTasks(master: MasterClient, query: Query, limit: number, all: boolean): Promise<TasksPage> {
  const want = all ? Infinity : limit;
  const tasks: TaskRow[] = [];
  let total = 0;
  for (;;) {
    const size = Math.min(PAGE_SIZE, want - tasks.length);
    const page = await master.get<TasksPage>('/master/tasks', { ...query, offset: tasks.length, limit: size });
    total = page.total;
    tasks.push(...page.tasks);
    if (page.tasks.length === 0 || tasks.length >= Math.min(want, total)) break;
  }
  return { tasks, total, offset: 0, limit: all ? tasks.length : limit };
}

/** Runs `mesocosm tasks`. */
export async function runTasks(flags: TasksFlags, io: OperatorIo): Promise<void> {
  const interrupts = io.interrupts();
  try {
    const master = await connectMaster(io, flags.master, interrupts.signal);
    const query = await queryOf(master, flags);
    const wanted = flags.wait;
    if (wanted !== undefined) {
      const what = describeWait(wanted, flags.states);
      await pollUntil({
        io,
        signal: interrupts.signal,
        intervalMs: flags.intervalMs,
        timeoutMs: flags.timeoutMs,
        what,
        check: async () => {
          const { total } = await master.get<TasksPage>('/master/tasks', { ...query, offset: 0, limit: 1 });
          return total >= wanted ? { done: true, value: total } : { done: false, status: `${total}/${what}` };
        },
      });
      io.err(`${what}: done\n`);
    }
    const page = await fetchTasks(master, query, flags.limit, flags.all);
    if (flags.json) {
      io.out(`${JSON.stringify(page, null, 2)}\n`);
      return;
    }
    io.out(formatTasks(page.tasks));
    if (page.total > page.tasks.length) {
      io.err(`${page.tasks.length} of ${page.total} tasks shown: --limit N or --all for more\n`);
    }
  } finally {
    interrupts.dispose();
  }
}
