import { expect } from 'chai';
import { findInfra, requireInfra, type InfraProbe } from './require-infra.js';

class Skipped extends Error {}
const ctx = {
  skip(): never {
    throw new Skipped('skipped');
  },
};

function probe(env: NodeJS.ProcessEnv, files: string[] = []): InfraProbe {
  return { env: { PATH: '/usr/bin:/bin', ...env }, exists: (p) => files.includes(p) };
}

describe('requireInfra', () => {
  it('returns where the infrastructure is when present', () => {
    expect(requireInfra(ctx, 'zookeeper', probe({}, ['/usr/share/zookeeper/bin/zkServer.sh']))).to.equal(
      '/usr/share/zookeeper/bin/zkServer.sh',
    );
    expect(requireInfra(ctx, 'chromium', probe({}, ['/usr/bin/chromium']))).to.equal('/usr/bin/chromium');
    expect(requireInfra(ctx, 'busybox', probe({}, ['/bin/busybox']))).to.equal('/bin/busybox');
    expect(requireInfra(ctx, 'zookeeper', probe({ MESOCOSM_ZK: '10.0.0.5:2181' }))).to.equal('10.0.0.5:2181');
  });

  it('skips the test when missing outside CI', () => {
    expect(() => requireInfra(ctx, 'zookeeper', probe({}))).to.throw(Skipped);
    expect(() => requireInfra(ctx, 'docker', probe({ CI: 'false' }))).to.throw(Skipped);
  });

  it('fails the test when missing in CI, saying how to get it', () => {
    expect(() => requireInfra(ctx, 'zookeeper', probe({ CI: 'true' }))).to.throw(
      /zookeeper is required in CI but was not found: install it with `apt-get install zookeeper`/,
    );
  });

  it('docker needs both the client and a daemon socket', () => {
    expect(findInfra('docker', probe({}, ['/usr/bin/docker']))).to.equal(undefined);
    expect(findInfra('docker', probe({}, ['/var/run/docker.sock']))).to.equal(undefined);
    expect(findInfra('docker', probe({}, ['/usr/bin/docker', '/var/run/docker.sock']))).to.equal(
      '/var/run/docker.sock',
    );
  });
});
