// Cycle finding over parent → child edges, for the 400 that names a cycle.

/** Every elementary cycle found by a depth-first search, each as `[a, b, ..., a]`, one per set of jobs. */
export function findCycles(children: (job: string) => readonly string[], jobs: readonly string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string[]>();

  const visit = (job: string): void => {
    state.set(job, 'open');
    stack.push(job);
    for (const child of children(job)) {
      const s = state.get(child);
      if (s === 'open') {
        const cycle = [...stack.slice(stack.indexOf(child)), child];
        const key = [...new Set(cycle)].sort().join('\u0000');
        if (!found.has(key)) found.set(key, cycle);
      } else if (s === undefined) {
        visit(child);
      }
    }
    stack.pop();
    state.set(job, 'done');
  };

  for (const job of [...jobs].sort()) if (!state.has(job)) visit(job);
  return [...found.values()];
}

/** A path from `from` to `to` following `children`, or null. */
export function pathBetween(children: (job: string) => readonly string[], from: string, to: string): string[] | null {
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const job = queue.shift() as string;
    if (job === to) {
      const path = [to];
      for (let at = to; at !== from;) {
        at = previous.get(at) as string;
        path.unshift(at);
      }
      return path;
    }
    for (const child of children(job)) {
      if (!seen.has(child)) {
        seen.add(child);
        previous.set(child, job);
        queue.push(child);
      }
    }
  }
  return null;
}

/** `a -> b -> a`. */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' -> ');
}
