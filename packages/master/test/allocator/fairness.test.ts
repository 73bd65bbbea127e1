// DRF at work: frameworks that repeatedly take what they need from offers and
// return the rest converge to the fair division of the DRF paper.
import { expect } from 'chai';
import type { Allocator } from '../../src/allocator/index.js';
import { acceptTasks, addAgent, newAllocator, r } from './helpers.js';
import type { Resources } from '@mesocosm/protocol';

/** Runs cycles until one launches nothing. */
function runToQuiescence(allocator: Allocator, shapes: Record<string, Resources>, perOffer = 1): void {
  for (let cycle = 0; cycle < 1000; cycle++) {
    if (acceptTasks(allocator, allocator.allocate(), shapes, perOffer) === 0) return;
  }
  throw new Error('no quiescence after 1000 cycles');
}

describe('DRF fairness', () => {
  it('gives the DRF paper example its equal dominant shares (A: 3 tasks, B: 2)', () => {
    const { allocator } = newAllocator();
    addAgent(allocator, 'a1', 'cpus:9;mem:18432');
    allocator.addFramework({ frameworkId: 'A', roles: ['*'] });
    allocator.addFramework({ frameworkId: 'B', roles: ['*'] });
    runToQuiescence(allocator, { A: r('cpus:1;mem:4096'), B: r('cpus:3;mem:1024') });
    expect(allocator.allocatedTo('A').equals(r('cpus:3;mem:12288'))).to.equal(true);
    expect(allocator.allocatedTo('B').equals(r('cpus:6;mem:2048'))).to.equal(true);
    expect(allocator.dominantShare('A')).to.be.closeTo(2 / 3, 1e-9);
    expect(allocator.dominantShare('B')).to.be.closeTo(2 / 3, 1e-9);
  });

  it('keeps dominant shares within one task while both can grow, on a larger cluster', () => {
    const { allocator, clock } = newAllocator();
    const agents = Array.from({ length: 20 }, (_, i) => `a${i}`);
    for (const id of agents) addAgent(allocator, id, 'cpus:9;mem:18432');
    allocator.addFramework({ frameworkId: 'A', roles: ['*'] });
    allocator.addFramework({ frameworkId: 'B', roles: ['*'] });
    const shapes = { A: r('cpus:1;mem:4096'), B: r('cpus:3;mem:1024') };
    const fitsSomewhere = (shape: Resources) => agents.some((id) => allocator.agentResources(id)?.free.contains(shape));
    // One A task is 4096/368640 of the memory, one B task 3/180 of the cpus.
    const oneTask = 3 / 180 + 1e-9;
    let checked = 0;
    let idle = 0;
    // Event-driven allocation, one agent at a time (as when resources come back on an agent):
    // each offer goes to the framework with the lower share, which runs one task and returns
    // the rest, or declines for 5 s an offer it cannot use.
    for (let step = 0; step < 10_000 && idle < 2 * agents.length; step++) {
      const agentId = agents[step % agents.length] ?? '';
      const launched = acceptTasks(allocator, allocator.allocate([agentId]), shapes, 1, 5);
      clock.advance(100);
      idle = launched === 0 ? idle + 1 : 0;
      if (launched > 0 && fitsSomewhere(shapes.A) && fitsSomewhere(shapes.B)) {
        expect(Math.abs(allocator.dominantShare('A') - allocator.dominantShare('B'))).to.be.at.most(oneTask);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(50);
    // At the end, whoever has the smaller share is blocked: nothing left fits its tasks.
    const [low] = ['A', 'B'].sort((x, y) => allocator.dominantShare(x) - allocator.dominantShare(y));
    expect(fitsSomewhere(low === 'A' ? shapes.A : shapes.B)).to.equal(false);
    expect(Math.min(allocator.dominantShare('A'), allocator.dominantShare('B'))).to.be.greaterThan(0.5);
  });

  it('equalises offers, not tasks, within one batch cycle (Mesos whole-agent offers)', () => {
    const { allocator } = newAllocator();
    for (let i = 0; i < 20; i++) addAgent(allocator, `a${i}`, 'cpus:9;mem:18432');
    allocator.addFramework({ frameworkId: 'A', roles: ['*'] });
    allocator.addFramework({ frameworkId: 'B', roles: ['*'] });
    const offers = allocator.allocate();
    expect(offers.filter((o) => o.frameworkId === 'A')).to.have.length(10);
    expect(offers.filter((o) => o.frameworkId === 'B')).to.have.length(10);
    expect(allocator.dominantShare('A')).to.equal(0.5);
    expect(allocator.dominantShare('B')).to.equal(0.5);
  });

  it('gives a role of weight 2 about twice the share of a role of weight 1', () => {
    const { allocator } = newAllocator({ roleWeights: { gold: 2 } });
    for (let i = 0; i < 12; i++) addAgent(allocator, `a${i}`, 'cpus:4;mem:65536');
    allocator.addFramework({ frameworkId: 'g', roles: ['gold'] });
    allocator.addFramework({ frameworkId: 's', roles: ['silver'] });
    runToQuiescence(allocator, { g: r('cpus:1;mem:1024'), s: r('cpus:1;mem:1024') });
    expect(allocator.allocatedTo('g').scalar('cpus')).to.equal(32);
    expect(allocator.allocatedTo('s').scalar('cpus')).to.equal(16);
    expect(allocator.roleShare('gold')).to.be.closeTo(allocator.roleShare('silver'), 1e-9);
  });

  it('orders frameworks within a role and roles among themselves', () => {
    const { allocator } = newAllocator();
    for (let i = 0; i < 8; i++) addAgent(allocator, `a${i}`, 'cpus:1;mem:1024');
    // Role x has two frameworks, role y one: the roles split the cluster, x's frameworks split x's half.
    allocator.addFramework({ frameworkId: 'x1', roles: ['x'] });
    allocator.addFramework({ frameworkId: 'x2', roles: ['x'] });
    allocator.addFramework({ frameworkId: 'y1', roles: ['y'] });
    allocator.allocate();
    expect(allocator.allocatedTo('y1').scalar('cpus')).to.equal(4);
    expect(allocator.allocatedTo('x1').scalar('cpus')).to.equal(2);
    expect(allocator.allocatedTo('x2').scalar('cpus')).to.equal(2);
  });
});
