// Placing task requests onto offers: first-fit packing or spreading.
import { Resources, UNRESERVED_ROLE } from '@mesocosm/protocol';
import type { IDeclineReason, IOffer, ITaskInfo } from '@mesocosm/protocol';
import { assignPorts, countRangeValues } from './assign-ports.js';
import { checkConstraints } from './constraints-check.js';
import type { Placement } from './constraints-values.js';
import { DeclineReasonTally } from './decline-reasons.js';
import { pickResources } from './pick-resources.js';
import { taskInfoFor } from './task-info.js';
import { requestResources, type TaskRequest } from './task-request.js';

/** The outcome of {@link matchOffers}. */
export interface MatchResult {
  /** Tasks to launch, grouped per offer (in the order the offers were given). */
  launches: Array<{ offer: IOffer; tasks: ITaskInfo[] }>;
  /**
   * Requests that fit no offer, with one reason per offer tried (text), and the
   * same as `rejections`: the offer ID and the aggregated reason (`insufficient cpus`,
   * `constraint hostname:UNIQUE`, or what `accept` returned).
   */
  unmatched: Array<{
    request: TaskRequest;
    reasons: string[];
    rejections: Array<{ offerId: string; reason: string }>;
  }>;
  /** Offers that got no task: decline them. */
  unused: IOffer[];
  /** Aggregated reasons, to pass to `decline()`. */
  declineReasons: IDeclineReason[];
}

/** Options of {@link matchOffers}. */
export interface MatchOptions {
  /**
   * `pack` (default): first fit over the offers in the given order, so tasks
   * fill one offer before the next. `spread`: each task goes to the fitting
   * offer with the fewest tasks so far (ties: the given order).
   */
  strategy?: 'pack' | 'spread';
}

interface Slot {
  readonly offer: IOffer;
  readonly label: string;
  readonly id: string;
  remaining: Resources;
  /** Scalar totals of `remaining` over all roles, in thousandths: a quick first check. */
  totals: Map<string, number>;
  readonly tasks: ITaskInfo[];
}

/** Why one offer did not take one request. */
type Rejection =
  | { readonly slot: Slot; readonly refusal: string; readonly detail?: string }
  | { readonly slot: Slot; readonly name: string; readonly requested: number; readonly available: number };

/** A request, parsed once. */
interface Need {
  readonly resources: Resources;
  /** Its scalars in thousandths, when no entry is pinned to a role (then totals decide quickly). */
  readonly quick: ReadonlyArray<readonly [string, number]> | undefined;
}

const milli = (v: number): number => Math.round(v * 1000);

function totalsOf(r: Resources): Map<string, number> {
  return new Map(r.scalarNames().map((n) => [n, milli(r.scalar(n))]));
}

function needOf(request: TaskRequest): Need {
  const resources = requestResources(request);
  const unpinned = resources.roles().every((r) => r === UNRESERVED_ROLE);
  return {
    resources,
    quick: unpinned ? resources.scalarNames().map((n) => [n, milli(resources.scalar(n))] as const) : undefined,
  };
}

/** Places `request` on `slot`, or says why not. */
function tryOffer(slot: Slot, request: TaskRequest, need: Need, placed: readonly Placement[]): Resources | Rejection[] {
  const refusal = request.accept?.(slot.offer);
  if (refusal !== undefined) return [{ slot, refusal }];
  if (request.constraints && request.constraints.length > 0) {
    const check = checkConstraints(request.constraints, slot.offer, placed);
    if (!check.ok) return [{ slot, refusal: check.reason, detail: check.detail }];
  }
  if (need.quick) {
    // Same verdict and figures as pickResources for unpinned requests, without building anything.
    const short: Rejection[] = [];
    for (const [name, want] of need.quick) {
      const have = slot.totals.get(name) ?? 0;
      if (have < want) short.push({ slot, name, requested: want / 1000, available: have / 1000 });
    }
    if (short.length > 0) return short;
  }
  const pick = pickResources(slot.remaining, need.resources);
  if (!pick.ok)
    return pick.shortfall.map((s) => ({ slot, name: s.name, requested: s.requested, available: s.available }));
  if (request.ports === undefined || request.ports <= 0) return pick.picked;
  const left = slot.remaining.subtract(pick.picked);
  const ports = assignPorts(left, request.ports);
  if (!ports) return [{ slot, name: 'ports', requested: request.ports, available: countRangeValues(left) }];
  return pick.picked.add(ports.resources);
}

