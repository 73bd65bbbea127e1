import { expect } from 'chai';
import { addAgent, summarise as show, newAllocator, r } from './helpers.js';

describe('Allocator', () => {
  describe('offers', () => {
    it('offers a whole agent to a framework once, until the resources come back', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192;ports:[31000-31009]');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      const first = allocator.allocate();
      expect(show(first)).to.deep.equal(['f1@a1/*=cpus:4;mem:8192;ports:[31000-31009]']);
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.recoverResources('f1', 'a1', r('cpus:4;mem:8192;ports:[31000-31009]'));
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:4;mem:8192;ports:[31000-31009]']);
    });

    it('keeps the accepted part allocated and re-offers only the recovered rest', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('cpus:3;mem:4096'));
      const state = allocator.agentResources('a1');
      expect(state?.allocated.toString()).to.equal('cpus:1;mem:4096');
      expect(state?.free.toString()).to.equal('cpus:3;mem:4096');
      expect(allocator.allocatedTo('f1').toString()).to.equal('cpus:1;mem:4096');
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:3;mem:4096']);
    });

    it('recovers only what the framework holds, never driving a balance negative', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:2;mem:1024');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
      allocator.allocate(); // f1 gets it all
      allocator.recoverResources('f2', 'a1', r('cpus:2;mem:1024')); // f2 holds nothing here
      allocator.recoverResources('f1', 'a1', r('cpus:5;mem:1024;gpus:1'));
      allocator.recoverResources('f1', 'nowhere', r('cpus:1'));
      const state = allocator.agentResources('a1');
      expect(state?.free.toString()).to.equal('cpus:2;mem:1024');
      expect(state?.allocated.isEmpty()).to.equal(true);
    });

    it('only offers agents with at least 0.01 cpus or 32 MB of memory free', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:256;ports:[31000-31009]');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('mem:31;ports:[31000-31009]'));
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.recoverResources('f1', 'a1', r('mem:1'));
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=mem:32;ports:[31000-31009]']);
    });

    it('allocates only the given agents when asked', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:256');
      addAgent(allocator, 'a2', 'cpus:1;mem:256');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      expect(show(allocator.allocate(['a2', 'unknown']))).to.deep.equal(['f1@a2/*=cpus:1;mem:256']);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:1;mem:256']);
    });
  });

  describe('filters', () => {
    it('does not re-offer a declined agent to that framework before refuse_seconds, and does after', () => {
      const { allocator, clock } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      const [offer] = allocator.allocate();
      expect(offer).to.not.equal(undefined);
      allocator.recoverResources('f1', 'a1', offer?.resources ?? r(''), 5);
      expect(allocator.filtersOf('f1')).to.have.length(1);
      clock.advance(4_999);
      expect(allocator.allocate()).to.deep.equal([]);
      clock.advance(1);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:4;mem:8192']);
      expect(allocator.filtersOf('f1')).to.have.length(0);
    });

    it('still offers the declined agent to other frameworks', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
      const [offer] = allocator.allocate();
      expect(offer?.frameworkId).to.equal('f1'); // tie at share 0: lower ID first
      allocator.recoverResources('f1', 'a1', r('cpus:4;mem:8192'), 60);
      expect(show(allocator.allocate())).to.deep.equal(['f2@a1/*=cpus:4;mem:8192']);
    });

    it('stops filtering once the free resources exceed what was refused', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('cpus:3;mem:4096'), 60); // a task keeps cpus:1;mem:4096
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.recoverResources('f1', 'a1', r('cpus:1;mem:4096')); // the task finished
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:4;mem:8192']);
    });

    it('treats refuse_seconds of 0 or none as no filter', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:128');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('cpus:1;mem:128'), 0);
      expect(allocator.allocate()).to.have.length(1);
      expect(allocator.defaultRefuseSeconds).to.equal(5);
    });

    it('applies a role-tagged filter to that role only', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:128');
      allocator.addFramework({ frameworkId: 'f1', roles: ['a', 'b'] });
      const [first] = allocator.allocate();
      expect(first?.role).to.equal('a');
      allocator.recoverResources('f1', 'a1', r('cpus:1;mem:128'), 60, 'a');
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/b=cpus:1;mem:128']);
    });
  });

  describe('suppress and revive', () => {
    it('gives a suppressed framework nothing, and revive clears its filters', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('cpus:4;mem:8192'), 3600);
      allocator.suppress('f1');
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.revive('f1');
      expect(allocator.filtersOf('f1')).to.deep.equal([]);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:4;mem:8192']);
    });

    it('lets other frameworks have what a suppressed one would have got', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'], suppressedRoles: ['*'] });
      allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
      expect(show(allocator.allocate())).to.deep.equal(['f2@a1/*=cpus:4;mem:8192']);
    });

    it('suppresses and revives per role', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:128');
      allocator.addFramework({ frameworkId: 'f1', roles: ['a', 'b'] });
      allocator.suppress('f1', ['a']);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/b=cpus:1;mem:128']);
      allocator.recoverResources('f1', 'a1', r('cpus:1;mem:128'));
      allocator.suppress('f1', ['b']);
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.revive('f1', ['a']);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/a=cpus:1;mem:128']);
    });
  });

  describe('roles and reservations', () => {
    it('offers reserved resources only to frameworks of their role', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus(ops):2;mem(ops):1024;cpus:2;mem:1024');
      allocator.addFramework({ frameworkId: 'dev-fw', roles: ['dev'] });
      allocator.addFramework({ frameworkId: 'ops-fw', roles: ['ops'] });
      // 'dev' sorts first at equal share: it gets the unreserved part, 'ops' its reservation.
      expect(show(allocator.allocate())).to.deep.equal([
        'dev-fw@a1/dev=cpus:2;mem:1024',
        'ops-fw@a1/ops=cpus(ops):2;mem(ops):1024',
      ]);
    });

    it('never offers reserved resources to another role, even when it is alone', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus(ops):2;mem(ops):1024');
      allocator.addFramework({ frameworkId: 'dev-fw', roles: ['dev'] });
      expect(allocator.allocate()).to.deep.equal([]);
      allocator.updateFrameworkRoles('dev-fw', ['dev', 'ops']);
      expect(show(allocator.allocate())).to.deep.equal(['dev-fw@a1/ops=cpus(ops):2;mem(ops):1024']);
    });

    it('offers a reserving role both its reservation and unreserved resources', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus(ops):2;cpus:1;mem:512');
      allocator.addFramework({ frameworkId: 'ops-fw', roles: ['ops'] });
      expect(show(allocator.allocate())).to.deep.equal(['ops-fw@a1/ops=cpus(ops):2;cpus:1;mem:512']);
    });

    it('stops offering in a role the framework left', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:1;mem:128');
      allocator.addFramework({ frameworkId: 'f1', roles: ['a'] });
      allocator.allocate();
      allocator.updateFrameworkRoles('f1', ['b']);
      expect(allocator.allocatedTo('f1').toString()).to.equal('cpus:1;mem:128'); // still accounted
      allocator.recoverResources('f1', 'a1', r('cpus:1;mem:128'));
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/b=cpus:1;mem:128']);
    });
  });

  describe('activity', () => {
    it('offers nothing on an inactive agent but keeps its allocation', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate();
      allocator.recoverResources('f1', 'a1', r('cpus:2;mem:4096'));
      allocator.setAgentActive('a1', false);
      expect(allocator.allocate()).to.deep.equal([]);
      expect(allocator.agentResources('a1')?.allocated.toString()).to.equal('cpus:2;mem:4096');
      allocator.setAgentActive('a1', true);
      expect(show(allocator.allocate())).to.deep.equal(['f1@a1/*=cpus:2;mem:4096']);
    });

    it('offers nothing to an inactive framework, which keeps its allocation', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      addAgent(allocator, 'a2', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
      allocator.setFrameworkActive('f1', false);
      expect(show(allocator.allocate(['a1']))).to.deep.equal(['f2@a1/*=cpus:4;mem:8192']);
      allocator.setFrameworkActive('f1', true);
      expect(show(allocator.allocate(['a2']))).to.deep.equal(['f1@a2/*=cpus:4;mem:8192']);
      allocator.setFrameworkActive('f1', false);
      expect(allocator.allocatedTo('f1').toString()).to.equal('cpus:4;mem:8192');
      expect(allocator.dominantShare('f1')).to.equal(0.5);
    });
  });

  describe('agents and frameworks coming and going', () => {
    it('accounts resources in use when an agent re-registers, also for frameworks not yet back', () => {
      const { allocator } = newAllocator();
      allocator.addAgent({ agentId: 'a1', hostname: 'h', total: r('cpus:4;mem:4096'), attributes: [] }, [
        { frameworkId: 'f1', role: '*', resources: r('cpus:1;mem:1024') },
        { frameworkId: 'ghost', role: '*', resources: r('cpus:9;mem:1024') }, // beyond the total: clamped
      ]);
      expect(allocator.agentResources('a1')?.free.equals(r('mem:2048'))).to.equal(true);
      expect(allocator.dominantShare('f1')).to.equal(0.25);
      expect(allocator.dominantShare('ghost')).to.equal(0.75);
      allocator.removeFramework('ghost');
      expect(allocator.agentResources('a1')?.free.equals(r('cpus:3;mem:3072'))).to.equal(true);
    });

    it('forgets a removed framework: its allocation returns to free and others get it', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.addFramework({ frameworkId: 'f2', roles: ['*'] });
      allocator.allocate();
      allocator.removeFramework('f1');
      expect(allocator.dominantShare('f1')).to.equal(0);
      expect(show(allocator.allocate())).to.deep.equal(['f2@a1/*=cpus:4;mem:8192']);
    });

    it('drops a removed agent from the totals, so shares grow', () => {
      const { allocator } = newAllocator();
      addAgent(allocator, 'a1', 'cpus:4;mem:8192');
      addAgent(allocator, 'a2', 'cpus:4;mem:8192');
      allocator.addFramework({ frameworkId: 'f1', roles: ['*'] });
      allocator.allocate(['a1']);
      expect(allocator.dominantShare('f1')).to.equal(0.5);
      allocator.removeAgent('a2');
      expect(allocator.dominantShare('f1')).to.equal(1);
      allocator.removeAgent('a1');
      expect(allocator.dominantShare('f1')).to.equal(0);
      expect(allocator.agentResources('a1')).to.equal(undefined);
      expect(allocator.allocatedTo('f1').isEmpty()).to.equal(true);
    });

    it('rejects nonsensical weights with a message saying what to fix', () => {
      const { allocator } = newAllocator();
      expect(() => allocator.setRoleWeight('a', 0)).to.throw(/weight of role 'a' must be a positive number/);
      expect(() => newAllocator({ roleWeights: { b: -1 } })).to.throw(/role 'b'/);
    });
  });
});
