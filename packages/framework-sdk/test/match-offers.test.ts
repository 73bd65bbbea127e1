// Offer matching: packing, spreading, ports, reasons, reserved roles.
import { expect } from 'chai';
import {
  Resources,
  assignPorts,
  matchOffers,
  pickResources,
  taskInfoFor,
  type IOffer,
  type ITaskInfo,
  type TaskRequest,
} from '../src/index.js';

function offer(id: string, resources: string, hostname = `host-${id}`): IOffer {
  return {
    id: { value: id },
    agentId: { value: `agent-${id}` },
    frameworkId: { value: 'fw' },
    hostname,
    resources: Resources.parse(resources).toProto(),
  };
}

function req(taskId: string, resources: string, extra: Partial<TaskRequest> = {}): TaskRequest {
  return { taskId, resources, command: { value: 'sleep 10' }, ...extra };
}

const taskIds = (tasks: ITaskInfo[]): string[] => tasks.map((t) => t.taskId?.value ?? '');
const resourcesOf = (t: ITaskInfo | undefined): string => Resources.fromProto(t?.resources).toString();

describe('matchOffers', () => {
  it('packs several tasks into one offer while they fit (first fit, offers in order)', () => {
    const offers = [offer('o1', 'cpus:2;mem:1024'), offer('o2', 'cpus:2;mem:1024')];
    const m = matchOffers(offers, [req('a', 'cpus:1;mem:256'), req('b', 'cpus:1;mem:256'), req('c', 'cpus:1;mem:256')]);
    expect(m.launches.map((l) => [l.offer.id?.value, taskIds(l.tasks)])).to.deep.equal([
      ['o1', ['a', 'b']],
      ['o2', ['c']],
    ]);
    expect(m.unused).to.deep.equal([]);
    expect(m.unmatched).to.deep.equal([]);
    const a = m.launches[0]?.tasks[0];
    expect(a?.agentId?.value).to.equal('agent-o1');
    expect(a?.name).to.equal('a');
    expect(a?.command?.value).to.equal('sleep 10');
    expect(resourcesOf(a)).to.equal('cpus:1;mem:256');
  });

  it('spreads tasks over offers with the spread strategy', () => {
    const offers = [offer('o1', 'cpus:4;mem:1024'), offer('o2', 'cpus:4;mem:1024'), offer('o3', 'cpus:0.5;mem:64')];
    const requests = ['a', 'b', 'c', 'd'].map((id) => req(id, 'cpus:1;mem:128'));
    const m = matchOffers(offers, requests, { strategy: 'spread' });
    expect(m.launches.map((l) => [l.offer.id?.value, taskIds(l.tasks)])).to.deep.equal([
      ['o1', ['a', 'c']],
      ['o2', ['b', 'd']],
    ]);
    expect(m.unused.map((o) => o.id?.value)).to.deep.equal(['o3']);
    const packed = matchOffers(offers, requests);
    expect(packed.launches.map((l) => [l.offer.id?.value, taskIds(l.tasks)])).to.deep.equal([
      ['o1', ['a', 'b', 'c', 'd']],
    ]);
  });

  it('assigns host ports from the offer ranges and sets PORT0.. in the command environment', () => {
    const offers = [offer('o1', 'cpus:4;mem:1024;ports:[31000-31001,31005-31010]')];
    const m = matchOffers(offers, [
      req('a', 'cpus:1;mem:64', { ports: 3 }),
      req('b', 'cpus:1;mem:64', {
        ports: 2,
        command: { value: 'x', environment: { variables: [{ name: 'PORT0', value: 'mine' }] } },
      }),
    ]);
    const [a, b] = m.launches[0]?.tasks ?? [];
    expect(Resources.fromProto(a?.resources).ranges('ports')).to.deep.equal([
      [31000, 31001],
      [31005, 31005],
    ]);
    expect(Resources.fromProto(b?.resources).ranges('ports')).to.deep.equal([[31006, 31007]]);
    const env = (t: ITaskInfo | undefined): Record<string, string> =>
      Object.fromEntries((t?.command?.environment?.variables ?? []).map((v) => [v.name ?? '', v.value ?? '']));
    expect(env(a)).to.deep.equal({ PORT0: '31000', PORT1: '31001', PORT2: '31005', PORTS: '31000,31001,31005' });
    expect(env(b)).to.deep.equal({ PORT0: 'mine', PORT1: '31007', PORTS: '31006,31007' });
  });

  it('reports why nothing fits, per offer tried, and aggregates decline reasons', () => {
    const offers = [offer('o1', 'cpus:1;mem:512;ports:[31000-31000]', 'h1'), offer('o2', 'cpus:0.5;mem:2048', 'h2')];
    const m = matchOffers(offers, [req('big', 'cpus:2;mem:1024'), req('porty', 'cpus:0.1;mem:8', { ports: 2 })]);
    expect(m.launches).to.deep.equal([]);
    expect(m.unused.map((o) => o.id?.value)).to.deep.equal(['o1', 'o2']);
    expect(m.unmatched.map((u) => [u.request.taskId, u.reasons])).to.deep.equal([
      [
        'big',
        [
          'offer o1 on h1: insufficient cpus: need 2, offer has 1',
          'offer o1 on h1: insufficient mem: need 1024, offer has 512',
          'offer o2 on h2: insufficient cpus: need 2, offer has 0.5',
        ],
      ],
      [
        'porty',
        [
          'offer o1 on h1: insufficient ports: need 2, offer has 1',
          'offer o2 on h2: insufficient ports: need 2, offer has 0',
        ],
      ],
    ]);
    expect(m.declineReasons).to.deep.equal([
      { reason: 'insufficient cpus', count: 1, detail: 'need up to 2, offers have at most 1' },
      { reason: 'insufficient mem', count: 1, detail: 'need up to 1024, offers have at most 512' },
      { reason: 'insufficient ports', count: 1, detail: 'need up to 2, offers have at most 1' },
    ]);
  });

  it('counts in decline reasons only the tasks left pending', () => {
    const offers = [offer('small', 'cpus:0.5;mem:64'), offer('big', 'cpus:4;mem:1024'), offer('spare', 'cpus:1')];
    const m = matchOffers(offers, [req('a', 'cpus:1;mem:64')]);
    expect(m.launches.map((l) => l.offer.id?.value)).to.deep.equal(['big']);
    expect(m.unused.map((o) => o.id?.value)).to.deep.equal(['small', 'spare']);
    expect(m.declineReasons).to.deep.equal([]);
  });

  it('records the reason an accept predicate gives, and skips that offer', () => {
    const offers = [offer('o1', 'cpus:4;mem:1024', 'db-1'), offer('o2', 'cpus:4;mem:1024', 'web-1')];
    const notOnDb = (o: IOffer): string | undefined =>
      o.hostname?.startsWith('db') ? 'hostname LIKE web.*' : undefined;
    const m = matchOffers(offers, [req('a', 'cpus:1;mem:64', { accept: notOnDb })]);
    expect(m.launches.map((l) => l.offer.id?.value)).to.deep.equal(['o2']);
    const never = matchOffers(offers, [req('b', 'cpus:1;mem:64', { accept: () => 'constraint hostname:UNIQUE' })]);
    expect(never.unmatched[0]?.reasons).to.deep.equal([
      'offer o1 on db-1: constraint hostname:UNIQUE',
      'offer o2 on web-1: constraint hostname:UNIQUE',
    ]);
    expect(never.declineReasons).to.deep.equal([
      { reason: 'constraint hostname:UNIQUE', count: 1, detail: 'refused 2 offer(s)' },
    ]);
  });

  it('takes resources from the offer’s own entries, reserved roles first, keeping their roles', () => {
    const offers = [offer('o1', 'cpus(web):1;cpus:2;mem(web):128;mem:1024;ports(web):[8080-8080];ports:[31000-31005]')];
    const m = matchOffers(offers, [req('a', 'cpus:1.5;mem:256', { ports: 2 }), req('b', 'cpus(web):0.5;mem:64')]);
    const [a] = m.launches[0]?.tasks ?? [];
    expect(resourcesOf(a)).to.equal('cpus(web):1;cpus:0.5;mem(web):128;mem:128;ports(web):[8080];ports:[31000]');
    // b is pinned to role web, whose cpus a used up.
    expect(m.unmatched[0]?.reasons).to.deep.equal(['offer o1 on host-o1: insufficient cpus: need 0.5, offer has 0']);
    const offered = Resources.fromProto(offers[0]?.resources);
    expect(offered.contains(Resources.fromProto(a?.resources))).to.equal(true);
  });

  it('is exact with fractional cpus: ten tasks of 0.1 fill an offer of 1', () => {
    const requests = Array.from({ length: 11 }, (_, i) => req(`t${i}`, 'cpus:0.1;mem:1'));
    const m = matchOffers([offer('o1', 'cpus:1;mem:100')], requests);
    expect(m.launches[0]?.tasks).to.have.length(10);
    expect(m.unmatched.map((u) => u.request.taskId)).to.deep.equal(['t10']);
    expect(m.unmatched[0]?.reasons).to.deep.equal(['offer o1 on host-o1: insufficient cpus: need 0.1, offer has 0']);
  });

  it('accepts Resources as well as text, says when there are no offers, and names a malformed request', () => {
    const m = matchOffers([], [{ taskId: 'a', resources: Resources.scalar('cpus', 1) }]);
    expect(m.unmatched[0]?.reasons).to.deep.equal(['no offers to try']);
    expect(m.declineReasons).to.deep.equal([]);
    expect(() => matchOffers([offer('o1', 'cpus:1')], [req('bad', 'cpus:lots')])).to.throw(/task bad\.resources/);
  });
});

