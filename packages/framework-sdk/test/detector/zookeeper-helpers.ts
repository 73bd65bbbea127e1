// Real ZooKeeper for this package's tests. The servers come from
// @mesocosm/testing, loaded at run time (it depends on this package, so it
// cannot be a build-time reference); the rule is the repository's: skip
// when ZooKeeper is missing, fail when CI=true.
import { existsSync } from 'node:fs';
import type { ZkClient } from '@mesocosm/protocol/zk';

/** The parts of @mesocosm/testing these tests use. */
export interface ZooKeeperTesting {
  sharedZooKeeper(): Promise<{ connectString: string }>;
  startZooKeeper(): Promise<{ connectString: string; pause(): void; resume(): void; stop(): Promise<void> }>;
  expireZooKeeperSession(client: ZkClient): Promise<void>;
}

/** Skips the test when ZooKeeper is missing (fails instead under CI=true). */
export function requireZooKeeper(ctx: Mocha.Context): void {
  const found =
    process.env['MESOCOSM_ZK'] ||
    ['/usr/share/zookeeper/bin/zkServer.sh', '/opt/zookeeper/bin/zkServer.sh'].some((p) => existsSync(p));
  if (found) return;
  if (process.env['CI'] === 'true') {
    throw new Error('zookeeper is required in CI but was not found: install it with `apt-get install zookeeper`');
  }
  ctx.skip();
}

/** @mesocosm/testing's ZooKeeper helpers. */
export async function zooKeeperTesting(): Promise<ZooKeeperTesting> {
  const name = '@mesocosm/testing';
  return (await import(name)) as ZooKeeperTesting;
}
