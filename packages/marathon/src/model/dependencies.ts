// The dependency graph between apps. A dependency names an app or a group
// (meaning every app under it); cycles are refused; the longest path from an
// app down its dependencies gives its deployment level.

import { AppValidationError } from '../errors.js';
import { isUnder } from './path-id.js';

/** The part of an app the graph needs. */
export interface DependencyNode {
  readonly id: string;
  readonly dependencies: readonly string[];
}

/** App id → ids of the apps it depends on (group dependencies expanded). Unknown ids are left out. */
export function dependencyGraph(apps: readonly DependencyNode[]): Map<string, string[]> {
  const ids = apps.map((a) => a.id);
  const known = new Set(ids);
  const graph = new Map<string, string[]>();
  for (const app of apps) {
    const targets = new Set<string>();
    for (const dep of app.dependencies) {
      if (known.has(dep)) targets.add(dep);
      else for (const id of ids) if (isUnder(id, dep)) targets.add(id);
    }
    targets.delete(app.id);
    graph.set(app.id, [...targets].sort());
  }
  return graph;
}

/** Dependencies that name neither an app nor a group holding one: `[appId, dependency]` pairs. */
export function unknownDependencies(apps: readonly DependencyNode[]): [string, string][] {
  const ids = apps.map((a) => a.id);
  const out: [string, string][] = [];
  for (const app of apps) {
    for (const dep of app.dependencies) if (!ids.some((id) => isUnder(id, dep))) out.push([app.id, dep]);
  }
  return out;
}

/** One cycle of `graph` as a path that ends where it starts (`['/a','/b','/a']`), or undefined. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const next of graph.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of [...graph.keys()].sort()) {
    const cycle = visit(id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** Throws Marathon's 422, naming the cycle, when the apps' dependencies loop. */
export function assertAcyclic(apps: readonly DependencyNode[]): void {
  const cycle = findCycle(dependencyGraph(apps));
  if (cycle !== undefined) {
    throw new AppValidationError([
      { path: '/', errors: [`Dependency graph has cyclic dependencies: ${cycle.join(' -> ')}`] },
    ]);
  }
}

/**
 * The deployment level of each app: 0 with no dependencies, otherwise one more
 * than the highest level among its dependencies. Requires an acyclic graph.
 */
export function dependencyLevels(apps: readonly DependencyNode[]): Map<string, number> {
  const graph = dependencyGraph(apps);
  const levels = new Map<string, number>();
  const level = (id: string, depth: number): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (depth > graph.size) throw new Error(`dependency cycle through ${id}`);
    const deps = graph.get(id) ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => level(d, depth + 1)));
    levels.set(id, value);
    return value;
  };
  for (const id of graph.keys()) level(id, 0);
  return levels;
}
