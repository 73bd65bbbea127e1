// Who leads, as this master sees it: itself (standalone, or elected through
// ZooKeeper), another master (a standby), or nobody known yet.
import type { IMasterInfo } from '@mesocosm/protocol';
import { grpcAddressOf } from '@mesocosm/protocol/zk';

/** This master's view of the leadership. Mutable: the HA wiring updates it. @internal */
export interface Leadership {
  /** True while this master leads (always, in standalone mode). */
  elected: boolean;
  /** The leader's MasterInfo when known (ourselves when elected). */
  leader: IMasterInfo | undefined;
  /** When this master was elected (clock ms), if it was. */
  electedTime: number | undefined;
  /** HA mode: every contender of the election group, lowest sequence first, as last read. */
  masters?: IMasterInfo[];
}

/** The message a standby gives when it refuses a stream or a call. */
export function notLeaderMessage(leadership: Leadership): string {
  const leader = leadership.leader;
  return leader
    ? `this master is not the leader; the leading master is at ${grpcAddressOf(leader)} (follow the zk:// URL to find it)`
    : 'this master is not the leader, and no leader is elected yet; retry shortly (follow the zk:// URL)';
}

/**
 * The leader's HTTP base URL, when known. Every master of a cluster serves
 * the same scheme (TLS is configured cluster-wide), so `scheme` is this one's.
 */
export function leaderHttpUrl(leadership: Leadership, scheme: 'http' | 'https' = 'http'): string | undefined {
  const leader = leadership.leader;
  if (!leader) return undefined;
  const ip = leader.ip ?? '';
  return `${scheme}://${ip.includes(':') ? `[${ip}]` : ip}:${leader.port ?? 0}`;
}
