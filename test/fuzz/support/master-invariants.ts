// What must hold in a master's /master/state after any input: no negative
// resources anywhere, no agent using or offering more than it has, every
// live task on an agent the master knows. Returns the breaches (empty: all
// hold), so that a failure names each one.
import type { MasterState } from '@mesocosm/master';

type ResourcesJson = Record<string, number | string>;

function negatives(where: string, r: ResourcesJson | undefined): string[] {
  return Object.entries(r ?? {})
    .filter(([, v]) => typeof v === 'number' && (!Number.isFinite(v) || v < 0))
    .map(([k, v]) => `${where}: ${k} is ${String(v)}`);
}

/** Scalars of `part` beyond `total` (a tiny tolerance for fractional sums). */
function beyond(where: string, total: ResourcesJson, part: ResourcesJson): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(part)) {
    if (typeof v !== 'number') continue;
    const have = typeof total[k] === 'number' ? total[k] : 0;
    if (v > have + 1e-6) out.push(`${where}: ${k} ${v} exceeds the total ${have}`);
  }
  return out;
}

function add(a: ResourcesJson, b: ResourcesJson): ResourcesJson {
  const out: ResourcesJson = { ...a };
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') out[k] = ((out[k] as number) ?? 0) + v;
  return out;
}

/** Every breach of the master's state invariants. */
export function masterStateProblems(state: MasterState): string[] {
  const problems: string[] = [];
  const agents = new Set(state.slaves.map((a) => a.id));
  for (const a of state.slaves) {
    const at = `agent ${a.id}`;
    problems.push(...negatives(`${at} resources`, a.resources));
    problems.push(...negatives(`${at} used_resources`, a.used_resources));
    problems.push(...negatives(`${at} offered_resources`, a.offered_resources));
    problems.push(...negatives(`${at} unreserved_resources`, a.unreserved_resources));
    problems.push(...beyond(`${at} used + offered`, a.resources, add(a.used_resources, a.offered_resources)));
  }
  for (const f of [...state.frameworks, ...state.completed_frameworks]) {
    problems.push(...negatives(`framework ${f.id} used_resources`, f.used_resources));
    problems.push(...negatives(`framework ${f.id} offered_resources`, f.offered_resources));
  }
  for (const f of state.frameworks) {
    for (const t of [...f.tasks, ...f.unreachable_tasks]) {
      if (!agents.has(t.agent_id)) problems.push(`task ${t.id} of ${f.id} is on agent '${t.agent_id}', unknown`);
      problems.push(...negatives(`task ${t.id} resources`, t.resources));
    }
    for (const o of f.offers) if (!agents.has(o.agent_id)) problems.push(`offer ${o.id} is on an unknown agent`);
  }
  return problems;
}
