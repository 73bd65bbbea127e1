// What the engine needs from the cluster while it leads: the SDK Scheduler
// in production, a recording fake in unit tests.

import type { OfferStats } from '@mesocosm/framework-sdk';

/** The engine's handle on the cluster. */
export interface ClusterPort {
  /** The pending tasks changed (the Scheduler re-reads them: REVIVE or SUPPRESS). */
  refresh(): void;
  /** Kills a task (`gracePeriodSeconds`: the app's taskKillGracePeriodSeconds). */
  kill(taskId: string, agentId: string | undefined, gracePeriodSeconds: number | undefined): void;
  /** Offer counters of an app (for /v2/queue). */
  offerStats(appId: string): OfferStats | undefined;
}
