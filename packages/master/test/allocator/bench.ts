// Allocator cycle benchmark, in the style of Mesos' allocator benchmarks.
// Not part of the test run: `node packages/master/lib/test/allocator/bench.js`.
//
// Scenarios per (agents x frameworks), frameworks spread over 10 roles:
//   first      every agent free, every agent offered
//   declined   every offer declined with a filter, then one cycle: each agent
//              goes to the next framework in DRF order (filters checked)
//   idle       every framework suppressed: a cycle that scans all and offers nothing
import { FakeClock, Resources } from '@mesocosm/protocol';
import { Allocator } from '../../src/allocator/index.js';

const AGENT_TOTAL = Resources.parse('cpus:16;mem:65536;disk:512000;ports:[31000-32000]');

function setup(agents: number, frameworks: number): { allocator: Allocator; clock: FakeClock } {
  const clock = new FakeClock(0);
  const allocator = new Allocator({ clock });
  for (let i = 0; i < agents; i++)
    allocator.addAgent({ agentId: `agent-${i}`, hostname: `host-${i}`, total: AGENT_TOTAL, attributes: [] });
  for (let i = 0; i < frameworks; i++)
    allocator.addFramework({ frameworkId: frameworkId(i), roles: [`role-${i % 10}`] });
  return { allocator, clock };
}

function time(fn: () => number): { ms: number; offers: number } {
  const start = performance.now();
  const offers = fn();
  return { ms: performance.now() - start, offers };
}

function frameworkId(i: number): string {
  return `fw-${String(i).padStart(3, '0')}`;
}

function allAllocations(allocator: Allocator, frameworks: number): ReturnType<Allocator['allocationsOf']> {
  const out: ReturnType<Allocator['allocationsOf']> = [];
  for (let i = 0; i < frameworks; i++) out.push(...allocator.allocationsOf(frameworkId(i)));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

interface Row {
  agents: number;
  frameworks: number;
  scenario: string;
  ms: number;
  offers: number;
}

function run(agents: number, frameworks: number, repeats: number): Row[] {
  const rows: Record<string, { ms: number[]; offers: number }> = {
    first: { ms: [], offers: 0 },
    declined: { ms: [], offers: 0 },
    idle: { ms: [], offers: 0 },
  };
  for (let r = 0; r < repeats; r++) {
    const { allocator } = setup(agents, frameworks);
    const first = time(() => allocator.allocate().length);
    rows.first?.ms.push(first.ms);
    if (rows.first) rows.first.offers = first.offers;
    for (const a of allAllocations(allocator, frameworks))
      allocator.recoverResources(a.frameworkId, a.agentId, a.resources, 5);
    const declined = time(() => allocator.allocate().length);
    rows.declined?.ms.push(declined.ms);
    if (rows.declined) rows.declined.offers = declined.offers;
    for (let i = 0; i < frameworks; i++) allocator.suppress(frameworkId(i));
    for (const a of allAllocations(allocator, frameworks))
      allocator.recoverResources(a.frameworkId, a.agentId, a.resources);
    const idle = time(() => allocator.allocate().length);
    rows.idle?.ms.push(idle.ms);
    if (rows.idle) rows.idle.offers = idle.offers;
  }
  return Object.entries(rows).map(([scenario, v]) => ({
    agents,
    frameworks,
    scenario,
    ms: median(v.ms),
    offers: v.offers,
  }));
}

const rows: Row[] = [];
run(1000, 10, 1); // warm-up
for (const agents of [1000, 10000]) for (const frameworks of [10, 100]) rows.push(...run(agents, frameworks, 5));
console.log('agents  frameworks  scenario   cycle ms  offers');
for (const r of rows)
  console.log(
    `${String(r.agents).padStart(6)}  ${String(r.frameworks).padStart(10)}  ${r.scenario.padEnd(9)}  ${r.ms
      .toFixed(1)
      .padStart(8)}  ${String(r.offers).padStart(6)}`,
  );
