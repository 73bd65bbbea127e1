// The allocator's same-run limit: visit every (agent, framework) pair doing
// the least work there is (one multiply-add of a scalar). An allocator that
// may consider every framework for every agent cannot beat this loop.

/** An agent as the loop sees it: one scalar. */
interface LoopAgent {
  readonly id: string;
  readonly cpus: number;
}

/** A framework as the loop sees it: one scalar. */
interface LoopFramework {
  readonly id: string;
  readonly weight: number;
}

/** Agents and frameworks laid out as plain objects, like the allocator's own entries. */
export interface LoopInput {
  readonly agents: readonly LoopAgent[];
  readonly frameworks: readonly LoopFramework[];
}

/** Builds the loop's input for `agents` x `frameworks`. */
export function loopInput(agents: number, frameworks: number): LoopInput {
  return {
    agents: Array.from({ length: agents }, (_, i) => ({ id: `agent-${i}`, cpus: 16 + (i % 3) })),
    frameworks: Array.from({ length: frameworks }, (_, i) => ({ id: `fw-${i}`, weight: 1 + (i % 2) })),
  };
}

/** Read by no one: the loop's result is stored here so the JIT cannot drop the loop. */
export let loopSink = 0;

/** One pass: a multiply-add per (agent, framework) pair. Returns the sum. */
export function scalarLoop(input: LoopInput): number {
  let sum = 0;
  for (const a of input.agents) for (const f of input.frameworks) sum += a.cpus * f.weight;
  loopSink = sum;
  return sum;
}
