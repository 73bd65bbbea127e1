// One OFFERS event: match the pending tasks (with their constraints) onto the
// offers, one LAUNCH per offer, decline the rest with a long filter and
// reasons. Pure.
import type { IOffer, ITaskInfo } from '@mesocosm/protocol';
import type { Placement } from '../matching/constraints-values.js';
import { matchOffers } from '../matching/match-offers.js';
import { requestResources, type TaskRequest } from '../matching/task-request.js';
import type { LaunchedTask, PendingGroup, SchedulerAction, WantedTask } from './types.js';

/** Reason of offers whose allocation role a task does not accept. */
export const UNFULFILLED_ROLE = 'unfulfilled role';

/** A task that could not be considered or launched, and why. */
export interface RoundProblem {
  /** The key the task is wanted under. */
  key: string;
  /** The task. */
  taskId: string;
  /** Why: a `ValidationError` for malformed resources, or what the task's `build` threw. */
  error: Error;
}

/** What {@link placeOffers} decided. */
export interface RoundResult {
  /** One `launch` per used offer, then one `decline` of the others (if any). */
  actions: SchedulerAction[];
  launched: LaunchedTask[];
  /** Tasks skipped: malformed resources, or a `build` that threw. They stay pending. */
  problems: RoundProblem[];
  /** Per key: offer IDs that took a task of the key. */
  used: Map<string, Set<string>>;
  /** Per key: offer ID -> reasons its tasks were refused there. */
  refused: Map<string, Map<string, Set<string>>>;
}

/** @internal */
export interface RoundInputs {
  offers: readonly IOffer[];
  groups: readonly PendingGroup[];
  placed: (key: string) => readonly Placement[];
  declineRefuseSeconds: number;
  strategy: 'pack' | 'spread';
}

function roleCheck(task: WantedTask): TaskRequest['accept'] {
  const roles = task.roles;
  const own = task.accept;
  if (!roles || roles.length === 0) return own;
  return (offer) => (roles.includes(offer.allocationRole || '*') ? own?.(offer) : UNFULFILLED_ROLE);
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

/** Places pending tasks onto offers; see the module comment. @internal */
export function placeOffers(input: RoundInputs): RoundResult {
  const problems: RoundProblem[] = [];
  const owner = new Map<string, { key: string; task: WantedTask }>();
  const requests: TaskRequest[] = [];
  for (const { key, tasks } of input.groups) {
    let placed: readonly Placement[] | undefined;
    for (const task of tasks) {
      try {
        requestResources(task); // malformed resources: skip this task, not the round
      } catch (err) {
        problems.push({ key, taskId: task.taskId, error: err as Error });
        continue;
      }
      placed ??= input.placed(key);
      owner.set(task.taskId, { key, task });
      requests.push({ ...task, group: task.group ?? key, placed: task.placed ?? placed, accept: roleCheck(task) });
    }
  }
  const m = matchOffers([...input.offers], requests, { strategy: input.strategy });

  const actions: SchedulerAction[] = [];
  const launched: LaunchedTask[] = [];
  const used = new Map<string, Set<string>>();
  const declined: IOffer[] = [...m.unused];
  for (const { offer, tasks } of m.launches) {
    const offerId = offer.id?.value ?? '';
    const infos: ITaskInfo[] = [];
    for (const matched of tasks) {
      const taskId = matched.taskId?.value ?? '';
      const o = owner.get(taskId);
      if (!o) continue;
      try {
        const info = o.task.build ? o.task.build({ key: o.key, offer, task: matched }) : matched;
        infos.push(info);
        launched.push({ key: o.key, taskId, task: info, offer });
        add(used, o.key, offerId);
      } catch (err) {
        problems.push({ key: o.key, taskId, error: err as Error });
      }
    }
    if (infos.length > 0) actions.push({ type: 'launch', offerId, tasks: infos });
    else declined.push(offer);
  }

  const refused = new Map<string, Map<string, Set<string>>>();
  for (const u of m.unmatched) {
    const key = owner.get(u.request.taskId)?.key ?? '';
    const perOffer = refused.get(key) ?? new Map<string, Set<string>>();
    refused.set(key, perOffer);
    for (const r of u.rejections) add(perOffer, r.offerId, r.reason);
  }

  if (declined.length > 0) {
    actions.push({
      type: 'decline',
      offerIds: declined.map((o) => o.id?.value ?? ''),
      refuseSeconds: input.declineRefuseSeconds,
      reasons: m.declineReasons,
    });
  }
  return { actions, launched, problems, used, refused };
}
