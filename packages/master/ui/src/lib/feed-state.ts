// The cluster as the feed shows it: the snapshot, then deltas. Immutable:
// rows that did not change keep their object. TASKS and LEADER are not state
// here (pages apply TASKS to what they show; the connection follows LEADER). Pure.
import type { AgentRow, AllocationSample, FeedMessage, FrameworkRow, OfferRow, StateSummary } from './types.js';

/** What the UI knows of the cluster. */
export interface ClusterView {
  readonly summary: StateSummary | undefined;
  readonly agents: ReadonlyMap<string, AgentRow>;
  readonly frameworks: ReadonlyMap<string, FrameworkRow>;
  readonly offers: readonly OfferRow[];
  /** Allocation samples, oldest first. */
  readonly samples: readonly AllocationSample[];
  /** How many snapshots were taken: a new one means deltas may have been missed. */
  readonly snapshots: number;
}

/** Before the first snapshot. */
export const EMPTY_VIEW: ClusterView = {
  summary: undefined,
  agents: new Map(),
  frameworks: new Map(),
  offers: [],
  samples: [],
  snapshots: 0,
};

/** Samples kept for the chart (one a second: ten minutes). */
export const MAX_SAMPLES = 600;

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.id, r]));
}

function upsert<T extends { id: string }>(
  map: ReadonlyMap<string, T>,
  upserted: readonly T[],
  removed: readonly string[],
): ReadonlyMap<string, T> {
  if (upserted.length === 0 && !removed.some((id) => map.has(id))) return map;
  const next = new Map(map);
  for (const row of upserted) next.set(row.id, row);
  for (const id of removed) next.delete(id);
  return next;
}

/** The view after one feed message. */
export function applyFeedMessage(view: ClusterView, msg: FeedMessage, maxSamples = MAX_SAMPLES): ClusterView {
  switch (msg.type) {
    case 'SNAPSHOT':
      return {
        summary: msg.summary,
        agents: byId(msg.agents),
        frameworks: byId(msg.frameworks),
        offers: msg.offers,
        samples: msg.samples.slice(-maxSamples),
        snapshots: view.snapshots + 1,
      };
    case 'SUMMARY':
      return { ...view, summary: msg.summary };
    case 'AGENTS': {
      const agents = upsert(view.agents, msg.upserted, msg.removed);
      return agents === view.agents ? view : { ...view, agents };
    }
    case 'FRAMEWORKS': {
      const frameworks = upsert(view.frameworks, msg.upserted, msg.removed);
      return frameworks === view.frameworks ? view : { ...view, frameworks };
    }
    case 'OFFERS':
      return { ...view, offers: msg.offers };
    case 'SAMPLE': {
      const samples = view.samples.length >= maxSamples ? view.samples.slice(1 - maxSamples) : view.samples.slice();
      samples.push(msg.sample);
      return { ...view, samples };
    }
    case 'TASKS':
    case 'LEADER':
      return view;
  }
}

/** Agents sorted by hostname, then ID. */
export function sortedAgents(agents: ReadonlyMap<string, AgentRow>): AgentRow[] {
  return [...agents.values()].sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
}

/** Frameworks sorted by name, then ID. */
export function sortedFrameworks(frameworks: ReadonlyMap<string, FrameworkRow>): FrameworkRow[] {
  return [...frameworks.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** An agent's drain state for display: DRAINING, DRAINED, DEACTIVATED or ACTIVE. */
export function drainState(agent: Pick<AgentRow, 'deactivated' | 'drain_info'>): string {
  if (agent.drain_info) return agent.drain_info.state;
  return agent.deactivated ? 'DEACTIVATED' : 'ACTIVE';
}
