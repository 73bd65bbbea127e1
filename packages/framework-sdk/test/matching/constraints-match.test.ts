// matchOffers with per-request constraints: placements earlier in the same
// call count, groups keep apps apart, refusals become decline reasons.
import { expect } from 'chai';
import {
  ValueType,
  matchOffers,
  parseAttributes,
  parseConstraints,
  type IOffer,
  type TaskRequest,
} from '../../src/index.js';

function offer(id: string, hostname: string, attributes = '', resources = 'cpus:4;mem:4096'): IOffer {
  const r = resources.split(';').map((part) => {
    const [name, value] = part.split(':');
    return { name: name ?? '', type: ValueType.SCALAR, scalar: { value: Number(value) } };
  });
  return {
    id: { value: id },
    agentId: { value: `agent-${hostname}` },
    hostname,
    attributes: parseAttributes(attributes),
    resources: r,
  };
}

const unique = parseConstraints([['hostname', 'UNIQUE']]);

function task(taskId: string, extra: Partial<TaskRequest> = {}): TaskRequest {
  return { taskId, resources: 'cpus:0.1;mem:32', command: { value: 'true' }, ...extra };
}

describe('matchOffers with constraints', () => {
  it('counts the tasks placed earlier in the same call (UNIQUE with packing)', () => {
    const offers = [offer('o1', 'h1'), offer('o2', 'h2')];
    const m = matchOffers(offers, [
      task('a', { constraints: unique }),
      task('b', { constraints: unique }),
      task('c', { constraints: unique }),
    ]);
    expect(m.launches.map((l) => [l.offer.hostname, l.tasks.map((t) => t.taskId?.value)])).to.deep.equal([
      ['h1', ['a']],
      ['h2', ['b']],
    ]);
    expect(m.unmatched.map((u) => u.request.taskId)).to.deep.equal(['c']);
    expect(m.unmatched[0]?.rejections).to.deep.equal([
      { offerId: 'o1', reason: 'constraint hostname:UNIQUE' },
      { offerId: 'o2', reason: 'constraint hostname:UNIQUE' },
    ]);
    expect(m.unmatched[0]?.reasons[0]).to.equal(
      "offer o1 on h1: constraint hostname:UNIQUE (a task already runs where hostname is 'h1')",
    );
    expect(m.declineReasons).to.deep.equal([
      { reason: 'constraint hostname:UNIQUE', count: 1, detail: 'refused 2 offer(s)' },
    ]);
  });

  it('counts the tasks already running (placed)', () => {
    const m = matchOffers(
      [offer('o1', 'h1'), offer('o2', 'h2')],
      [task('a', { constraints: unique, placed: [{ hostname: 'h1' }] })],
    );
    expect(m.launches.map((l) => l.offer.hostname)).to.deep.equal(['h2']);
    expect(m.unused.map((o) => o.id?.value)).to.deep.equal(['o1']);
  });

  it('keeps groups apart: one app does not constrain another', () => {
    const m = matchOffers(
      [offer('o1', 'h1')],
      [task('web.1', { constraints: unique, group: '/web' }), task('db.1', { constraints: unique, group: '/db' })],
    );
    expect(m.launches[0]?.tasks.map((t) => t.taskId?.value)).to.deep.equal(['web.1', 'db.1']);
  });

  it('balances GROUP_BY over racks when spreading', () => {
    const offers = [offer('o1', 'h1', 'rack:r1'), offer('o2', 'h2', 'rack:r1'), offer('o3', 'h3', 'rack:r2')];
    const groupBy = parseConstraints([['rack', 'GROUP_BY', '2']]);
    const m = matchOffers(
      offers,
      ['a', 'b', 'c', 'd'].map((id) => task(id, { constraints: groupBy })),
      { strategy: 'spread' },
    );
    const perRack = new Map<string, number>();
    for (const l of m.launches) {
      const rack = l.offer.attributes?.[0]?.text?.value ?? '';
      perRack.set(rack, (perRack.get(rack) ?? 0) + l.tasks.length);
    }
    expect(Object.fromEntries(perRack)).to.deep.equal({ r1: 2, r2: 2 });
  });

  it('checks constraints before resources: a refusal, not a shortfall', () => {
    const m = matchOffers(
      [offer('o1', 'db-1', '', 'cpus:0.01;mem:8')],
      [task('a', { constraints: parseConstraints([['hostname', 'LIKE', 'web.*']]) })],
    );
    expect(m.unmatched[0]?.rejections).to.deep.equal([{ offerId: 'o1', reason: 'constraint hostname:LIKE:web.*' }]);
  });
});
