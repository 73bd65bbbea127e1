// Real ZooKeeper for this package's tests. The servers come from
// @mesocosm/testing, loaded at run time (it depends on this package, so it
// cannot be a build-time reference); the rule is the repository's: skip
// when ZooKeeper is missing, fail when CI=true.
import { existsSync } from 'node:fs';
import type { ZkClient } from '@mesocosm/protocol/zk';

/** A standalone test server. */
export interface TestServer {
  connectString: string;
  port: number;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** The parts of @mesocosm/testing these tests use. */
export interface ZooKeeperTesting {
  sharedZooKeeper(): Promise<{ connectString: string; server: { port: number } | undefined }>;
  startZooKeeper(): Promise<TestServer>;
  startZooKeeperEnsemble(size: number): Promise<{
    connectString: string;
    stopQuorum(): Promise<void>;
    startAgain(): Promise<void>;
    stop(): Promise<void>;
  }>;
  fourLetterWord(port: number, word: string): Promise<string>;
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
