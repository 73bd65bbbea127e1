// ACCEPT validation, all or nothing (docs/contracts.md): every offer and every
// task is checked before anything happens. Pure: the caller applies the plan.
import {
  OperationType,
  Resources,
  ValidationError,
  validateTaskInfo,
  type IOfferID,
  type IOperation,
  type ITaskInfo,
  type Shortfall,
} from '@mesocosm/protocol';
import type { OutstandingOffer } from '../offers/index.js';

/** What ACCEPT validation needs to look up. */
export interface AcceptContext {
  frameworkId: string;
  offer(id: string): OutstandingOffer | undefined;
  /** Whether the framework has a live task with this ID. */
  isLiveTask(taskId: string): boolean;
  /** Whether the framework already runs this executor on this agent (its resources are held). */
  isLiveExecutor(agentId: string, executorId: string): boolean;
  /** Throws when an ACL (run_tasks) does not let the framework launch the task (its message says why). */
  authorizeTask?(task: ITaskInfo): void;
}

/** A task that will be launched, with the resources it takes from the offers. */
export interface Launch {
  info: ITaskInfo;
  resources: Resources;
}

/** The outcome of validating an ACCEPT. */
export type AcceptPlan =
  | { kind: 'launch'; agentId: string; offers: OutstandingOffer[]; launches: Launch[]; unused: Resources }
  /** Offer problems: tasks dropped, an ERROR event, own valid offers recovered. */
  | { kind: 'invalid-offers'; code: string; message: string; offers: OutstandingOffer[]; tasks: ITaskInfo[] }
  /**
   * Task problems: every task errored (the invalid ones with their reason),
   * offers recovered; `unauthorized`: the tasks an ACL refused.
   */
  | {
      kind: 'invalid-tasks';
      offers: OutstandingOffer[];
      tasks: ITaskInfo[];
      errors: Map<number, string>;
      unauthorized: ReadonlySet<number>;
    };

function describeShortfall(s: readonly Shortfall[]): string {
  return s
    .map(
      (x) => `${x.name}${x.role === '*' ? '' : `(${x.role})`}: needs ${x.requested}, ${x.available} left in the offers`,
    )
    .join('; ');
}

function collectTasks(operations: readonly IOperation[]): { tasks: ITaskInfo[]; badOperation?: string } {
  const tasks: ITaskInfo[] = [];
  for (const [i, op] of operations.entries()) {
    if ((op.type ?? OperationType.UNKNOWN) !== OperationType.LAUNCH) {
      return { tasks, badOperation: `operations[${i}]: only LAUNCH is supported, got type ${String(op.type)}` };
    }
    tasks.push(...(op.launch?.taskInfos ?? []));
  }
  return { tasks };
}

function checkOffers(
  ctx: AcceptContext,
  offerIds: readonly IOfferID[],
): { offers: OutstandingOffer[]; problems: string[] } {
  const offers: OutstandingOffer[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  if (offerIds.length === 0) problems.push('no offer_ids: an ACCEPT must name the offers it uses');
  for (const { value } of offerIds) {
    const id = value ?? '';
    if (seen.has(id)) {
      problems.push(`offer '${id}' appears twice`);
      continue;
    }
    seen.add(id);
    const entry = ctx.offer(id);
    if (!entry) problems.push(`offer '${id}' is unknown (already used, declined, rescinded or never made)`);
    else if (entry.frameworkId !== ctx.frameworkId) problems.push(`offer '${id}' was made to another framework`);
    else offers.push(entry);
  }
  const agents = [...new Set(offers.map((o) => o.agentId))];
  if (agents.length > 1)
    problems.push(`offers are on different agents (${agents.join(', ')}); one ACCEPT uses one agent`);
  const roles = [...new Set(offers.map((o) => o.role))];
  if (roles.length > 1) problems.push(`offers are for different roles (${roles.join(', ')}); one ACCEPT uses one role`);
  return { offers, problems };
}

/** Validates an ACCEPT against the offer book and the framework's tasks. */
export function planAccept(
  ctx: AcceptContext,
  offerIds: readonly IOfferID[],
  operations: readonly IOperation[],
): AcceptPlan {
  const { offers, problems } = checkOffers(ctx, offerIds);
  const { tasks, badOperation } = collectTasks(operations);
  if (problems.length > 0) {
    return { kind: 'invalid-offers', code: 'UNKNOWN_OFFER', message: problems.join('; '), offers, tasks };
  }
  if (badOperation) return { kind: 'invalid-offers', code: 'INVALID_ARGUMENT', message: badOperation, offers, tasks };

  const agentId = offers[0]?.agentId ?? '';
  const offered = offers.reduce((sum, o) => sum.add(o.resources), Resources.EMPTY);
  let used = Resources.EMPTY;
  const errors = new Map<number, string>();
  const launches: Launch[] = [];
  const ids = new Set<string>();
  const executors = new Set<string>();
  const unauthorized = new Set<number>();
  tasks.forEach((info, i) => {
    const field = `task_infos[${i}]`;
    try {
      let resources = validateTaskInfo(info, field);
      try {
        ctx.authorizeTask?.(info);
      } catch (err) {
        unauthorized.add(i);
        throw err;
      }
      const taskId = info.taskId?.value ?? '';
      if (ids.has(taskId))
        throw new ValidationError(`${field}.task_id`, `'${taskId}' appears twice in this ACCEPT`, 'DUPLICATE_TASK');
      ids.add(taskId);
      if (ctx.isLiveTask(taskId)) {
        throw new ValidationError(
          `${field}.task_id`,
          `'${taskId}' is already used by a live task of this framework`,
          'DUPLICATE_TASK',
        );
      }
      if (info.agentId?.value !== agentId) {
        throw new ValidationError(
          `${field}.agent_id`,
          `'${info.agentId?.value ?? ''}' is not the agent of the offers ('${agentId}')`,
          'WRONG_AGENT',
        );
      }
      const executorId = info.executor?.executorId?.value;
      if (executorId && !executors.has(executorId) && !ctx.isLiveExecutor(agentId, executorId)) {
        executors.add(executorId);
        resources = resources.add(Resources.fromProto(info.executor?.resources));
      }
      const remaining = offered.subtract(used);
      if (!remaining.contains(resources)) {
        throw new ValidationError(
          `${field}.resources`,
          `beyond the offers: ${describeShortfall(remaining.shortfall(resources))}`,
          'INSUFFICIENT_RESOURCES',
        );
      }
      used = used.add(resources);
      launches.push({ info, resources });
    } catch (err) {
      errors.set(i, err instanceof Error ? err.message : String(err));
    }
  });
  if (errors.size > 0) return { kind: 'invalid-tasks', offers, tasks, errors, unauthorized };
  return { kind: 'launch', agentId, offers, launches, unused: offered.subtract(used) };
}
