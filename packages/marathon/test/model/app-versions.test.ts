import { expect } from 'chai';
import { classifyChange, parseApp, patchApp, restartApp, stampVersion, nextVersion } from '../../src/index.js';
import { errorsAt, invalid } from './expect-invalid.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('app versions', () => {
  const base = parseApp({ id: 'web', cmd: 'serve', instances: 2 });

  it('stamps a new app with one version for both timestamps', () => {
    const v1 = stampVersion(undefined, base, T0);
    expect(v1.version).to.equal('2026-01-01T12:00:00.000Z');
    expect(v1.versionInfo).to.deep.equal({ lastScalingAt: v1.version, lastConfigChangeAt: v1.version });
  });

  it('tells a scale-only change from a config change', () => {
    const v1 = stampVersion(undefined, base, T0);
    const scaled = stampVersion(v1, { ...v1, instances: 5 }, T0 + 1000);
    expect(classifyChange(v1, scaled)).to.equal('scale');
    expect(scaled.versionInfo).to.deep.equal({ lastScalingAt: scaled.version, lastConfigChangeAt: v1.version });

    const changed = stampVersion(scaled, { ...scaled, cmd: 'serve --fast' }, T0 + 2000);
    expect(classifyChange(scaled, changed)).to.equal('config');
    expect(changed.versionInfo).to.deep.equal({ lastScalingAt: changed.version, lastConfigChangeAt: changed.version });

    const same = stampVersion(changed, { ...changed }, T0 + 3000);
    expect(classifyChange(changed, same)).to.equal('none');
    expect(same.versionInfo).to.deep.equal(changed.versionInfo);
    expect(same.version).to.not.equal(changed.version);
  });

  it('counts env, labels and health checks as config, instances not', () => {
    expect(classifyChange(base, { ...base, env: { A: '1' } })).to.equal('config');
    expect(classifyChange(base, { ...base, labels: { team: 'a' } })).to.equal('config');
    expect(classifyChange(base, parseApp({ id: 'web', cmd: 'serve', instances: 7 }))).to.equal('scale');
  });

  it('keeps versions strictly increasing within one millisecond', () => {
    expect(nextVersion(T0, '2026-01-01T12:00:00.000Z')).to.equal('2026-01-01T12:00:00.001Z');
    expect(nextVersion(T0 + 5, '2026-01-01T12:00:00.000Z')).to.equal('2026-01-01T12:00:00.005Z');
  });

  it('restart moves lastConfigChangeAt without changing the definition', () => {
    const v1 = stampVersion(undefined, base, T0);
    const restarted = restartApp(v1, T0 + 10);
    expect(classifyChange(v1, restarted)).to.equal('none');
    expect(restarted.versionInfo?.lastConfigChangeAt).to.equal('2026-01-01T12:00:00.010Z');
  });

  it('keeps versions only when asked (storage), never from a client body', () => {
    const v1 = stampVersion(undefined, base, T0);
    const json = { id: 'web', cmd: 'x', version: v1.version, versionInfo: v1.versionInfo };
    expect(parseApp(json)).to.not.have.property('version');
    expect(parseApp(json, { keepVersion: true }).versionInfo).to.deep.equal(v1.versionInfo);
  });

  describe('patchApp', () => {
    const app = parseApp({
      id: 'web',
      cmd: 'serve',
      instances: 2,
      env: { A: '1' },
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    });

    it('replaces the given top-level fields and keeps the rest', () => {
      const patched = patchApp(app, { instances: 4, env: { B: '2' } });
      expect(patched.instances).to.equal(4);
      expect(patched.env).to.deep.equal({ B: '2' });
      expect(patched.cmd).to.equal('serve');
      expect(patched.upgradeStrategy).to.deep.equal({ minimumHealthCapacity: 0.5, maximumOverCapacity: 0 });
    });

    it('resets a field given as null to its default', () => {
      expect(patchApp(app, { upgradeStrategy: null }).upgradeStrategy).to.deep.equal({
        minimumHealthCapacity: 1,
        maximumOverCapacity: 1,
      });
    });

    it('swaps cmd for args', () => {
      const patched = patchApp(app, { args: ['serve', '--port', '80'] });
      expect(patched.cmd).to.equal(undefined);
      expect(patched.args).to.deep.equal(['serve', '--port', '80']);
    });

    it('switches to legacy Docker bridge networking', () => {
      const patched = patchApp(app, {
        portDefinitions: [],
        container: {
          type: 'DOCKER',
          docker: { image: 'nginx', network: 'BRIDGE', portMappings: [{ containerPort: 80 }] },
        },
      });
      expect(patched.network).to.equal('BRIDGE');
      expect(patched.container?.portMappings[0]?.hostPort).to.equal(0);
    });

    it('validates the merged app and refuses an id change', () => {
      expect(
        errorsAt(
          invalid(() => patchApp(app, { cpus: -1 })),
          '/cpus',
        ),
      ).to.have.length.above(0);
      expect(
        errorsAt(
          invalid(() => patchApp(app, { id: '/other' })),
          '/id',
        )[0],
      ).to.match(/cannot change the id/);
      expect(patchApp(app, { id: '/web', mem: 64 }).mem).to.equal(64);
    });
  });
});
