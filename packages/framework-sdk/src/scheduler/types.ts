// The vocabulary of the high-level Scheduler: what a framework wants, what
// the core decides, and the policy knobs with their defaults.
import type { IDeclineReason, IOffer, ITaskInfo } from '@mesocosm/protocol';
import type { ReconcileTask } from '../calls.js';
import type { TaskRequest } from '../matching/task-request.js';
import type { RetryPolicy } from './retry-book.js';

/**
 * A task the framework wants launched: a {@link TaskRequest} (resources, ports,
 * command, `constraints`, ...) plus how to turn the match into a TaskInfo.
 */
export interface WantedTask extends TaskRequest {
  /**
   * Makes the TaskInfo from the matched offer. `task` is the TaskInfo the
   * matcher built (agent, picked resources with their roles, `PORTn` variables):
   * keep its `taskId`, `agentId` and `resources`. Default: `task` as it is.
   */
  build?: (match: { key: string; offer: IOffer; task: ITaskInfo }) => ITaskInfo;
  /**
   * Allocation roles this task may use (Marathon's `acceptedResourceRoles`);
   * offers of other roles are declined with reason `unfulfilled role`. Default: any.
   */
  roles?: readonly string[];
  /**
   * Relaunch the task when it ends FAILED, LOST, DROPPED or GONE (not
   * FINISHED, KILLED or ERROR): it is wanted again under the same key, with a
   * new task ID (`<id>.retry-<n>`), after an exponential delay. Default: none.
   * `Scheduler`'s `onRetry` reports each relaunch planned.
   */
  retry?: RetryPolicy;
}

/** The tasks wanted under one key (Marathon: an app ID; Chronos: a job run). */
export interface PendingGroup {
  /** The key the tasks are wanted under. */
  key: string;
  /** The tasks not launched yet. */
  tasks: readonly WantedTask[];
}

/** A task the Scheduler just launched (sent in an ACCEPT). */
export interface LaunchedTask {
  /** The key it was wanted under. */
  key: string;
  /** Its task ID. */
  taskId: string;
  /** The TaskInfo as sent. */
  task: ITaskInfo;
  /** The offer it was launched on (agent ID, hostname, attributes). */
  offer: IOffer;
}

/** A call the core asks for; the Scheduler's driver glue sends it. */
export type SchedulerAction =
  | { readonly type: 'launch'; readonly offerId: string; readonly tasks: ITaskInfo[] }
  | {
      readonly type: 'decline';
      readonly offerIds: string[];
      readonly refuseSeconds: number;
      readonly reasons: IDeclineReason[];
    }
  | { readonly type: 'suppress' }
  | { readonly type: 'revive' }
  /** `tasks` empty: implicit reconciliation (every task of the framework). */
  | { readonly type: 'reconcile'; readonly tasks: ReconcileTask[] };

/** Tunables of the Scheduler; every one has a starvation-free default. */
export interface SchedulerPolicy {
  /** Filter on declined offers, seconds (Marathon's `decline_offer_duration`). Default 120. */
  declineRefuseSeconds?: number;
  /** At most one REVIVE per this many ms; more requests are coalesced. Default 5000. */
  minReviveIntervalMs?: number;
  /** Explicit + implicit reconciliation this often, ms (Marathon's). Default 600000 (10 min). */
  reconcileIntervalMs?: number;
  /** `spread` (default: one app's tasks go to different offers first) or `pack`. See `matchOffers`. */
  strategy?: 'pack' | 'spread';
}

/** The defaults of {@link SchedulerPolicy}. */
export const DEFAULT_SCHEDULER_POLICY: Readonly<Required<SchedulerPolicy>> = {
  declineRefuseSeconds: 120,
  minReviveIntervalMs: 5_000,
  reconcileIntervalMs: 600_000,
  strategy: 'spread',
};
