// Event-driven cycles over the changed agents only (allocateChanged): they
// make exactly the offers a full cycle would, and a change that cannot alter
// any offer (a REVIVE that lifts nothing) asks for no cycle at all.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Allocation, Allocator } from '../../src/allocator/index.js';
import { addAgent, newAllocator, r, summarise as show } from './helpers.js';

const AGENTS = ['a0', 'a1', 'a2', 'a3'];
const FRAMEWORKS = ['f0', 'f1', 'f2'];
const ROLE_SETS = [['r1'], ['*'], ['r1', '*']];
const TOTALS = ['cpus:4;mem:4096;ports:[31000-31009]', 'cpus:1;mem:64', 'cpus:2;mem:1024;cpus(r1):1;mem(r1):256'];

type Command =
  | { op: 'addAgent'; agent: number; total: number }
  | { op: 'removeAgent'; agent: number }
  | { op: 'agentActive'; agent: number; active: boolean }
  | { op: 'addFramework'; fw: number; roles: number }
  | { op: 'removeFramework'; fw: number }
  | { op: 'frameworkActive'; fw: number; active: boolean }
  | { op: 'suppress'; fw: number }
  | { op: 'revive'; fw: number }
  | { op: 'weight'; role: number; weight: number }
  | { op: 'allocate' }
  | { op: 'recover'; pick: number; half: boolean; refuse: number }
  | { op: 'advance'; ms: number };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('addAgent' as const), agent: idx(4), total: idx(3) }),
  fc.record({ op: fc.constant('removeAgent' as const), agent: idx(4) }),
  fc.record({ op: fc.constant('agentActive' as const), agent: idx(4), active: fc.boolean() }),
  fc.record({ op: fc.constant('addFramework' as const), fw: idx(3), roles: idx(3) }),
  fc.record({ op: fc.constant('removeFramework' as const), fw: idx(3) }),
  fc.record({ op: fc.constant('frameworkActive' as const), fw: idx(3), active: fc.boolean() }),
  fc.record({ op: fc.constant('suppress' as const), fw: idx(3) }),
  fc.record({ op: fc.constant('revive' as const), fw: idx(3) }),
  fc.record({ op: fc.constant('weight' as const), role: idx(2), weight: fc.integer({ min: 1, max: 3 }) }),
  { arbitrary: fc.record({ op: fc.constant('allocate' as const) }), weight: 5 },
  {
    arbitrary: fc.record({
      op: fc.constant('recover' as const),
      pick: fc.nat(),
      half: fc.boolean(),
      refuse: fc.constantFrom(0, 0, 1, 5),
    }),
    weight: 5,
  },
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 6000 }) }),
);

/** Applies a command to an allocator; `cycle` runs the allocation commands. */
function apply(allocator: Allocator, c: Command, cycle: () => Allocation[], held: Allocation[]): Allocation[] {
  switch (c.op) {
    case 'addAgent':
      addAgent(allocator, AGENTS[c.agent] ?? '', TOTALS[c.total] ?? '');
      return [];
    case 'removeAgent':
      allocator.removeAgent(AGENTS[c.agent] ?? '');
      return [];
    case 'agentActive':
      allocator.setAgentActive(AGENTS[c.agent] ?? '', c.active);
      return [];
    case 'addFramework':
      allocator.addFramework({ frameworkId: FRAMEWORKS[c.fw] ?? '', roles: ROLE_SETS[c.roles] ?? [] });
      return [];
    case 'removeFramework':
      allocator.removeFramework(FRAMEWORKS[c.fw] ?? '');
      return [];
    case 'frameworkActive':
      allocator.setFrameworkActive(FRAMEWORKS[c.fw] ?? '', c.active);
      return [];
    case 'suppress':
      allocator.suppress(FRAMEWORKS[c.fw] ?? '');
      return [];
    case 'revive':
      allocator.revive(FRAMEWORKS[c.fw] ?? '');
      return [];
    case 'weight':
      allocator.setRoleWeight(['r1', '*'][c.role] ?? '*', c.weight);
      return [];
    case 'allocate':
      return cycle();
    case 'recover': {
      const a = held[c.pick % Math.max(1, held.length)];
      if (!a) return [];
      const part = c.half ? r(`cpus:${a.resources.scalar('cpus') / 2}`) : a.resources;
      allocator.recoverResources(a.frameworkId, a.agentId, part, c.refuse, a.role);
      return [];
    }
    case 'advance':
      return [];
  }
}

