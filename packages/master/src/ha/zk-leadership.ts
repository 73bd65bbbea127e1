// HA mode: a ZooKeeper session, a candidacy (LeaderContender) and, while
// standing by, a watch on who leads. Elected: the core leads with the
// contender's epoch. Deposed: the core stops at once and the owner is told
// (the CLI exits, as Mesos' master aborts on lost leadership).
import type { IMasterInfo, Logger } from '@mesocosm/protocol';
import { parseZkUrl, ZkClient } from '@mesocosm/protocol/zk';
import type { MasterCore } from '../core/master-core.js';
import { LeaderContender } from '../election/index.js';
import { LeaderWatch } from './leader-watch.js';

/** What {@link startZkLeadership} needs. @internal */
export interface ZkLeadershipOptions {
  /** `zk://host:port,.../path`. */
  zk: string;
  sessionTimeoutMs: number;
  logger: Logger;
  /** Leadership lost, or the candidacy ended: this master cannot lead any more. */
  onDeposed: (reason: string) => void;
}

/** A running candidacy; `close` withdraws it and ends the session. @internal */
export interface ZkLeadership {
  readonly contender: LeaderContender;
  close(): Promise<void>;
}

/**
 * Connects to ZooKeeper and enters the election with `info` (ports already
 * bound). Resolves once queued; `core` leads when elected.
 */
export async function startZkLeadership(
  core: MasterCore,
  info: IMasterInfo,
  options: ZkLeadershipOptions,
): Promise<ZkLeadership> {
  const url = parseZkUrl(options.zk);
  const zk = await ZkClient.connect({
    connect: url.connect,
    sessionTimeoutMs: options.sessionTimeoutMs,
    ...(url.auth ? { auth: url.auth } : {}),
  });
  const logger = options.logger;
  let closing = false;
  const watch = new LeaderWatch(zk, url.path, (leader) => core.setLeader(leader), logger);
  const contender = new LeaderContender(zk, { path: url.path, info, logger });
  contender.on('elected', (epoch) => {
    watch.close();
    core.lead(epoch);
    logger.info('elected leading master', { epoch, znode: contender.znode });
  });
  contender.on('deposed', (reason) => {
    core.abdicate();
    if (!closing) logger.error('no longer the leading master', { reason });
  });
  contender.on('ended', (reason) => {
    watch.close();
    if (closing) return;
    core.abdicate();
    options.onDeposed(reason);
  });
  try {
    await contender.contend();
  } catch (err) {
    zk.close();
    throw err;
  }
  if (!contender.leading) watch.start();
  return {
    contender,
    async close() {
      closing = true;
      watch.close();
      await contender.withdraw();
      zk.close();
    },
  };
}