function reasonText(r: Rejection): string {
  if ('refusal' in r) return `${r.slot.label}: ${r.refusal}${r.detail ? ` (${r.detail})` : ''}`;
  return `${r.slot.label}: insufficient ${r.name}: need ${r.requested}, offer has ${r.available}`;
}

/**
 * Places `requests` onto `offers`. Pure: no I/O, same input, same output.
 * Several tasks go into one offer while they fit; each task's resources are
 * taken from the offer's own entries (same role as offered), so the master's
 * contains-check passes for reserved resources too. Scalars are exact to the
 * thousandth (0.1 + 0.2 cpus fit in 0.3).
 *
 * @example
 * ```ts
 * driver.on('offers', ({ offers }) => {
 *   const m = matchOffers(offers ?? [], pending);
 *   for (const { offer, tasks } of m.launches) driver.launch(offer.id!.value!, tasks);
 *   const unused = m.unused.map((o) => o.id!.value!);
 *   if (unused.length > 0) driver.decline(unused, { refuseSeconds: 30 }, m.declineReasons);
 * });
 * ```
 */
export function matchOffers(offers: IOffer[], requests: TaskRequest[], options: MatchOptions = {}): MatchResult {
  const slots: Slot[] = offers.map((offer) => {
    const id = offer.id?.value ?? '';
    const remaining = Resources.fromProto(offer.resources);
    return {
      offer,
      id,
      label: offer.hostname ? `offer ${id} on ${offer.hostname}` : `offer ${id}`,
      remaining,
      totals: totalsOf(remaining),
      tasks: [],
    };
  });
  const tally = new DeclineReasonTally();
  const unmatched: MatchResult['unmatched'] = [];
  // Placements made in this call, per constraint group.
  const groups = new Map<string, Placement[]>();
  for (const request of requests) {
    const need = needOf(request);
    const group = request.group ?? '';
    const constrained = request.constraints !== undefined && request.constraints.length > 0;
    const placed = constrained ? [...(request.placed ?? []), ...(groups.get(group) ?? [])] : [];
    const order = options.strategy === 'spread' ? [...slots].sort((a, b) => a.tasks.length - b.tasks.length) : slots;
    const rejections: Rejection[] = [];
    let done = false;
    for (const slot of order) {
      const outcome = tryOffer(slot, request, need, placed);
      if (Array.isArray(outcome)) {
        rejections.push(...outcome);
        continue;
      }
      slot.remaining = slot.remaining.subtract(outcome);
      slot.totals = totalsOf(slot.remaining);
      slot.tasks.push(taskInfoFor(request, slot.offer, outcome));
      const mine = groups.get(group) ?? [];
      mine.push(slot.offer);
      groups.set(group, mine);
      done = true;
      break;
    }
    if (done) continue;
    // Only tasks left pending count towards the decline reasons.
    for (const r of rejections) {
      if ('refusal' in r) tally.refusal(request.taskId, r.slot.id, r.refusal);
      else tally.shortfall(request.taskId, r.slot.id, r.name, r.requested, r.available);
    }
    const reasons = rejections.map(reasonText);
    if (slots.length === 0) reasons.push('no offers to try');
    const byOffer = rejections.map((r) => ({
      offerId: r.slot.id,
      reason: 'refusal' in r ? r.refusal : `insufficient ${r.name}`,
    }));
    unmatched.push({ request, reasons, rejections: byOffer });
  }
  return {
    launches: slots.filter((s) => s.tasks.length > 0).map((s) => ({ offer: s.offer, tasks: s.tasks })),
    unmatched,
    unused: slots.filter((s) => s.tasks.length === 0).map((s) => s.offer),
    declineReasons: tally.reasons(),
  };
}
