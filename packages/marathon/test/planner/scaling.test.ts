import { expect } from 'chai';
import {
  killOrder,
  scaleDecision,
  stopDecision,
  stepProgress,
  planDeployment,
  type InstanceView,
} from '../../src/index.js';
import { app, running } from './fixtures.js';

describe('scaleDecision', () => {
  it('launches the missing instances', () => {
    const web = app({ id: 'web', instances: 5 });
    expect(scaleDecision(web, running(web, 2))).to.deep.include({ kill: [], start: 3, done: false });
  });

  it('kills the youngest first by default, the oldest with OLDEST_FIRST', () => {
    const young = app({ id: 'web', instances: 2 });
    expect(scaleDecision(young, running(young, 4)).kill).to.deep.equal(['old-3', 'old-2']);
    const old = app({ id: 'web', instances: 2, killSelection: 'OLDEST_FIRST' });
    expect(scaleDecision(old, running(old, 4)).kill).to.deep.equal(['old-0', 'old-1']);
  });

  it('kills sentenced, staging and unhealthy instances before healthy ones', () => {
    const web = app({ id: 'web', instances: 2, healthChecks: [{ protocol: 'TCP' }] });
    const list: InstanceView[] = running(web, 5).map((i) =>
      i.id === 'old-0' ? { ...i, healthy: false } : i.id === 'old-1' ? { ...i, phase: 'staging' } : i,
    );
    expect(killOrder(web, list).map((i) => i.id)).to.deep.equal(['old-1', 'old-0', 'old-4', 'old-3', 'old-2']);
    expect(scaleDecision(web, list, ['old-2']).kill).to.deep.equal(['old-2', 'old-1', 'old-0']);
  });

  it('replaces lost instances and waits for health before it is done', () => {
    const web = app({ id: 'web', instances: 3, healthChecks: [{ protocol: 'TCP' }] });
    const list = running(web, 3);
    expect(scaleDecision(web, list.slice(1))).to.deep.include({ start: 1, done: false });
    const unknown = list.map((i) => (i.id === 'old-2' ? { ...i, healthy: undefined } : i));
    const d = scaleDecision(web, unknown);
    expect(d).to.deep.include({ kill: [], start: 0, done: false });
    expect(d.waiting).to.match(/1 instance\(s\) to become healthy/);
    expect(scaleDecision(web, list).done).to.equal(true);
  });

  it('stops every instance and is done when none is left', () => {
    const web = app({ id: 'web', instances: 2 });
    expect(stopDecision(running(web, 2))).to.deep.include({ kill: ['old-0', 'old-1'], done: false });
    expect(stopDecision([])).to.deep.include({ kill: [], done: true });
  });

  it('decides a whole step and reports it finished only when every action is', () => {
    const db = app({ id: '/db', instances: 1 });
    const api = app({ id: '/api', instances: 2 });
    const plan = planDeployment([], [db, api], { id: 'd', version: 'v' });
    const scaleStep = plan.steps[1];
    if (scaleStep === undefined) throw new Error('no scale step');
    const instances: Record<string, InstanceView[]> = { '/db': running(db, 1), '/api': running(api, 1) };
    const progress = stepProgress(scaleStep, (id) => instances[id] ?? []);
    expect(progress.done).to.equal(false);
    expect(progress.decisions.get('/api')).to.deep.include({ start: 1 });
    expect(progress.decisions.get('/db')).to.deep.include({ done: true });
    instances['/api'] = running(api, 2);
    expect(stepProgress(scaleStep, (id) => instances[id] ?? []).done).to.equal(true);
  });
});
