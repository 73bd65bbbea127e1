// Builders of scheduler calls (without stream and framework IDs: the driver
// stamps those when it sends). Pure; validated so that a mistake is reported
// to the caller at once rather than as an ERROR event later.
import { CallType, OperationType, ValidationError } from '@mesocosm/protocol';
import type {
  ICall,
  IDeclineReason,
  IFilters,
  IFrameworkInfo,
  IKillPolicy,
  IOperation,
  ITaskInfo,
  ITaskStatus,
} from '@mesocosm/protocol';

/** A task to reconcile explicitly; see `SchedulerDriver.reconcile`. */
export interface ReconcileTask {
  /** The task's ID. */
  taskId: string;
  /** The agent it was launched on, if known (lets the master answer for tasks it does not know). */
  agentId?: string;
}

function nonEmpty(field: string, value: string): string {
  if (value === '') throw new ValidationError(field, 'must not be empty');
  return value;
}

function offerIdList(field: string, offerIds: readonly string[]): Array<{ value: string }> {
  if (offerIds.length === 0) throw new ValidationError(field, 'give at least one offer ID');
  return offerIds.map((id, i) => ({ value: nonEmpty(`${field}[${i}]`, id) }));
}

/** @internal */
export function subscribeCall(framework: IFrameworkInfo, frameworkId: string | undefined): ICall {
  const info: IFrameworkInfo = frameworkId ? { ...framework, id: { value: frameworkId } } : framework;
  return { type: CallType.SUBSCRIBE, subscribe: { frameworkInfo: info } };
}

/** @internal */
export function acceptCall(offerIds: readonly string[], operations: IOperation[], filters?: IFilters): ICall {
  return {
    type: CallType.ACCEPT,
    accept: { offerIds: offerIdList('offerIds', offerIds), operations, ...(filters ? { filters } : {}) },
  };
}

/** @internal */
export function launchOperation(tasks: ITaskInfo[]): IOperation {
  return { type: OperationType.LAUNCH, launch: { taskInfos: tasks } };
}

/** @internal */
export function declineCall(offerIds: readonly string[], filters?: IFilters, reasons?: IDeclineReason[]): ICall {
  return {
    type: CallType.DECLINE,
    decline: {
      offerIds: offerIdList('offerIds', offerIds),
      ...(filters ? { filters } : {}),
      ...(reasons ? { reasons } : {}),
    },
  };
}

/** @internal */
export function killCall(taskId: string, agentId?: string, killPolicy?: IKillPolicy): ICall {
  return {
    type: CallType.KILL,
    kill: {
      taskId: { value: nonEmpty('taskId', taskId) },
      ...(agentId ? { agentId: { value: agentId } } : {}),
      ...(killPolicy ? { killPolicy } : {}),
    },
  };
}

/** @internal */
export function suppressCall(roles: readonly string[] = []): ICall {
  return { type: CallType.SUPPRESS, suppress: { roles: [...roles] } };
}

/** @internal */
export function reviveCall(roles: readonly string[] = []): ICall {
  return { type: CallType.REVIVE, revive: { roles: [...roles] } };
}

/** @internal */
export function reconcileCall(tasks: readonly ReconcileTask[] = []): ICall {
  return {
    type: CallType.RECONCILE,
    reconcile: {
      tasks: tasks.map((t, i) => ({
        taskId: { value: nonEmpty(`tasks[${i}].taskId`, t.taskId) },
        ...(t.agentId ? { agentId: { value: t.agentId } } : {}),
      })),
    },
  };
}

/** True when `status` carries a UUID, i.e. must be acknowledged. */
export function needsAcknowledgement(status: ITaskStatus | null | undefined): boolean {
  return status?.uuid != null && status.uuid.length > 0;
}

/** @internal */
export function acknowledgeCall(status: ITaskStatus): ICall {
  if (!needsAcknowledgement(status)) {
    throw new ValidationError('status.uuid', 'this update carries no uuid and must not be acknowledged');
  }
  return {
    type: CallType.ACKNOWLEDGE,
    acknowledge: {
      taskId: { value: status.taskId?.value ?? '' },
      agentId: { value: status.agentId?.value ?? '' },
      uuid: status.uuid ?? new Uint8Array(),
    },
  };
}

/** @internal */
export function messageCall(agentId: string, executorId: string, data: Uint8Array): ICall {
  return {
    type: CallType.MESSAGE,
    message: {
      agentId: { value: nonEmpty('agentId', agentId) },
      executorId: { value: nonEmpty('executorId', executorId) },
      data,
    },
  };
}

/** @internal */
export function shutdownCall(executorId: string, agentId: string): ICall {
  return {
    type: CallType.SHUTDOWN,
    shutdown: {
      executorId: { value: nonEmpty('executorId', executorId) },
      agentId: { value: nonEmpty('agentId', agentId) },
    },
  };
}

/** @internal */
export function teardownCall(): ICall {
  return { type: CallType.TEARDOWN };
}
