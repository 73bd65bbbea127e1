import { expect } from 'chai';
import {
  admitDeployment,
  AppLockedError,
  planDeployment,
  renderDeployment,
  restartApp,
  revertPlan,
  type DeploymentPlan,
} from '../../src/index.js';
import { app } from './fixtures.js';

const opts = { id: 'dep-1', version: '2026-01-01T00:00:01.000Z' };

function shape(plan: DeploymentPlan): string[][] {
  return plan.steps.map((s) => s.actions.map((a) => `${a.action} ${a.app.id}`));
}

describe('planDeployment', () => {
  it('starts a new app with 0 instances, then scales it', () => {
    const web = app({ id: 'web', instances: 3 });
    const plan = planDeployment([], [web], opts);
    expect(shape(plan)).to.deep.equal([['StartApplication /web'], ['ScaleApplication /web']]);
    const scale = plan.steps[1]?.actions[0];
    expect(scale?.action === 'ScaleApplication' && scale.scaleTo).to.equal(3);
    expect(plan.affectedApps).to.deep.equal(['/web']);
  });

  it('scales on a scale-only change, restarts on a config change or a restart', () => {
    const v1 = app({ id: 'web', instances: 3 });
    const scaled = app({ id: 'web', instances: 5 }, 1000, v1);
    expect(shape(planDeployment([v1], [scaled], opts))).to.deep.equal([['ScaleApplication /web']]);
    const changed = app({ id: 'web', instances: 3, cmd: 'run --v2' }, 2000, v1);
    expect(shape(planDeployment([v1], [changed], opts))).to.deep.equal([['RestartApplication /web']]);
    expect(shape(planDeployment([v1], [restartApp(v1, 3000)], opts))).to.deep.equal([['RestartApplication /web']]);
    expect(planDeployment([v1], [v1], opts).steps).to.deep.equal([]);
  });

  it('stops removed apps first, dependents before their dependencies', () => {
    const db = app({ id: '/db' });
    const api = app({ id: '/api', dependencies: ['/db'] });
    const web = app({ id: '/web', dependencies: ['/api'] });
    const other = app({ id: '/other' });
    const plan = planDeployment([db, api, web, other], [other], opts);
    expect(shape(plan)).to.deep.equal([['StopApplication /web'], ['StopApplication /api'], ['StopApplication /db']]);
  });

  it('deploys dependencies in earlier steps than their dependents', () => {
    const db = app({ id: '/prod/db' });
    const cache = app({ id: '/prod/cache' });
    const api = app({ id: '/prod/api', dependencies: ['db', 'cache'] });
    const web = app({ id: '/prod/web', dependencies: ['api'] });
    const plan = planDeployment([], [web, api, cache, db], opts);
    expect(shape(plan)).to.deep.equal([
      [
        'StartApplication /prod/api',
        'StartApplication /prod/cache',
        'StartApplication /prod/db',
        'StartApplication /prod/web',
      ],
      ['ScaleApplication /prod/cache', 'ScaleApplication /prod/db'],
      ['ScaleApplication /prod/api'],
      ['ScaleApplication /prod/web'],
    ]);
  });

  it('orders by the longest dependency path, also through groups', () => {
    const a = app({ id: '/base/a' });
    const b = app({ id: '/base/b', dependencies: ['a'] });
    const c = app({ id: '/top/c', dependencies: ['/base'] });
    const d = app({ id: '/d' });
    const plan = planDeployment(
      [a, b, c, d],
      [a, b, c, d].map((x, i) => restartApp(x, 10 + i)),
      opts,
    );
    expect(shape(plan)).to.deep.equal([
      ['RestartApplication /base/a', 'RestartApplication /d'],
      ['RestartApplication /base/b'],
      ['RestartApplication /top/c'],
    ]);
  });

  it('carries tasks to kill into the scale action', () => {
    const v1 = app({ id: 'web', instances: 3 });
    const down = app({ id: 'web', instances: 2 }, 1000, v1);
    const plan = planDeployment([v1], [down], { ...opts, toKill: { '/web': ['t-2'] } });
    const action = plan.steps[0]?.actions[0];
    expect(action?.action === 'ScaleApplication' && action.sentenced).to.deep.equal(['t-2']);
  });

  it('reverts a cancelled deployment back to the original definitions', () => {
    const keep = app({ id: '/keep' });
    const v1 = app({ id: '/web', instances: 2 });
    const v2 = app({ id: '/web', instances: 2, cmd: 'new' }, 1000, v1);
    const gone = app({ id: '/gone' });
    const added = app({ id: '/added' });
    const plan = planDeployment([keep, v1, gone], [keep, v2, added], opts);
    const back = revertPlan(plan, { id: 'dep-2', version: 'v' });
    expect(shape(back)).to.deep.equal([
      ['StopApplication /added'],
      ['StartApplication /gone'],
      ['ScaleApplication /gone', 'RestartApplication /web'],
    ]);
    const restart = back.steps[2]?.actions[1];
    expect(restart?.app.cmd).to.equal('run');
  });

  it('renders as Marathon lists deployments', () => {
    const web = app({ id: 'web', instances: 3 });
    const json = renderDeployment(planDeployment([], [web], opts), 2);
    expect(json).to.deep.equal({
      id: 'dep-1',
      version: opts.version,
      affectedApps: ['/web'],
      affectedPods: [],
      steps: [
        { actions: [{ action: 'StartApplication', app: '/web' }] },
        { actions: [{ action: 'ScaleApplication', app: '/web' }] },
      ],
      currentActions: [{ action: 'ScaleApplication', app: '/web', readinessCheckResults: [] }],
      currentStep: 2,
      totalSteps: 2,
    });
  });

  it('locks affected apps: a conflicting deployment is refused unless forced', () => {
    const web = app({ id: '/web' });
    const db = app({ id: '/db' });
    const running = planDeployment([], [web], { id: 'running', version: 'a' });
    const other = planDeployment([], [db], { id: 'other', version: 'b' });
    const next = planDeployment([web], [app({ id: '/web', instances: 4 }, 5, web)], { id: 'next', version: 'c' });
    expect(
      admitDeployment([running, other], planDeployment([], [app({ id: '/x' })], { id: 'x', version: 'd' })).cancel,
    ).to.deep.equal([]);
    expect(() => admitDeployment([running, other], next))
      .to.throw(AppLockedError)
      .with.property('status', 409);
    try {
      admitDeployment([running], next);
    } catch (e) {
      expect((e as AppLockedError).body.deployments).to.deep.equal([{ id: 'running' }]);
      expect((e as AppLockedError).body.message).to.match(/force=true/);
    }
    expect(admitDeployment([running, other], next, { force: true }).cancel).to.deep.equal(['running']);
  });
});
