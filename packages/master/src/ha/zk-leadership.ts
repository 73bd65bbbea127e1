// HA mode: a ZooKeeper session, a candidacy (LeaderContender) and a watch
// on the election group (who leads, while standing by; every master, always). Elected: the core loads the registry
// (over this same session) and leads with the contender's epoch. Deposed:
// the core stops at once, the registry refuses writes, and the owner is told
// (the CLI exits, as Mesos' master aborts on lost leadership).
import type { IMasterInfo, Logger } from '@mesocosm/protocol';
import { parseZkUrl, ZkClient } from '@mesocosm/protocol/zk';
import type { MasterCore } from '../core/master-core.js';
import { LeaderContender } from '../election/index.js';
import { LeaderWatch } from './leader-watch.js';

/** What {@link startZkLeadership} needs. @internal */
export interface ZkLeadershipOptions {
  /** The election path (the path of the `--zk` URL). */
  path: string;
  logger: Logger;
  /** Leadership lost, the candidacy ended, or the registry could not be recovered: this master cannot lead. */
  onDeposed: (reason: string) => void;
  /** Called when deposed, before anything else: the registry stops writing. */
  fence?: (reason: string) => void;
}

/** A running candidacy; `close` withdraws it and ends the session. @internal */
export interface ZkLeadership {
  readonly contender: LeaderContender;
  close(): Promise<void>;
}

/** Opens the session a master contends (and writes its registry) with. @internal */
export async function connectZk(zkUrl: string, sessionTimeoutMs: number): Promise<{ zk: ZkClient; path: string }> {
  const url = parseZkUrl(zkUrl);
  const zk = await ZkClient.connect({
    connect: url.connect,
    sessionTimeoutMs,
    ...(url.auth ? { auth: url.auth } : {}),
  });
  return { zk, path: url.path };
}

/**
 * Enters the election on `zk` with `info` (ports already bound). Resolves
 * once queued; `core` leads when elected. Takes ownership of `zk`.
 */
export async function startZkLeadership(
  core: MasterCore,
  info: IMasterInfo,
  zk: ZkClient,
  options: ZkLeadershipOptions,
): Promise<ZkLeadership> {
  const { logger, path } = options;
  let closing = false;
  let failure: string | undefined;
  // Kept while leading too: the operator UI learns every master of the group from it.
  const watch = new LeaderWatch(
    zk,
    path,
    (leader, masters) => {
      // Our own znode may outlive our leadership for a moment: never name ourselves as another leader.
      core.setLeader(leader?.id === info.id ? undefined : leader, masters);
    },
    logger,
  );
  const contender = new LeaderContender(zk, { path, info, logger });
  contender.on('elected', (epoch) => {
    const started = core.clock.now();
    logger.info('elected leading master; recovering the registry', { epoch, znode: contender.znode });
    core.lead(epoch).then(
      () => logger.info('leading', { epoch, recoveryMs: core.clock.now() - started }),
      (err: unknown) => {
        failure = `could not recover the registry: ${err instanceof Error ? err.message : String(err)}`;
        logger.error('giving up the leadership', { reason: failure });
        void contender.withdraw();
      },
    );
  });
  contender.on('deposed', (reason) => {
    options.fence?.(reason);
    core.abdicate();
    if (!closing) logger.error('no longer the leading master', { reason: failure ?? reason });
  });
  contender.on('ended', (reason) => {
    options.fence?.(reason);
    watch.close();
    if (closing) return;
    core.abdicate();
    options.onDeposed(failure ?? reason);
  });
  try {
    await contender.contend();
  } catch (err) {
    zk.close();
    throw err;
  }
  watch.start();
  return {
    contender,
    async close() {
      closing = true;
      watch.close();
      // Writes refused before the election znode goes: nothing of ours may land after a new
      // leader read the registry. withdraw() sends the delete before closing our streams.
      options.fence?.('withdrew from the election');
      await contender.withdraw();
      zk.close();
    },
  };
}
