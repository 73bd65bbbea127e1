// Tests that need outside infrastructure (ZooKeeper, Docker, Chromium, a
// static busybox) call requireInfra first: on a developer machine without it
// the test is skipped; in CI (CI=true) a missing piece fails the test, so that
// CI never goes green by skipping.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Infrastructure a test may need. */
export type Infra = 'zookeeper' | 'docker' | 'chromium' | 'busybox';

/** Where to look; injectable for tests of this helper. */
export interface InfraProbe {
  env: NodeJS.ProcessEnv;
  /** True when `path` exists (and, for binaries, is executable). */
  exists(path: string): boolean;
}

const realProbe: InfraProbe = {
  env: process.env,
  exists(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return existsSync(path);
    }
  },
};

function onPath(probe: InfraProbe, names: readonly string[]): string | undefined {
  const dirs = (probe.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of names) for (const dir of dirs) if (probe.exists(join(dir, name))) return join(dir, name);
  return undefined;
}

/** What is needed and how to get it, when it is missing. */
const HINTS: Record<Infra, string> = {
  zookeeper: 'install it with `apt-get install zookeeper` (scripts/setup.sh does) or set MESOCOSM_ZK=host:port',
  docker: 'install docker.io and make /var/run/docker.sock reachable (or set DOCKER_HOST)',
  chromium: 'install chromium (scripts/setup.sh does) or set CHROME_PATH',
  busybox: 'install busybox-static (scripts/setup.sh does)',
};

/** Where `infra` was found (a path or address), or undefined when it is missing. */
export function findInfra(infra: Infra, probe: InfraProbe = realProbe): string | undefined {
  switch (infra) {
    case 'zookeeper':
      return (
        probe.env['MESOCOSM_ZK'] ||
        ['/usr/share/zookeeper/bin/zkServer.sh', '/opt/zookeeper/bin/zkServer.sh'].find((p) => probe.exists(p)) ||
        onPath(probe, ['zkServer.sh', 'zkServer'])
      );
    case 'docker': {
      const socket = probe.env['DOCKER_HOST'] || (probe.exists('/var/run/docker.sock') ? '/var/run/docker.sock' : '');
      return socket && onPath(probe, ['docker']) ? socket : undefined;
    }
    case 'chromium':
      return probe.env['CHROME_PATH'] || onPath(probe, ['chromium', 'chromium-browser', 'google-chrome']);
    case 'busybox':
      return onPath(probe, ['busybox']) ?? (probe.exists('/bin/busybox') ? '/bin/busybox' : undefined);
  }
}

/**
 * Skips the calling test (or hook) when `infra` is missing, except in CI
 * (`CI=true`), where it throws so that the test fails.
 *
 * @example
 * ```ts
 * it('elects a leader', async function () {
 *   requireInfra(this, 'zookeeper');
 *   ...
 * });
 * ```
 * @returns where the infrastructure was found.
 */
export function requireInfra(ctx: Pick<Mocha.Context, 'skip'>, infra: Infra, probe: InfraProbe = realProbe): string {
  const found = findInfra(infra, probe);
  if (found) return found;
  if (probe.env['CI'] === 'true') {
    throw new Error(`${infra} is required in CI but was not found: ${HINTS[infra]}`);
  }
  return ctx.skip();
}
