import { expect } from 'chai';
import {
  dependencyGraph,
  dependencyLevels,
  findCycle,
  flattenGroup,
  groupOf,
  parseApp,
  parseGroup,
  renderApp,
  renderGroup,
  unknownDependencies,
} from '../../src/index.js';
import { errorsAt, invalid } from './expect-invalid.js';

describe('groups', () => {
  const body = {
    id: '/prod',
    apps: [{ id: 'db', cmd: 'db' }],
    groups: [
      {
        id: 'backend',
        dependencies: ['/prod/db'],
        apps: [
          { id: 'api', cmd: 'api' },
          { id: 'worker', cmd: 'w', dependencies: ['api'] },
        ],
      },
      { id: '/prod/frontend', dependencies: ['backend'], apps: [{ id: 'web', cmd: 'web' }] },
    ],
  };

  it('parses nested groups with ids relative to each group', () => {
    const group = parseGroup(body);
    expect(group.id).to.equal('/prod');
    expect(group.groups.map((g) => g.id)).to.deep.equal(['/prod/backend', '/prod/frontend']);
    expect(group.groups[0]?.apps.map((a) => a.id)).to.deep.equal(['/prod/backend/api', '/prod/backend/worker']);
    expect(group.groups[1]?.dependencies).to.deep.equal(['/prod/backend']);
  });

  it('flattens to apps carrying their groups dependencies', () => {
    const apps = flattenGroup(parseGroup(body));
    const deps = Object.fromEntries(apps.map((a) => [a.id, [...a.dependencies].sort()]));
    expect(deps).to.deep.equal({
      '/prod/db': [],
      '/prod/backend/api': ['/prod/db'],
      '/prod/backend/worker': ['/prod/backend/api', '/prod/db'],
      '/prod/frontend/web': ['/prod/backend'],
    });
    const levels = dependencyLevels(apps);
    expect(Object.fromEntries(levels)).to.deep.equal({
      '/prod/db': 0,
      '/prod/backend/api': 1,
      '/prod/backend/worker': 2,
      '/prod/frontend/web': 3,
    });
    expect(unknownDependencies(apps)).to.deep.equal([]);
  });

  it('names the cycle in a 422', () => {
    const details = invalid(() =>
      parseGroup({
        id: 'loop',
        apps: [
          { id: 'a', cmd: 'x', dependencies: ['b'] },
          { id: 'b', cmd: 'x', dependencies: ['c'] },
          { id: 'c', cmd: 'x', dependencies: ['a'] },
        ],
      }),
    );
    expect(errorsAt(details, '/')).to.deep.equal([
      'Dependency graph has cyclic dependencies: /loop/a -> /loop/b -> /loop/c -> /loop/a',
    ]);
  });

  it('expands group dependencies and finds a cycle through them', () => {
    const apps = [
      parseApp({ id: '/g/a', cmd: 'x', dependencies: ['/h'] }),
      parseApp({ id: '/h/b', cmd: 'x' }),
      parseApp({ id: '/h/c', cmd: 'x', dependencies: ['/g/a'] }),
    ];
    const graph = dependencyGraph(apps);
    expect(graph.get('/g/a')).to.deep.equal(['/h/b', '/h/c']);
    expect(findCycle(graph)).to.deep.equal(['/g/a', '/h/c', '/g/a']);
    const details = invalid(() =>
      parseGroup({
        id: '/',
        groups: [
          { id: 'g', dependencies: ['/h'], apps: [{ id: 'a', cmd: 'x' }] },
          { id: 'h', apps: [{ id: 'c', cmd: 'x', dependencies: ['/g/a'] }] },
        ],
      }),
    );
    expect(errorsAt(details, '/')[0]).to.match(/cyclic dependencies: \/g\/a -> \/h\/c -> \/g\/a/);
  });

  it('gives nested error paths and refuses apps outside their group', () => {
    const details = invalid(() =>
      parseGroup({
        id: 'g',
        apps: [
          { id: 'ok', cmd: 'x' },
          { id: '/elsewhere/app', cmd: 'x' },
        ],
        groups: [{ id: 'sub', apps: [{ id: 'bad', cmd: 'x', cpus: -1 }] }],
      }),
    );
    expect(errorsAt(details, '/apps(1)/id')[0]).to.match(/identifier \/elsewhere\/app is not child of \/g/);
    expect(errorsAt(details, '/groups(0)/apps(0)/cpus')).to.deep.equal(['got -1.0, expected 0.0 or more']);
  });

  it('refuses an id used twice', () => {
    const details = invalid(() =>
      parseGroup({
        id: 'g',
        apps: [
          { id: 'a', cmd: 'x' },
          { id: 'a', cmd: 'y' },
        ],
      }),
    );
    expect(errorsAt(details, '/apps(1)/id')[0]).to.match(/used more than once/);
  });

  it('builds the group tree of a set of apps and renders it as Marathon does', () => {
    const apps = flattenGroup(parseGroup(body));
    const tree = groupOf(apps);
    expect(tree.id).to.equal('/');
    expect(tree.groups.map((g) => g.id)).to.deep.equal(['/prod']);
    const json = renderGroup(tree, renderApp, '2026-01-01T00:00:00.000Z');
    const prod = (json.groups as Record<string, unknown>[])[0] ?? {};
    expect(prod.id).to.equal('/prod');
    expect((prod.apps as { id: string }[]).map((a) => a.id)).to.deep.equal(['/prod/db']);
    expect((prod.groups as { id: string }[]).map((g) => g.id)).to.deep.equal(['/prod/backend', '/prod/frontend']);
    expect(json).to.include({ version: '2026-01-01T00:00:00.000Z' });
  });
});
