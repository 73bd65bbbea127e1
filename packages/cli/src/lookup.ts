// What the user typed for an agent, a framework or a task, matched against the
// master's rows: an ID, or else a name (hostname for agents) that only one
// carries. Nothing or several -> an error that lists what there is. Pure.
import type { AgentRow, FrameworkRow, TaskRow } from './master-json.js';
import { AmbiguousArgumentError, NotFoundError } from './operator-errors.js';
import { isTerminalStateName } from './task-states.js';

const MAX_LISTED = 10;

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown}, ... (${items.length} in all)` : shown;
}

/**
 * The agent whose ID is `text`, or else the only one whose hostname is.
 * @throws NotFoundError (listing the agents), AmbiguousArgumentError (listing the matches).
 */
export function pickAgent(rows: readonly AgentRow[], text: string, argument = 'AGENT'): AgentRow {
  const byId = rows.find((a) => a.id === text);
  if (byId) return byId;
  const byHost = rows.filter((a) => a.hostname === text);
  if (byHost.length === 1 && byHost[0]) return byHost[0];
  if (byHost.length > 1) {
    throw new AmbiguousArgumentError(
      argument,
      `${byHost.length} agents run on host '${text}': give an agent ID, one of ${list(byHost.map((a) => a.id))}`,
    );
  }
  const known = rows.map((a) => `${a.id} (${a.hostname})`);
  throw new NotFoundError(
    'UNKNOWN_AGENT',
    `no agent has ID or hostname '${text}'; ${known.length === 0 ? 'the master knows no agents' : `known: ${list(known)}`}`,
  );
}

/**
 * The framework whose ID is `text`, or else the only one named `text`.
 * @throws NotFoundError (listing the frameworks), AmbiguousArgumentError (listing the matches).
 */
export function pickFramework(rows: readonly FrameworkRow[], text: string, argument = 'FRAMEWORK'): FrameworkRow {
  const byId = rows.find((f) => f.id === text);
  if (byId) return byId;
  const byName = rows.filter((f) => f.name === text);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) {
    throw new AmbiguousArgumentError(
      argument,
      `${byName.length} frameworks are named '${text}': give a framework ID, one of ${list(byName.map((f) => f.id))}`,
    );
  }
  const known = rows.map((f) => `${f.id} (${f.name})`);
  throw new NotFoundError(
    'UNKNOWN_FRAMEWORK',
    `no framework has ID or name '${text}'; ${known.length === 0 ? 'the master knows no frameworks' : `known: ${list(known)}`}`,
  );
}

function latestTime(t: TaskRow): number {
  return t.statuses.reduce((max, s) => Math.max(max, s.timestamp), 0);
}

/** Of the rows of one task (a framework may reuse a finished task's ID): the live one, else the latest. */
function newest(rows: readonly TaskRow[]): TaskRow | undefined {
  const live = rows.find((t) => !isTerminalStateName(t.state));
  if (live) return live;
  return [...rows].sort((a, b) => latestTime(b) - latestTime(a))[0];
}

function byTask(rows: readonly TaskRow[]): TaskRow[][] {
  const groups = new Map<string, TaskRow[]>();
  for (const t of rows) {
    const key = `${t.framework_id}\u0000${t.id}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()];
}

function onlyOne(groups: TaskRow[][], text: string, how: string): TaskRow | undefined {
  if (groups.length === 0) return undefined;
  const picked = groups.map(newest).filter((t): t is TaskRow => t !== undefined);
  if (picked.length === 1) return picked[0];
  const names = picked.map((t) => `${t.id} (framework ${t.framework_name || t.framework_id}, ${t.state})`);
  throw new AmbiguousArgumentError(
    'TASK',
    `${picked.length} tasks ${how} '${text}': ${list(names)}; give a full task ID, and --framework when IDs repeat`,
  );
}

/**
 * The task `text` names among `rows`: the one with that ID, else the one with
 * that name, else the only one whose ID or name contains it (in any case).
 * @throws NotFoundError, AmbiguousArgumentError (listing the candidates).
 */
export function pickTask(rows: readonly TaskRow[], text: string): TaskRow {
  const lower = text.toLowerCase();
  const found =
    onlyOne(byTask(rows.filter((t) => t.id === text)), text, 'have the ID') ??
    onlyOne(byTask(rows.filter((t) => t.name === text)), text, 'are named') ??
    onlyOne(
      byTask(rows.filter((t) => t.id.toLowerCase().includes(lower) || t.name.toLowerCase().includes(lower))),
      text,
      'have an ID or name containing',
    );
  if (found) return found;
  throw new NotFoundError('UNKNOWN_TASK', `no task has an ID or name like '${text}' (list them with: mesocosm tasks)`);
}
