// Allocator cycle: one allocate() over N agents x M frameworks (frameworks
// spread over 10 roles), in the style of Mesos' HierarchicalAllocator
// benchmarks, against a same-run loop over the same agents and frameworks
// doing one scalar multiply-add per pair (support/scalar-loop.ts).
//
//   first       every agent free: every agent is offered
//   declined    every offer declined with a filter, then one cycle: each agent
//               goes to the next framework in DRF order (filters checked)
//   suppressed  every framework suppressed, every agent free: nothing to offer
import { FakeClock, Resources } from '@mesocosm/protocol';
import { median } from '../stats.js';
import { Allocator, type Allocation } from '@mesocosm/master';
import { BenchError } from '../errors.js';
import { reviveCycles } from '../support/revive-cycles.js';
import { loopInput, scalarLoop } from '../support/scalar-loop.js';
import type { BenchContext, Figure, Scenario } from '../types.js';

type Phase = 'first' | 'declined' | 'suppressed';

const AGENT_TOTAL = Resources.parse('cpus:16;mem:65536;disk:512000;ports:[31000-32000]');
const ROLES = 10;
const SIZES: ReadonlyArray<readonly [agents: number, frameworks: number]> = [
  [1000, 10],
  [1000, 100],
  [10000, 10],
  [10000, 100],
  [10000, 1000],
];

function frameworkId(i: number): string {
  return `fw-${String(i).padStart(3, '0')}`;
}

function setup(agents: number, frameworks: number): Allocator {
  const allocator = new Allocator({ clock: new FakeClock(0) });
  for (let i = 0; i < agents; i++)
    allocator.addAgent({ agentId: `agent-${i}`, hostname: `host-${i}`, total: AGENT_TOTAL, attributes: [] });
  for (let i = 0; i < frameworks; i++)
    allocator.addFramework({ frameworkId: frameworkId(i), roles: [`role-${i % ROLES}`] });
  return allocator;
}

/** Gives every allocated resource back, with a filter of `refuseSeconds` when given. */
function recoverAll(allocator: Allocator, frameworks: number, refuseSeconds?: number): void {
  for (let i = 0; i < frameworks; i++)
    for (const a of allocator.allocationsOf(frameworkId(i)))
      allocator.recoverResources(a.frameworkId, a.agentId, a.resources, refuseSeconds);
}

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median cycle time (ms) of each phase over `repeats` fresh allocators. */
function cycles(agents: number, frameworks: number, repeats: number) {
  const ms: Record<Phase, number[]> = { first: [], declined: [], suppressed: [] };
  const offers: Record<Phase, number> = { first: 0, declined: 0, suppressed: 0 };
  const cycle = (phase: Phase, allocator: Allocator): void => {
    let made = 0;
    ms[phase].push(timed(() => (made = allocator.allocate().length)));
    offers[phase] = made;
  };
  for (let r = 0; r < repeats; r++) {
    const allocator = setup(agents, frameworks);
    cycle('first', allocator);
    recoverAll(allocator, frameworks, 5);
    cycle('declined', allocator);
    for (let i = 0; i < frameworks; i++) allocator.suppress(frameworkId(i));
    recoverAll(allocator, frameworks);
    cycle('suppressed', allocator);
  }
  return { ms: { first: median(ms.first), declined: median(ms.declined), suppressed: median(ms.suppressed) }, offers };
}

/**
 * Median time (ms) of one pass of the scalar loop over the same sizes. Each
 * sample times a batch of passes (about a million pairs), so that small sizes
 * are not below the timer's resolution; the JIT is warmed up first.
 */
function loopLimit(agents: number, frameworks: number, repeats: number): number {
  const input = loopInput(agents, frameworks);
  const passes = Math.max(1, Math.ceil(1_000_000 / (agents * frameworks)));
  const batch = (): number =>
    timed(() => {
      for (let k = 0; k < passes; k++) scalarLoop(input);
    }) / passes;
  for (let w = 0; w < 5; w++) batch();
  return median(Array.from({ length: repeats }, batch));
}

/** Declines timed per size in {@link declineReoffer}. */
const DECLINES = 200;

/**
 * One decline and the cycle that offers the declined resources again: every
 * agent allocated (first cycle), then an offer declined (5 s filter) and a
 * cycle, `DECLINES` times over different agents. Median per (decline + cycle),
 * with a full cycle over every agent and, when the allocator has it, with a
 * cycle over the changed agents only (what the master runs on an event).
 */
function declineReoffer(agents: number, frameworks: number): { full: number; changed: number | undefined } {
  const run = (cycle: (a: Allocator) => Allocation[]): number => {
    const allocator = setup(agents, frameworks);
    const held = allocator.allocate();
    const ms: number[] = [];
    for (let i = 0; i < DECLINES; i++) {
      const a = held[Math.floor((i * held.length) / DECLINES)];
      if (!a) break;
      let offers = 0;
      ms.push(
        timed(() => {
          allocator.recoverResources(a.frameworkId, a.agentId, a.resources, 5);
          offers = cycle(allocator).length;
        }),
      );
      if (offers !== 1) throw new BenchError(`a declined offer was offered again as ${offers} offers, expected 1`);
    }
    return median(ms);
  };
  const incremental = typeof (Allocator.prototype as { allocateChanged?: unknown }).allocateChanged === 'function';
  return {
    full: run((a) => a.allocate()),
    changed: incremental
      ? run((a) => (a as unknown as { allocateChanged(): Allocation[] }).allocateChanged())
      : undefined,
  };
}

export const allocatorScenario: Scenario = {
  name: 'allocator',
  description: 'one allocation cycle (pure Allocator) vs a scalar loop over the same agents x frameworks',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const repeats = ctx.quick ? 5 : 15;
    // Warm-up: every size once, so that the measured cycles run optimized code.
    for (const [agents, frameworks] of SIZES) cycles(agents, frameworks, 1);
    const figures: Figure[] = [];
    for (const [agents, frameworks] of SIZES) {
      ctx.progress(`allocator: ${agents} agents x ${frameworks} frameworks`);
      const { ms, offers } = cycles(agents, frameworks, repeats);
      const limit = loopLimit(agents, frameworks, repeats);
      const phases: Phase[] = agents >= 10000 ? ['first', 'declined', 'suppressed'] : ['first', 'declined'];
      for (const phase of phases)
        figures.push({
          scenario: 'allocator',
          figure: `${agents} agents x ${frameworks} fw, ${phase === 'suppressed' ? 'all suppressed' : phase} (${offers[phase]} offers)`,
          unit: 'ms',
          value: ms[phase],
          better: 'lower',
          limit,
          limitLabel: 'one scalar multiply-add per (agent, framework) pair, same sizes, median',
        });
    }
    for (const [agents, frameworks] of [[10000, 100] as const]) {
      ctx.progress(`allocator: decline and re-offer, ${agents} agents x ${frameworks} frameworks`);
      declineReoffer(agents, frameworks); // warm-up
      const { full, changed } = declineReoffer(agents, frameworks);
      const limit = loopLimit(1, frameworks, repeats);
      const label = `one scalar multiply-add per framework for one agent (1 x ${frameworks} pairs), median`;
      const row = (what: string, value: number): Figure => ({
        scenario: 'allocator',
        figure: `${agents} agents x ${frameworks} fw, one decline + ${what} (1 offer)`,
        unit: 'ms',
        value,
        better: 'lower',
        limit,
        limitLabel: label,
      });
      figures.push(row('full cycle', full));
      if (changed !== undefined) figures.push(row('cycle over changed agents', changed));
    }
    figures.push(...(await reviveCycles(ctx)));
    return figures;
  },
};