describe('assignPorts', () => {
  it('picks the lowest ports across ranges and returns them as resources', () => {
    const a = assignPorts(Resources.parse('ports:[31000-31001,31005-31009]'), 3);
    expect(a?.ports).to.deep.equal([31000, 31001, 31005]);
    expect(a?.resources.toString()).to.equal('ports:[31000-31001,31005]');
    expect(assignPorts(Resources.parse('ports:[31000-31001]'), 3)).to.equal(undefined);
    expect(assignPorts(Resources.parse('cpus:1'), 0)?.ports).to.deep.equal([]);
  });

  it('uses reserved ports first and keeps their role; accepts wire resources', () => {
    const wire = Resources.parse('ports:[31000-31001];ports(web):[80-80]').toProto();
    const a = assignPorts(wire, 2);
    expect(a?.ports).to.deep.equal([80, 31000]);
    expect(a?.resources.toString()).to.equal('ports(web):[80];ports:[31000]');
  });
});

describe('pickResources and taskInfoFor', () => {
  it('reports the shortfall of every missing resource', () => {
    const r = pickResources(Resources.parse('cpus:1;mem:10'), Resources.parse('cpus:2;mem:5;disk:1'));
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.shortfall.map((s) => [s.name, s.requested, s.available])).to.deep.equal([
      ['cpus', 2, 1],
      ['disk', 1, 0],
    ]);
  });

  it('picks explicit ranges and sets from the roles that hold them', () => {
    const pool = Resources.parse('ports(web):[80-80];ports:[81-90];zones:{a,b}');
    const r = pickResources(pool, Resources.parse('ports:[80-81];zones:{b}'));
    expect(r.ok && r.picked.toString()).to.equal('ports(web):[80];ports:[81];zones:{b}');
  });

  it('builds a TaskInfo with the agent of the offer and everything the request carries', () => {
    const picked = Resources.parse('cpus:0.5;mem:64');
    const t = taskInfoFor(
      {
        taskId: 't1',
        name: 'web',
        resources: picked,
        container: { docker: { image: 'nginx' } },
        labels: { labels: [{ key: 'k', value: 'v' }] },
        healthCheck: { intervalSeconds: 5 },
        killPolicy: { gracePeriodSeconds: 2 },
        data: Uint8Array.from([1]),
      },
      offer('o1', 'cpus:1'),
      picked,
    );
    expect(t.name).to.equal('web');
    expect(t.agentId?.value).to.equal('agent-o1');
    expect(t.container?.docker?.image).to.equal('nginx');
    expect(t.labels?.labels?.[0]?.key).to.equal('k');
    expect(t.healthCheck?.intervalSeconds).to.equal(5);
    expect(t.killPolicy?.gracePeriodSeconds).to.equal(2);
    expect(t.data).to.deep.equal(Uint8Array.from([1]));
    expect(t.command).to.equal(undefined);
  });
});