describe('Allocator: cycles over the changed agents', () => {
  it('makes the same offers as a full cycle after any sequence of changes', function () {
    this.timeout(30_000);
    fc.assert(
      fc.property(fc.array(command, { minLength: 5, maxLength: 80 }), (commands) => {
        const full = newAllocator();
        const changed = newAllocator();
        const held: Allocation[] = [];
        const setup: Command[] = [
          ...AGENTS.map((_, i): Command => ({ op: 'addAgent', agent: i, total: i % 3 })),
          ...FRAMEWORKS.map((_, i): Command => ({ op: 'addFramework', fw: i, roles: i })),
        ];
        for (const c of [...setup, ...commands]) {
          if (c.op === 'advance') {
            full.clock.advance(c.ms);
            changed.clock.advance(c.ms);
          }
          const a = apply(full.allocator, c, () => full.allocator.allocate(), held);
          const b = apply(changed.allocator, c, () => changed.allocator.allocateChanged(), held);
          expect(show(b), `after ${JSON.stringify(c)}`).to.deep.equal(show(a));
          held.push(...a);
          // A recovered offer may be picked again: the allocator only takes back what is held.
        }
      }),
      { numRuns: 300 },
    );
  });

  it('asks for no cycle after a full one until something changes', () => {
    const { allocator } = newAllocator();
    addAgent(allocator, 'a1', 'cpus:4;mem:4096');
    allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
    expect(allocator.needsAllocation()).to.equal(true);
    const [offer] = allocator.allocate();
    expect(allocator.needsAllocation()).to.equal(false);
    expect(allocator.allocateChanged()).to.deep.equal([]);
    if (!offer) throw new Error('no offer');
    allocator.recoverResources('f1', 'a1', r('cpus:1;mem:1024'), 0);
    expect(allocator.needsAllocation()).to.equal(true);
    expect(show(allocator.allocateChanged())).to.deep.equal(['f1@a1/*=cpus:1;mem:1024']);
    expect(allocator.needsAllocation()).to.equal(false);
  });

  it('takes a REVIVE that lifts no suppression and no filter as no change', () => {
    const { allocator } = newAllocator();
    addAgent(allocator, 'a1', 'cpus:4;mem:4096');
    allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
    allocator.allocate();
    for (let i = 0; i < 1000; i++) allocator.revive('f1');
    expect(allocator.needsAllocation()).to.equal(false);
    allocator.suppress('f1');
    allocator.revive('f1');
    expect(allocator.needsAllocation(), 'a REVIVE that lifts a suppression').to.equal(true);
    allocator.allocate();
    allocator.recoverResources('f1', 'a1', r('cpus:4;mem:4096'), 5);
    allocator.allocateChanged(); // filtered: nothing offered
    expect(allocator.needsAllocation()).to.equal(false);
    allocator.revive('f1');
    expect(allocator.needsAllocation(), 'a REVIVE that clears a filter').to.equal(true);
  });

  it('visits every agent again once a framework is back (activated or added)', () => {
    const { allocator } = newAllocator();
    addAgent(allocator, 'a1', 'cpus:4;mem:4096');
    addAgent(allocator, 'a2', 'cpus:4;mem:4096');
    allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
    allocator.allocate();
    allocator.setFrameworkActive('f1', false);
    allocator.recoverResources('f1', 'a1', r('cpus:4;mem:4096'), 0);
    expect(allocator.allocateChanged(), 'no framework may take it').to.deep.equal([]);
    expect(allocator.needsAllocation()).to.equal(false);
    allocator.setFrameworkActive('f1', true);
    expect(allocator.needsAllocation()).to.equal(true);
    expect(show(allocator.allocateChanged())).to.deep.equal(['f1@a1/*=cpus:4;mem:4096']);
    allocator.recoverResources('f1', 'a2', r('cpus:4;mem:4096'), 3600);
    expect(allocator.allocateChanged(), 'filtered for f1').to.deep.equal([]);
    allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
    expect(show(allocator.allocateChanged())).to.deep.equal(['f2@a2/*=cpus:4;mem:4096']);
  });

  it('asks for a cycle once a filter has expired', () => {
    const { allocator, clock } = newAllocator();
    addAgent(allocator, 'a1', 'cpus:4;mem:4096');
    allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
    allocator.allocate();
    allocator.recoverResources('f1', 'a1', r('cpus:4;mem:4096'), 5);
    expect(allocator.allocateChanged()).to.deep.equal([]);
    expect(allocator.needsAllocation()).to.equal(false);
    clock.advance(4_999);
    expect(allocator.needsAllocation()).to.equal(false);
    clock.advance(1);
    expect(allocator.needsAllocation()).to.equal(true);
    expect(show(allocator.allocateChanged())).to.deep.equal(['f1@a1/*=cpus:4;mem:4096']);
  });
});
